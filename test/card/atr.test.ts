import { describe, expect, it } from 'vitest';
import { extendedLengthFrom, parseAtr } from '../../drivers/card/atr.js';
import { extendedLengthFromAtr } from '../../drivers/card/jpki-client.js';
import { CONTACTLESS_ATR, JPKI_ATR } from '../../drivers/card/jpki-constants.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

describe('ATR', () => {
  it('reads the JPKI card ATR: T=1, no historical bytes, extended length not told', () => {
    const f = parseAtr(JPKI_ATR);
    expect(f.protocols).toEqual([1]);
    expect(f.historical.length).toBe(0);
    expect(f.extendedLength).toBeNull();
    // Unknown on a T=1 card: the client asks once.
    expect(extendedLengthFromAtr(JPKI_ATR)).toBeNull();
  });

  it('reads a contactless PC/SC ATR (TD1 names T=0, TD2 T=1)', () => {
    expect(parseAtr(CONTACTLESS_ATR).protocols).toEqual([0, 1]);
  });

  it('finds extended Lc/Le in the card capabilities of compact-TLV historical bytes', () => {
    // TS, T0 (TD1, 6 historical bytes), TD1 (T=1, TD2), TD2 (T=1) | 80 73 A0 21 C0 00 | TCK
    const withExt = hex('3B 86 81 01 80 73 A0 21 C0 00 B4');
    const f = parseAtr(withExt);
    expect(f.protocols).toEqual([1]);
    expect([...f.historical]).toEqual([0x80, 0x73, 0xa0, 0x21, 0xc0, 0x00]);
    expect(f.extendedLength).toBe(true);
    expect(extendedLengthFromAtr(withExt)).toBe(true);
    // The same capabilities without b7 of the third byte: the card says no.
    expect(extendedLengthFrom(hex('80 73 A0 21 80'))).toBe(false);
    // Category 00: the last three bytes are a status indicator, not compact-TLV.
    expect(extendedLengthFrom(hex('00 31 FE 73 00 00 40 00 90 00'))).toBe(true);
    expect(extendedLengthFrom(hex('00 31 FE 90 00 00'))).toBeNull();
  });

  it('says nothing for other categories or broken compact-TLV', () => {
    expect(extendedLengthFrom(hex('10 73 00 00 40'))).toBeNull();
    expect(extendedLengthFrom(hex('80 75 00'))).toBeNull();
    expect(extendedLengthFrom(new Uint8Array(0))).toBeNull();
  });

  it('keeps a T=0-only card to short reads, and a broken ATR too', () => {
    expect(parseAtr(hex('3B 02 14 50')).protocols).toEqual([0]);
    expect(extendedLengthFromAtr(hex('3B 02 14 50'))).toBe(false);
    expect(() => parseAtr(hex('3B 8F 80 01'))).toThrow(/historical bytes/);
    expect(() => parseAtr(hex('12 00'))).toThrow(/TS/);
    expect(extendedLengthFromAtr(hex('12 00'))).toBe(false);
    expect(extendedLengthFromAtr(undefined)).toBe(false);
  });
});
