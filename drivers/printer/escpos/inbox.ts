// Bytes a printer sent back, waiting to be read: both transports (TCP, serial) feed one of these
// from their 'data' events and read status answers from it with a deadline.
import { PrinterError } from '../errors.js';

export function replyInbox(where: string) {
  let pending = Buffer.alloc(0);
  let waiter: (() => void) | undefined;
  return {
    push(d: Buffer) {
      pending = Buffer.concat([pending, d]);
      waiter?.();
    },
    async read(n: number, ms: number): Promise<Uint8Array> {
      const deadline = Date.now() + ms;
      while (pending.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new PrinterError('timeout', `printer did not answer within ${ms} ms${where}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiter = () => (clearTimeout(t), resolve());
        });
        waiter = undefined;
      }
      const out = pending.subarray(0, n);
      pending = pending.subarray(n);
      return out;
    },
  };
}
