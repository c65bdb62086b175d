import { describe, expect, it } from 'vitest';
import { classify, frame, VpcdDeframer } from '../../fixtures/vcard/vpcd-framing.js';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

describe('vpcd framing', () => {
  const payloads = [
    Uint8Array.of(4),
    Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x02, 0x00, 0x06),
    Uint8Array.of(1),
    new Uint8Array(300).fill(7),
  ];
  const stream = Uint8Array.from(payloads.flatMap((p) => Array.from(frame(p))));

  it('frames with a 2-byte big-endian length', () => {
    expect(toHex(frame(Uint8Array.of(4)))).toBe('000104');
    expect(toHex(frame(new Uint8Array(300)).subarray(0, 2))).toBe('012C');
  });

  it('cuts the same frames however the stream is split', () => {
    for (let a = 0; a <= stream.length; a++) {
      const d = new VpcdDeframer();
      const out = [...d.push(stream.subarray(0, a)), ...d.push(stream.subarray(a))];
      expect(out.map(toHex)).toEqual(payloads.map(toHex));
      expect(d.pending).toBe(0);
    }
  });

  it('cuts frames fed one byte at a time', () => {
    const d = new VpcdDeframer();
    const out: Uint8Array[] = [];
    for (const b of stream) out.push(...d.push(Uint8Array.of(b)));
    expect(out.map(toHex)).toEqual(payloads.map(toHex));
  });

  it('classifies control codes and APDUs', () => {
    expect(classify(Uint8Array.of(4))).toEqual({ type: 'control', code: 4 });
    expect(classify(Uint8Array.of(0, 0xb0)).type).toBe('apdu');
  });
});
