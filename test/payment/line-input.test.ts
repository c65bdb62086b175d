// Bad input on the line, byte by byte: the host's bus and acceptor drivers fed scripted replies
// split at every byte. Garbled frames, wrong checksums, unexpected headers and sources end in a
// typed error or a clean retry; event counters that go back, jump or wrap never credit twice or lose.
import { describe, expect, it } from 'vitest';
import { CcTalkBus } from '../../drivers/payment/bus.js';
import { CcTalkCoinAcceptor, CcTalkBillValidator } from '../../drivers/payment/acceptors.js';
import { CcTalkError } from '../../drivers/payment/errors.js';
import type { AcceptorEvent, ByteTransport } from '../../drivers/payment/interface.js';
import { Header, encodeFrame } from '../../drivers/payment/protocol.js';

/** A line whose device side answers each request with the chunks `answer` returns (attempt = 0, 1, …). */
function scriptedLine(
  answer: (request: Uint8Array, attempt: number) => number[][],
): ByteTransport & { requests: Uint8Array[] } {
  const listeners = new Set<(b: Uint8Array) => void>();
  const requests: Uint8Array[] = [];
  return {
    requests,
    async write(bytes) {
      const attempt = requests.length;
      requests.push(Uint8Array.from(bytes));
      const chunks = answer(Uint8Array.from(bytes), attempt);
      // Deliver chunk after chunk, each on its own turn, as a serial port hands over its reads.
      let i = 0;
      const next = () => {
        if (i >= chunks.length) return;
        const c = Uint8Array.from(chunks[i++]!);
        listeners.forEach((l) => l(c));
        setImmediate(next);
      };
      setImmediate(next);
    },
    onData(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async close() {},
  };
}

const splitAt = (bytes: number[], k: number) =>
  k <= 0 || k >= bytes.length ? [bytes] : [bytes.slice(0, k), bytes.slice(k)];
const reply = (source: number, data: number[], header = 0) =>
  Array.from(encodeFrame({ destination: 1, source, header, data }));
const bus = (t: ByteTransport, retries = 2) => new CcTalkBus(t, { replyTimeoutMs: 25, retries });

const EVENTS = [3, 1, 1, 3, 1, 2, 1, 0, 0, 0, 0]; // counter 3: ¥10, ¥100, ¥50 (newest first)

describe('host bus: replies split at every byte', () => {
  const request = Array.from(encodeFrame({ destination: 2, header: Header.coinEvents }));
  const good = reply(2, EVENTS);
  const withEcho = [...request, ...good];

  it('echo plus reply, cut anywhere, gives the same data and no retry', async () => {
    for (let k = 0; k <= withEcho.length; k++) {
      const t = scriptedLine(() => splitAt(withEcho, k));
      const b = bus(t);
      expect(
        Array.from(await b.request(2, Header.coinEvents, [], { replyLength: 11 })),
        `split at ${k}`,
      ).toEqual(EVENTS);
      expect(b.counters.retries).toBe(0);
    }
  });

  it('the reply fed one byte at a time', async () => {
    const t = scriptedLine(() => withEcho.map((x) => [x]));
    expect(Array.from(await bus(t).request(2, Header.coinEvents))).toEqual(EVENTS);
  });

  it('a wrong checksum, cut anywhere: a typed checksum error, then the retry reads the same buffer once', async () => {
    const bad = [...good];
    bad[bad.length - 1] = (bad[bad.length - 1]! + 1) & 0xff;
    for (let k = 0; k <= bad.length; k++) {
      const t = scriptedLine((_, attempt) => (attempt === 0 ? splitAt(bad, k) : [good]));
      const b = bus(t);
      expect(
        Array.from(await b.request(2, Header.coinEvents, [], { replyLength: 11 })),
        `split at ${k}`,
      ).toEqual(EVENTS);
      expect(b.counters).toMatchObject({ corrupted: 1, retries: 1 });
      expect(t.requests).toHaveLength(2);
    }
  });

  it('a wrong checksum on every attempt ends in a typed error carrying the bytes', async () => {
    const bad = [...good];
    bad[4] = bad[4]! ^ 0x40;
    const t = scriptedLine(() => [bad]);
    const err = (await bus(t)
      .request(2, Header.coinEvents)
      .catch((e: unknown) => e)) as CcTalkError;
    expect(err).toBeInstanceOf(CcTalkError);
    expect(err.kind).toBe('checksum');
    expect(Array.from(err.bytes!)).toEqual(bad);
  });

  it('garbled bytes before the reply, cut anywhere: a typed error or the reply, never wrong data', async () => {
    const noisy = [0x00, 0xff, 0x13, ...good];
    for (let k = 0; k <= noisy.length; k++) {
      const t = scriptedLine((_, attempt) => (attempt === 0 ? splitAt(noisy, k) : [good]));
      const b = bus(t);
      expect(
        Array.from(await b.request(2, Header.coinEvents, [], { replyLength: 11 })),
        `split at ${k}`,
      ).toEqual(EVENTS);
      expect(t.requests.length).toBeLessThanOrEqual(2);
    }
  });

  it('a truncated reply times out (typed) and is retried', async () => {
    const t = scriptedLine((_, attempt) => (attempt === 0 ? [good.slice(0, 7)] : [good]));
    const b = bus(t);
    expect(Array.from(await b.request(2, Header.coinEvents))).toEqual(EVENTS);
    expect(b.counters.timeouts).toBe(1);
  });

  it('an unexpected header (BUSY, or a command) is a typed error, never taken as data', async () => {
    for (const header of [6, Header.coinEvents]) {
      const t = scriptedLine(() => [reply(2, EVENTS, header)]);
      const err = (await bus(t)
        .request(2, Header.coinEvents)
        .catch((e: unknown) => e)) as CcTalkError;
      expect(err.kind).toBe('unexpectedHeader');
      expect(t.requests).toHaveLength(3); // retried per the rules for a read
    }
  });

  it('a reply from another address is a typed error', async () => {
    const t = scriptedLine(() => [reply(3, EVENTS)]);
    await expect(bus(t, 0).request(2, Header.coinEvents)).rejects.toMatchObject({ kind: 'unexpectedSource' });
  });

  it('a route command (not idempotent) is sent once even when its reply is garbled', async () => {
    const t = scriptedLine(() => [[0x01, 0x01, 0x28, 0x00, 0xfe, 0x99]]);
    await expect(
      bus(t).request(40, Header.billRoute, [1], { idempotent: false, replyLength: [0, 1] }),
    ).rejects.toMatchObject({ kind: 'checksum' });
    expect(t.requests).toHaveLength(1);
  });

  it('a route reply with an error byte the specification does not define is malformed', async () => {
    const t = scriptedLine(() => [reply(40, [7])]);
    const v = new CcTalkBillValidator(bus(t), 40);
    await expect(v.route('stack')).rejects.toMatchObject({ kind: 'malformed' });
  });
});

describe('event counters as the acceptor driver reads them', () => {
  /** A coin acceptor whose 229 replies come from `buffers`, one per poll. */
  function acceptor(buffers: number[][]) {
    let i = 0;
    const t = scriptedLine(() => [reply(2, buffers[Math.min(i++, buffers.length - 1)]!)]);
    return new CcTalkCoinAcceptor(bus(t, 0), 2);
  }
  const credits = (events: AcceptorEvent[]) =>
    events.filter((e) => e.type === 'credited').map((e) => (e.type === 'credited' ? e.yen : 0));

  it('credits each event once across repeated reads, a stale (backwards) reply, a wrap and a gap', async () => {
    const a = acceptor([
      [7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], // baseline: older events are never credited
      [8, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0], // +¥100
      [8, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0], // same again: nothing new
      [10, 4, 1, 1, 1, 3, 1, 0, 0, 0, 0], // +¥10, +¥500 (oldest first)
      [9, 1, 1, 3, 1, 0, 0, 0, 0, 0, 0], // went back: out of sequence, typed error, baseline kept
      [11, 2, 1, 4, 1, 1, 1, 3, 1, 0, 0], // +¥50 only (10 was already read)
      [17, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], // jumped by 6: events lost, never credited
    ]);
    const got: number[] = [];
    const types: string[] = [];
    for (let n = 0; n < 7; n++) {
      try {
        const ev = await a.poll();
        got.push(...credits(ev));
        types.push(...ev.map((e) => e.type));
      } catch (e) {
        expect(e).toMatchObject({ kind: 'sequence' });
        types.push('sequence');
      }
    }
    expect(got).toEqual([100, 10, 500, 50]);
    expect(types).toEqual(['credited', 'credited', 'credited', 'sequence', 'credited', 'lostEvents']);
  });

  it('wraps 255 → 1 (never 0) and treats 0 as a reset', async () => {
    const a = acceptor([
      [254, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0], // 255, 1, 2: three ¥10
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], // power-up
      [1, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0], // +¥500 after the reset
    ]);
    const all: AcceptorEvent[] = [];
    for (let n = 0; n < 4; n++) all.push(...(await a.poll()));
    expect(all.map((e) => e.type)).toEqual(['credited', 'credited', 'credited', 'reset', 'credited']);
    expect(credits(all)).toEqual([10, 10, 10, 500]);
  });
});

