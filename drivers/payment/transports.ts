// Byte transports for the ccTalk bus: a real serial port (or a pty end) through the serialport
// package, and an in-memory pair for the embedded demo and fast tests.
import { SerialPort } from 'serialport';
import { CcTalkError } from './errors.js';
import type { ByteTransport } from './interface.js';

export async function openSerialTransport(path: string, baudRate: number): Promise<ByteTransport> {
  const port = new SerialPort({ path, baudRate, dataBits: 8, stopBits: 1, parity: 'none', autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((err) =>
      err ? reject(new CcTalkError('closed', `cannot open serial port ${path}: ${err.message}`)) : resolve(),
    ),
  );
  return {
    write: (bytes) =>
      new Promise((resolve, reject) => {
        port.write(Buffer.from(bytes), (err) =>
          err ? reject(err) : port.drain((e) => (e ? reject(e) : resolve())),
        );
      }),
    onData(listener) {
      const h = (b: Buffer) => listener(new Uint8Array(b));
      port.on('data', h);
      return () => port.off('data', h);
    },
    close: () => new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  };
}

/** Two connected ends: what one writes, the other receives (asynchronously, like a wire). */
export function memoryTransportPair(): [ByteTransport, ByteTransport] {
  const listeners: [Set<(b: Uint8Array) => void>, Set<(b: Uint8Array) => void>] = [new Set(), new Set()];
  let open = true;
  const end = (me: 0 | 1): ByteTransport => ({
    async write(bytes) {
      if (!open) throw new CcTalkError('closed', 'memory transport closed');
      const copy = Uint8Array.from(bytes);
      setImmediate(() => listeners[me === 0 ? 1 : 0].forEach((l) => l(copy)));
    },
    onData(l) {
      listeners[me].add(l);
      return () => listeners[me].delete(l);
    },
    async close() {
      open = false;
    },
  });
  return [end(0), end(1)];
}
