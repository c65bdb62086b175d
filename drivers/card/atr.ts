// The parts of an Answer-to-Reset (ISO/IEC 7816-3) an APDU client acts on, as pure functions over
// bytes: the protocols the card offers (TD bytes) and, from the historical bytes (ISO/IEC 7816-4
// compact-TLV), whether the card announces extended Lc/Le fields in its card capabilities.
import { MalformedResponseError } from './errors.js';

export interface AtrFacts {
  /** Transmission protocols the interface bytes name (T=0 when none is named). */
  protocols: number[];
  historical: Uint8Array;
  /**
   * Extended Lc/Le from the card-capabilities data object (tag 7, third software function byte, b7):
   * true or false when the card says so, null when its historical bytes do not tell.
   */
  extendedLength: boolean | null;
}

const CTX = 'ATR';

export function parseAtr(atr: Uint8Array): AtrFacts {
  if (atr.length < 2) throw new MalformedResponseError(CTX, `${atr.length} bytes, need TS and T0`);
  if (atr[0] !== 0x3b && atr[0] !== 0x3f)
    throw new MalformedResponseError(CTX, `TS 0x${atr[0]!.toString(16)} is neither direct nor inverse`);
  const historicalCount = atr[1]! & 0x0f;
  const protocols: number[] = [];
  let y = atr[1]! >> 4;
  let i = 2;
  for (let level = 1; ; level++) {
    // TA, TB, TC are skipped; TD names the protocol and which interface bytes follow.
    i += [0x1, 0x2, 0x4].filter((bit) => y & bit).length;
    if (!(y & 0x8)) break;
    if (i >= atr.length) throw new MalformedResponseError(CTX, `TD${level} missing`);
    const td = atr[i++]!;
    if (!protocols.includes(td & 0x0f)) protocols.push(td & 0x0f);
    y = td >> 4;
  }
  if (i + historicalCount > atr.length)
    throw new MalformedResponseError(CTX, `${historicalCount} historical bytes announced, fewer present`);
  const historical = atr.slice(i, i + historicalCount);
  return {
    protocols: protocols.length ? protocols : [0],
    historical,
    extendedLength: extendedLengthFrom(historical),
  };
}

/**
 * Card capabilities from historical bytes whose category indicator says compact-TLV follows
 * (00: with a 3-byte status indicator at the end, 80: without). Other categories do not tell.
 */
export function extendedLengthFrom(historical: Uint8Array): boolean | null {
  const category = historical[0];
  if (category !== 0x00 && category !== 0x80) return null;
  const end = category === 0x00 ? historical.length - 3 : historical.length;
  for (let i = 1; i < end;) {
    const tag = historical[i]! >> 4;
    const len = historical[i]! & 0x0f;
    if (i + 1 + len > end) return null; // malformed compact-TLV: the card has not told us
    if (tag === 0x7) return len >= 3 ? (historical[i + 3]! & 0x40) !== 0 : false;
    i += 1 + len;
  }
  return null;
}
