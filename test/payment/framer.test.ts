import { describe, expect, it } from 'vitest';
import { CcTalkFramer } from '../../drivers/payment/framer.js';
import { checksumOk, encodeFrame } from '../../drivers/payment/protocol.js';
import type { CcTalkError } from '../../drivers/payment/errors.js';

function harness(gapMs = 50) {
  let now = 0;
  const frames: number[][] = [];
  const errors: CcTalkError[] = [];
  const framer = new CcTalkFramer({
    now: () => now,
    interByteTimeoutMs: gapMs,
    accept: (f) => checksumOk(f, 'simple'),
    onFrame: (f) => frames.push(Array.from(f)),
    onError: (e) => errors.push(e),
  });
  return { framer, frames, errors, tick: (ms: number) => (now += ms) };
}

const a = Array.from(encodeFrame({ destination: 2, header: 229 }));
const b = Array.from(
  encodeFrame({ destination: 1, source: 2, header: 0, data: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }),
);
const stream = [...a, ...b];

describe('CcTalkFramer', () => {
  it('cuts the same two frames however the input is split (every split point)', () => {
    for (let i = 0; i <= stream.length; i++) {
      const h = harness();
      h.framer.push(stream.slice(0, i));
      h.framer.push(stream.slice(i));
      expect(h.frames).toEqual([a, b]);
      expect(h.errors).toEqual([]);
    }
  });

  it('cuts frames fed one byte at a time', () => {
    const h = harness();
    for (const x of stream) h.framer.push([x]);
    expect(h.frames).toEqual([a, b]);
  });

  it('skips garbage before a frame, reporting it, and keeps the frame after it', () => {
    const h = harness();
    h.framer.push([0x55, 0x00, 0xff, ...a]);
    expect(h.frames).toEqual([a]);
    expect(h.errors.length).toBeGreaterThan(0);
    expect(h.errors.map((e) => e.kind)).toContain('checksum');
  });

  it('drops a corrupted frame but keeps the good one that follows', () => {
    const bad = [...a];
    bad[3] = bad[3]! ^ 1;
    const h = harness();
    h.framer.push([...bad, ...b]);
    expect(h.frames).toEqual([b]);
  });

  it('abandons a partial frame after the inter-byte timeout (injected clock)', () => {
    const h = harness(50);
    h.framer.push(a.slice(0, 3));
    h.tick(51);
    h.framer.push(b);
    expect(h.frames).toEqual([b]);
    expect(h.errors.map((e) => e.kind)).toEqual(['timeout']);
    expect(Array.from(h.errors[0]!.bytes!)).toEqual(a.slice(0, 3));
  });

  it('keeps a partial frame within the timeout', () => {
    const h = harness(50);
    h.framer.push(a.slice(0, 3));
    h.tick(49);
    h.framer.push(a.slice(3));
    expect(h.frames).toEqual([a]);
  });
});
