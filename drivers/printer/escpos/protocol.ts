// ESC/POS (Epson command set) as pure functions over bytes: an encoder for what we send, the
// real-time status (DLE EOT n) parser, and a decoder used by the emulator and the tests.
// Japanese text uses the printer's Kanji mode with Shift_JIS (FS C 1, FS & … FS .), the code
// systems Epson heads actually implement (not EUC-JP).
import iconv from 'iconv-lite';
import { PrinterError } from '../errors.js';

export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;
export const EOT = 0x04;
export const LF = 0x0a;

export const cmd = {
  init: () => [ESC, 0x40],
  align: (a: 'left' | 'center' | 'right') => [ESC, 0x61, a === 'left' ? 0 : a === 'center' ? 1 : 2],
  bold: (on: boolean) => [ESC, 0x45, on ? 1 : 0],
  /** GS ! n: width and height multipliers 1–8. */
  size: (w: number, h: number) => [GS, 0x21, ((w - 1) << 4) | (h - 1)],
  kanjiShiftJis: () => [FS, 0x43, 0x01],
  kanjiOn: () => [FS, 0x26],
  kanjiOff: () => [FS, 0x2e],
  feed: (lines: number) => [ESC, 0x64, lines],
  cut: () => [GS, 0x56, 0x42, 0x00],
  status: (n: 1 | 2 | 3 | 4) => [DLE, EOT, n],
};

/** A line of text: ASCII as is, anything else inside Kanji mode as Shift_JIS. */
export function textLine(text: string): number[] {
  const out: number[] = [];
  const ascii = /^[\x20-\x7e]*$/.test(text);
  if (!ascii) out.push(...cmd.kanjiOn());
  out.push(...iconv.encode(text, 'Shift_JIS'));
  if (!ascii) out.push(...cmd.kanjiOff());
  out.push(LF);
  return out;
}

/**
 * Whether Kanji mode can print `text` as it is: ASCII, JIS X 0201 half-width katakana and JIS X 0208
 * (Shift_JIS lead bytes 81–84, 88–9F, E0–EA). Characters outside JIS X 0208 (髙, 﨑, ①) exist only
 * as vendor extensions (NEC row 13, IBM extensions: leads 87, ED–EE, FA–FC) that a head may print
 * as something else, or not at all: such text goes out as a raster instead.
 */
export function printableInKanjiMode(text: string): boolean {
  for (const ch of text) {
    const bytes = iconv.encode(ch, 'Shift_JIS');
    if (iconv.decode(bytes, 'Shift_JIS') !== ch) return false;
    if (bytes.length === 1) continue;
    const lead = bytes[0]!;
    if (!((lead >= 0x81 && lead <= 0x84) || (lead >= 0x88 && lead <= 0x9f) || (lead >= 0xe0 && lead <= 0xea)))
      return false;
  }
  return true;
}

/** GS v 0: a 1-bit raster, `bits` row-major with (width/8) bytes a row, MSB left, 1 = black. */
export function rasterImage(widthDots: number, height: number, bits: Uint8Array): number[] {
  const wb = Math.ceil(widthDots / 8);
  if (bits.length !== wb * height)
    throw new RangeError(`raster has ${bits.length} bytes, expected ${wb * height}`);
  return [GS, 0x76, 0x30, 0, wb & 0xff, wb >> 8, height & 0xff, height >> 8, ...bits];
}

/** Display width in half-width columns: full-width characters take two (Kanji-mode fonts). */
export function columns(text: string): number {
  let n = 0;
  for (const ch of text) n += /[\x20-\x7e\uff61-\uff9f]/.test(ch) ? 1 : 2;
  return n;
}

/* ───────────── real-time status (DLE EOT n) ───────────── */

export interface RealtimeStatus {
  offline?: boolean;
  coverOpen?: boolean;
  paperEndStop?: boolean;
  errorOccurred?: boolean;
  autocutterError?: boolean;
  unrecoverableError?: boolean;
  paperNearEnd?: boolean;
  paperEnd?: boolean;
}

/** Every DLE EOT answer has bits 1 and 4 set and bits 0 and 7 clear. */
export function parseStatus(n: 1 | 2 | 3 | 4, byte: number | undefined): RealtimeStatus {
  if (byte === undefined || (byte & 0x93) !== 0x12) {
    throw new PrinterError(
      'malformedStatus',
      `DLE EOT ${n}: malformed status byte ${byte === undefined ? '(none)' : `0x${byte.toString(16).padStart(2, '0')}`}`,
    );
  }
  switch (n) {
    case 1:
      return { offline: (byte & 0x08) !== 0 };
    case 2:
      return {
        coverOpen: (byte & 0x04) !== 0,
        paperEndStop: (byte & 0x20) !== 0,
        errorOccurred: (byte & 0x40) !== 0,
      };
    case 3:
      return { autocutterError: (byte & 0x08) !== 0, unrecoverableError: (byte & 0x20) !== 0 };
    case 4:
      return { paperNearEnd: (byte & 0x0c) !== 0, paperEnd: (byte & 0x60) !== 0 };
  }
}

