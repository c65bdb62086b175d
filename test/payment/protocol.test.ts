import { describe, expect, it } from 'vitest';
import {
  Header,
  advanceCounter,
  billEvents,
  channelsFromMask,
  checksumOk,
  coinEvents,
  counterDelta,
  crc16,
  decodeEventBuffer,
  decodeFrame,
  decodeHopperStatus,
  decodeRouteReply,
  encodeFrame,
  inhibitMask,
  simpleChecksum,
} from '../../drivers/payment/protocol.js';
import { CcTalkError } from '../../drivers/payment/errors.js';

const coinYen = (c: number) => ({ 1: 10, 2: 50, 3: 100, 4: 500 })[c];
const billYen = (c: number) => ({ 1: 1000, 2: 2000 })[c];

describe('ccTalk frames', () => {
  it('encodes a simple poll to the coin acceptor as the textbook bytes', () => {
    expect(Array.from(encodeFrame({ destination: 2, header: Header.simplePoll }))).toEqual([
      2, 0, 1, 254, 255,
    ]);
  });

  it('encodes data and a checksum that makes the sum zero mod 256', () => {
    const f = encodeFrame({ destination: 3, header: Header.hopperDispense, data: [7] });
    expect(Array.from(f.subarray(0, 5))).toEqual([3, 1, 1, 167, 7]);
    expect(Array.from(f).reduce((a, b) => a + b, 0) % 256).toBe(0);
    expect(simpleChecksum([1, 0, 2, 0])).toBe(253);
  });

  it('CRC-16/CCITT matches the XModem check value and round-trips in a frame', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
    const f = encodeFrame({ destination: 40, header: Header.simplePoll, mode: 'crc16' });
    const crc = crc16([40, 0, 254]);
    expect(Array.from(f)).toEqual([40, 0, crc & 0xff, 254, crc >> 8]);
    expect(decodeFrame(f, 'crc16')).toEqual({
      destination: 40,
      source: undefined,
      header: 254,
      data: new Uint8Array(),
    });
    expect(checksumOk(f, 'simple')).toBe(false);
  });

  it('decodes a reply and keeps the bytes of a bad one in a typed error', () => {
    const reply = encodeFrame({ destination: 1, source: 2, header: 0, data: [9, 8] });
    expect(decodeFrame(reply)).toEqual({
      destination: 1,
      source: 2,
      header: 0,
      data: new Uint8Array([9, 8]),
    });
    const bad = reply.slice();
    bad[4] = bad[4]! ^ 0x10;
    const err = (() => {
      try {
        decodeFrame(bad);
      } catch (e) {
        return e;
      }
    })() as CcTalkError;
    expect(err).toBeInstanceOf(CcTalkError);
    expect(err.kind).toBe('checksum');
    expect(Array.from(err.bytes!)).toEqual(Array.from(bad));
    expect(() => decodeFrame(new Uint8Array([1, 5, 2, 0]))).toThrow(
      expect.objectContaining({ kind: 'malformed' }),
    );
  });

  it('refuses data longer than a frame can carry', () => {
    expect(() => encodeFrame({ destination: 2, header: 1, data: new Array(253).fill(0) })).toThrow(
      expect.objectContaining({ kind: 'malformed' }),
    );
  });
});

describe('event counters', () => {
  it.each([
    [5, 5, { kind: 'same' }],
    [5, 7, { kind: 'new', count: 2 }],
    [254, 2, { kind: 'new', count: 3 }], // 255, 1, 2: wraps to 1, never 0
    [255, 1, { kind: 'new', count: 1 }],
    [250, 255, { kind: 'new', count: 5 }],
    [251, 2, { kind: 'lost', missed: 1 }],
    [10, 20, { kind: 'lost', missed: 5 }],
    [10, 0, { kind: 'reset' }],
    [0, 0, { kind: 'same' }],
    [0, 3, { kind: 'new', count: 3 }],
    [0, 9, { kind: 'lost', missed: 4 }],
  ])('%i → %i', (a, b, want) => expect(counterDelta(a, b)).toEqual(want));

  it('advances 1..255 and wraps to 1', () => {
    expect(advanceCounter(254)).toBe(255);
    expect(advanceCounter(255)).toBe(1);
    expect(advanceCounter(250, 10)).toBe(5);
  });
});

describe('event buffers', () => {
  it('turns the newest pairs of a coin buffer into events, oldest first', () => {
    const { counter, pairs } = decodeEventBuffer(new Uint8Array([12, 3, 1, 0, 20, 4, 1, 0, 14, 2, 1]));
    expect(counter).toBe(12);
    expect(coinEvents(pairs, 4, coinYen)).toEqual([
      { type: 'jam', device: 'coin', reason: 'error14' },
      { type: 'credited', device: 'coin', yen: 500, channel: 4 },
      { type: 'fraud', device: 'coin', reason: 'error20' },
      { type: 'credited', device: 'coin', yen: 100, channel: 3 },
    ]);
    expect(
      coinEvents(
        [
          [0, 2],
          [9, 1],
        ],
        2,
        coinYen,
      ),
    ).toEqual([
      { type: 'rejected', device: 'coin', reason: 'unknownChannel9' },
      { type: 'rejected', device: 'coin', reason: 'inhibitedCoin' },
    ]);
  });

  it('names the coin of an "inhibited coin type n" error (128–159) by its channel', () => {
    expect(
      coinEvents(
        [
          [0, 131],
          [0, 128],
          [0, 159],
        ],
        3,
        coinYen,
      ),
    ).toEqual([
      { type: 'rejected', device: 'coin', reason: 'inhibitedCoin' },
      { type: 'rejected', device: 'coin', reason: 'inhibitedCoin', yen: 10 },
      { type: 'rejected', device: 'coin', reason: 'inhibitedCoin', yen: 500 },
    ]);
  });

  it('tells escrow from stacked and maps bill status codes', () => {
    const pairs: Array<[number, number]> = [
      [0, 14],
      [0, 1],
      [1, 0],
      [1, 1],
      [0, 16],
    ];
    expect(billEvents(pairs, 5, billYen).map((e) => e.type)).toEqual([
      'jam',
      'escrowed',
      'stacked',
      'returned',
      'cashBoxFull',
    ]);
    expect(billEvents([[0, 18]], 1, billYen)).toEqual([
      { type: 'fraud', device: 'bill', reason: 'status18' },
    ]);
  });

  it('rejects a buffer reply of the wrong size', () => {
    expect(() => decodeEventBuffer(new Uint8Array(10))).toThrow(
      expect.objectContaining({ kind: 'malformed' }),
    );
  });
});

describe('inhibits, hopper and routing replies', () => {
  it('builds inhibit masks both ways', () => {
    expect(inhibitMask([1, 3, 9])).toEqual([0b101, 0b1]);
    expect(channelsFromMask(0b101, 1)).toEqual([1, 3, 9]);
  });
  it('decodes hopper status and route replies', () => {
    expect(decodeHopperStatus(new Uint8Array([4, 0, 3, 2]))).toEqual({
      counter: 4,
      remaining: 0,
      paid: 3,
      unpaid: 2,
    });
    expect(decodeRouteReply(new Uint8Array())).toEqual({ ok: true });
    expect(decodeRouteReply(new Uint8Array([254]))).toEqual({ ok: false, reason: 'escrowEmpty' });
    expect(decodeRouteReply(new Uint8Array([255]))).toEqual({ ok: false, reason: 'failedToRoute' });
  });
});
