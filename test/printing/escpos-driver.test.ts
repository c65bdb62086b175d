// The ESC/POS driver's conversation with a printer: DLE EOT answers carry no tag, so the driver
// asks one question at a time and never takes a late answer for the next question's.
import { describe, expect, it } from 'vitest';
import { EscPosDriver, type ByteTransport } from '../../drivers/printer/escpos/driver.js';
import { replyInbox } from '../../drivers/printer/escpos/inbox.js';
import { statusByte } from '../../drivers/printer/escpos/protocol.js';

type Printer = { offline: boolean; coverOpen: boolean; paper: 'ok' | 'low' | 'out' };

/** A printer on a byte line: answers each DLE EOT n (after `delay(n)` ms, or never when null). */
function fakePrinter(printer: () => Printer, delay: (n: number, asked: number) => number | null = () => 0) {
  const inbox = replyInbox(' (fake)');
  const written: string[] = [];
  let asked = 0;
  const transport: ByteTransport = {
    async write(bytes) {
      if (bytes[0] === 0x10 && bytes[1] === 0x04) {
        const n = bytes[2] as 1 | 2 | 4;
        written.push(`EOT${n}`);
        const byte = statusByte(n, printer());
        const ms = delay(n, asked++);
        if (ms !== null) setTimeout(() => inbox.push(Buffer.from([byte])), ms);
      } else written.push(`data:${bytes.length}`);
    },
    read: inbox.read,
    clear: inbox.clear,
    close: async () => undefined,
  };
  return { transport, written };
}

describe('ESC/POS driver on a byte line', () => {
  it('asks one status at a time: two callers at once do not interleave their questions', async () => {
    const p = fakePrinter(
      () => ({ offline: false, coverOpen: false, paper: 'low' }),
      () => 1,
    );
    const d = new EscPosDriver(p.transport, 200);
    const [a, b] = await Promise.all([d.state(), d.state()]);
    expect(a).toEqual({ device: 'online', paper: 'low', coverOpen: false });
    expect(b).toEqual(a);
    expect(p.written).toEqual(['EOT1', 'EOT2', 'EOT4', 'EOT1', 'EOT2', 'EOT4']);
  });

  it('a job and a status check at once: the job keeps its before and after checks together', async () => {
    const p = fakePrinter(
      () => ({ offline: false, coverOpen: false, paper: 'ok' }),
      () => 1,
    );
    const d = new EscPosDriver(p.transport, 200);
    await Promise.all([d.submit({ id: 'r1', data: new Uint8Array(12) }), d.state()]);
    expect(p.written).toEqual([
      ...['EOT1', 'EOT2', 'EOT4', 'data:12', 'EOT1', 'EOT2', 'EOT4'],
      ...['EOT1', 'EOT2', 'EOT4'],
    ]);
  });

  it('an answer that comes after its deadline is not read as the next question’s', async () => {
    let offline = true;
    // The very first answer (offline) is late; by the next question the printer is back online.
    const p = fakePrinter(
      () => ({ offline, coverOpen: false, paper: 'ok' }),
      (_n, asked) => (asked === 0 ? 60 : 1),
    );
    const d = new EscPosDriver(p.transport, 20);
    await expect(d.state()).rejects.toMatchObject({ name: 'PrinterError', kind: 'timeout' });
    offline = false;
    await new Promise((r) => setTimeout(r, 80)); // the late byte is in the inbox now
    expect(await d.state()).toEqual({ device: 'online', paper: 'ok', coverOpen: false });
  });

  it('a printer that never answers is a timeout, and the next caller still gets its turn', async () => {
    // The first question is never answered; the printer answers again from the second on.
    const p = fakePrinter(
      () => ({ offline: true, coverOpen: false, paper: 'ok' }),
      (_n, asked) => (asked === 0 ? null : 1),
    );
    const d = new EscPosDriver(p.transport, 20);
    const first = d.state();
    const second = d.state();
    await expect(first).rejects.toMatchObject({ kind: 'timeout' });
    expect(await second).toMatchObject({ device: 'offline' });
    expect(p.written).toEqual(['EOT1', 'EOT1', 'EOT2', 'EOT4']);
  });
});