export function statusByte(
  n: 1 | 2 | 3 | 4,
  s: { offline: boolean; coverOpen: boolean; paper: 'ok' | 'low' | 'out' },
): number {
  let b = 0x12;
  if (n === 1 && s.offline) b |= 0x08;
  if (n === 2) {
    if (s.coverOpen) b |= 0x04;
    if (s.paper === 'out') b |= 0x20;
    if (s.coverOpen || s.paper === 'out') b |= 0x40;
  }
  if (n === 4) {
    if (s.paper !== 'ok') b |= 0x0c;
    if (s.paper === 'out') b |= 0x60;
  }
  return b;
}

/* ───────────── decoder (emulator, tests) ───────────── */

export type EscPosOp =
  | { op: 'init' }
  | { op: 'align'; value: 'left' | 'center' | 'right' }
  | { op: 'bold'; on: boolean }
  | { op: 'size'; w: number; h: number }
  | { op: 'text'; text: string }
  | { op: 'newline' }
  | { op: 'feed'; lines: number }
  | { op: 'raster'; widthDots: number; height: number; bits: Uint8Array }
  | { op: 'cut' }
  | { op: 'status'; n: number }
  | { op: 'unknown'; bytes: number[] };

/**
 * Streaming decoder: feed chunks as they arrive; complete commands come out, a partial one waits.
 */
export class EscPosDecoder {
  private buf = Buffer.alloc(0);
  private kanji = false;
  private shiftJis = false;

  push(chunk: Uint8Array): EscPosOp[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const ops: EscPosOp[] = [];
    let i = 0;
    const b = this.buf;
    const need = (n: number) => i + n <= b.length;
    outer: while (i < b.length) {
      const c = b[i]!;
      if (c === ESC) {
        if (!need(2)) break;
        const f = b[i + 1]!;
        if (f === 0x40) {
          ops.push({ op: 'init' });
          this.kanji = false;
          i += 2;
        } else if (
          f === 0x61 ||
          f === 0x45 ||
          f === 0x64 ||
          f === 0x74 ||
          f === 0x52 ||
          f === 0x21 ||
          f === 0x4d
        ) {
          if (!need(3)) break;
          const n = b[i + 2]!;
          if (f === 0x61)
            ops.push({ op: 'align', value: n % 48 === 1 ? 'center' : n % 48 === 2 ? 'right' : 'left' });
          else if (f === 0x45) ops.push({ op: 'bold', on: (n & 1) === 1 });
          else if (f === 0x64) ops.push({ op: 'feed', lines: n });
          i += 3;
        } else {
          ops.push({ op: 'unknown', bytes: [c, f] });
          i += 2;
        }
      } else if (c === GS) {
        if (!need(2)) break;
        const f = b[i + 1]!;
        if (f === 0x21) {
          if (!need(3)) break;
          ops.push({ op: 'size', w: (b[i + 2]! >> 4) + 1, h: (b[i + 2]! & 0x0f) + 1 });
          i += 3;
        } else if (f === 0x56) {
          if (!need(3)) break;
          const m = b[i + 2]!;
          if (m === 0x41 || m === 0x42) {
            if (!need(4)) break;
            i += 4;
          } else i += 3;
          ops.push({ op: 'cut' });
        } else if (f === 0x76 && need(3) && b[i + 2] === 0x30) {
          if (!need(8)) break;
          const wb = b[i + 4]! | (b[i + 5]! << 8);
          const h = b[i + 6]! | (b[i + 7]! << 8);
          if (!need(8 + wb * h)) break;
          ops.push({
            op: 'raster',
            widthDots: wb * 8,
            height: h,
            bits: new Uint8Array(b.subarray(i + 8, i + 8 + wb * h)),
          });
          i += 8 + wb * h;
        } else {
          if (f === 0x76 && !need(3)) break;
          ops.push({ op: 'unknown', bytes: [c, f] });
          i += 2;
        }
      } else if (c === FS) {
        if (!need(2)) break;
        const f = b[i + 1]!;
        if (f === 0x43) {
          if (!need(3)) break;
          this.shiftJis = b[i + 2] === 1 || b[i + 2] === 0x31;
          i += 3;
        } else {
          if (f === 0x26) this.kanji = true;
          else if (f === 0x2e) this.kanji = false;
          else ops.push({ op: 'unknown', bytes: [c, f] });
          i += 2;
        }
      } else if (c === DLE) {
        if (!need(3)) break;
        ops.push({ op: 'status', n: b[i + 2]! });
        i += 3;
      } else if (c === LF) {
        ops.push({ op: 'newline' });
        i += 1;
      } else if (c < 0x20) {
        i += 1;
      } else {
        // A text run up to the next control byte; Kanji-mode double bytes are kept together.
        let j = i;
        while (j < b.length && b[j]! >= 0x20) {
          if (this.kanji && b[j]! >= 0x80) {
            if (j + 1 >= b.length) break;
            j += 2;
          } else j += 1;
        }
        if (j === i) break outer;
        const raw = b.subarray(i, j);
        ops.push({
          op: 'text',
          text: this.kanji
            ? iconv.decode(raw, this.shiftJis ? 'Shift_JIS' : 'ISO-2022-JP')
            : raw.toString('latin1'),
        });
        i = j;
      }
    }
    this.buf = b.subarray(i);
    return ops;
  }
}
