// Bytes a printer sent back, waiting to be read: both transports (TCP, serial) feed one of these
// from their 'data' events and read status answers from it with a deadline. The driver asks one
// question at a time; `clear()` drops what came in unasked (an answer that arrived after its
// deadline), since every DLE EOT answer has the same fixed bits and a stale one would be taken
// for the next question's.
import { PrinterError } from '../errors.js';

export function replyInbox(where: string) {
  let pending = Buffer.alloc(0);
  const waiters = new Set<() => void>();
  return {
    push(d: Buffer) {
      pending = Buffer.concat([pending, d]);
      for (const w of [...waiters]) w();
    },
    clear() {
      pending = Buffer.alloc(0);
    },
    async read(n: number, ms: number): Promise<Uint8Array> {
      const deadline = Date.now() + ms;
      while (pending.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new PrinterError('timeout', `printer did not answer within ${ms} ms${where}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(t);
            waiters.delete(wake);
            resolve();
          };
          const t = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
      const out = pending.subarray(0, n);
      pending = pending.subarray(n);
      return out;
    },
  };
}