describe('bill events: each bill credited once, escrow on or off', () => {
  function validator(buffers: number[][]) {
    let i = 0;
    const t = scriptedLine(() => [reply(40, buffers[Math.min(i++, buffers.length - 1)]!)]);
    return new CcTalkBillValidator(bus(t, 0), 40);
  }

  it('escrow on: held, then stacked after the route; the stack event is a confirmation, not a credit', async () => {
    const v = validator([
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], // ¥1000 held
      [2, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0], // stacked
    ]);
    await v.poll();
    expect((await v.poll()).map((e) => e.type)).toEqual(['escrowed']);
    expect((await v.poll()).map((e) => e.type)).toEqual(['stacked']);
  });

  it('escrow off: [channel][0] alone is the credit', async () => {
    const v = validator([
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
    await v.poll();
    expect(await v.poll()).toEqual([{ type: 'credited', device: 'bill', yen: 1000, channel: 1 }]);
  });

  it('a route acknowledged by the device: its event is swallowed, so nothing is counted twice', async () => {
    const v = validator([
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
      [2, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0], // returned from escrow
    ]);
    await v.poll();
    await v.poll();
    v.escrow.routed('return');
    expect(await v.poll()).toEqual([]);
  });

  it('after a restart (recovery), the stack event of a bill settled by route is not credited again', async () => {
    const v = validator([
      [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], // baseline: the bill went into escrow before the crash
      [2, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0], // stacked by the recovery's route
    ]);
    await v.poll();
    v.escrow.routed('stack');
    expect(await v.poll()).toEqual([]);
  });

  it('a bill returned by the validator (escrow timeout) carries the held yen', async () => {
    const v = validator([
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0],
      [2, 0, 1, 2, 1, 0, 0, 0, 0, 0, 0],
    ]);
    await v.poll();
    await v.poll();
    expect(await v.poll()).toEqual([{ type: 'returned', device: 'bill', yen: 2000 }]);
  });
});
