// ESC/POS over a serial line (RS-232 / USB-serial heads). Same ByteTransport as TCP.
import { SerialPort } from 'serialport';
import { PrinterError } from '../errors.js';
import type { ByteTransport } from './driver.js';
import { replyInbox } from './inbox.js';

export async function serialTransport(path: string, baudRate = 38400): Promise<ByteTransport> {
  const port = new SerialPort({
    path,
    baudRate,
    dataBits: 8,
    stopBits: 1,
    parity: 'none',
    rtscts: false,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) =>
    port.open((e) =>
      e ? reject(new PrinterError('offline', `cannot open ${path}: ${e.message}`)) : resolve(),
    ),
  );
  const inbox = replyInbox(` on ${path}`);
  port.on('data', (d: Buffer) => inbox.push(d));
  port.on('error', () => undefined);
  return {
    write: (bytes) =>
      new Promise((resolve, reject) =>
        port.write(Buffer.from(bytes), (e) =>
          e ? reject(new PrinterError('transport', e.message)) : port.drain(() => resolve()),
        ),
      ),
    read: inbox.read,
    clear: inbox.clear,
    close: () => new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  };
}
