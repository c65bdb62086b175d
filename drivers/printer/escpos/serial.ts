// ESC/POS over a serial line (RS-232 / USB-serial heads). Same ByteTransport as TCP.
import { SerialPort } from 'serialport';
import { PrinterError } from '../errors.js';
import type { ByteTransport } from './driver.js';

export async function serialTransport(path: string, baudRate = 38400): Promise<ByteTransport> {
  const port = new SerialPort({ path, baudRate, dataBits: 8, stopBits: 1, parity: 'none', rtscts: false, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(new PrinterError('offline', `cannot open ${path}: ${e.message}`)) : resolve())));
  let pending = Buffer.alloc(0);
  let waiter: (() => void) | undefined;
  port.on('data', (d: Buffer) => {
    pending = Buffer.concat([pending, d]);
    waiter?.();
  });
  port.on('error', () => undefined);
  return {
    write: (bytes) => new Promise((resolve, reject) => port.write(Buffer.from(bytes), (e) => (e ? reject(new PrinterError('transport', e.message)) : port.drain(() => resolve())))),
    async read(n, ms) {
      const deadline = Date.now() + ms;
      while (pending.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new PrinterError('timeout', `printer did not answer within ${ms} ms on ${path}`);
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
    close: () => new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  };
}
