import { describe, expect, it } from 'vitest';
import { PrinterError } from '../../drivers/printer/errors.js';
import {
  cmd,
  columns,
  EscPosDecoder,
  parseStatus,
  printableInKanjiMode,
  rasterImage,
  statusByte,
  textLine,
  type EscPosOp,
} from '../../drivers/printer/escpos/protocol.js';
import { receiptEscPos } from '../../src/documents/thermal.js';

const hex = (b: ArrayLike<number>) => Buffer.from(Array.from(b)).toString('hex');

describe('ESC/POS encoder', () => {
  it('sends Japanese in Kanji mode as Shift_JIS, never EUC-JP', () => {
    // FS & · 領収書 in Shift_JIS (97cc 8efb 8f91) · FS . · LF
    expect(hex(textLine('領収書'))).toBe('1c26' + '97cc8efb8f91' + '1c2e' + '0a');
    // EUC-JP of 領 would be cEDC: it must not appear.
    expect(hex(textLine('領収書'))).not.toContain('cedc');
  });
  it('sends ASCII lines without Kanji mode', () => {
    expect(hex(textLine('No. 12'))).toBe('4e6f2e2031320a');
  });
  it('selects Shift_JIS, sizes, cuts and asks status with the documented bytes', () => {
    expect(hex(cmd.kanjiShiftJis())).toBe('1c4301');
    expect(hex(cmd.size(2, 2))).toBe('1d2111');
    expect(hex(cmd.cut())).toBe('1d564200');
    expect(hex(cmd.status(4))).toBe('100404');
  });
  it('frames a GS v 0 raster with little-endian byte width and height', () => {
    expect(hex(rasterImage(16, 2, Uint8Array.from([0xff, 0x00, 0x0f, 0xf0])))).toBe(
      '1d763000' + '0200' + '0200' + 'ff000ff0',
    );
    expect(() => rasterImage(16, 2, new Uint8Array(3))).toThrow(RangeError);
  });
  it('tells JIS X 0208 text from characters only vendor extensions encode', () => {
    for (const ok of ['山田 太郎', '齋藤 邉', '室蘭市幸町1番2号', 'ｱｲｳ', 'No. 12'])
      expect(printableInKanjiMode(ok), ok).toBe(true);
    // 髙 and 﨑: IBM extensions (FB FC, FA B1); ①: NEC row 13 (87 40); 〜 has no Shift_JIS code.
    for (const ext of ['髙', '﨑', '①', '〜']) expect(printableInKanjiMode(`山${ext}`), ext).toBe(false);
  });

  it('counts full-width characters as two columns', () => {
    expect(columns('手数料 300円')).toBe(3 * 2 + 1 + 3 + 2);
  });
});

describe('DLE EOT status', () => {
  it.each([
    [1, 0x12, { offline: false }],
    [1, 0x1a, { offline: true }],
    [2, 0x16, { coverOpen: true, paperEndStop: false, errorOccurred: false }],
    [2, 0x72, { coverOpen: false, paperEndStop: true, errorOccurred: true }],
    [4, 0x12, { paperNearEnd: false, paperEnd: false }],
    [4, 0x1e, { paperNearEnd: true, paperEnd: false }],
    [4, 0x7e, { paperNearEnd: true, paperEnd: true }],
  ] as const)('DLE EOT %i answer 0x%s', (n, byte, expected) => {
    expect(parseStatus(n, byte)).toEqual(expected);
  });
  it.each([0x00, 0xff, 0x13, 0x92, undefined])('rejects malformed byte %s with a typed error', (byte) => {
    try {
      parseStatus(1, byte);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PrinterError);
      expect((e as PrinterError).kind).toBe('malformedStatus');
    }
  });
  it('encodes what it parses (emulator side)', () => {
    expect(parseStatus(4, statusByte(4, { offline: false, coverOpen: false, paper: 'out' }))).toEqual({
      paperNearEnd: true,
      paperEnd: true,
    });
    expect(parseStatus(2, statusByte(2, { offline: false, coverOpen: true, paper: 'ok' })).coverOpen).toBe(
      true,
    );
  });
});

describe('ESC/POS decoder', () => {
  const receipt = receiptEscPos({
    municipality: '室蘭市',
    title: '領収書',
    kioskId: 'MRN-01',
    transactionRef: 'T-0001',
    at: new Date('2026-11-26T01:02:00Z'),
    lines: [{ label: '住民票の写し 1通', amount: 200 }],
  });
  const texts = (ops: EscPosOp[]) =>
    ops.filter((o) => o.op === 'text').map((o) => (o as { text: string }).text);

  it('decodes a receipt back to its text', () => {
    const ops = new EscPosDecoder().push(receipt);
    expect(texts(ops)).toContain('領収書');
    expect(texts(ops)).toContain('室蘭市');
    expect(texts(ops).some((t) => t.startsWith('住民票の写し 1通') && t.endsWith('200円'))).toBe(true);
    expect(ops.at(-1)).toEqual({ op: 'cut' });
  });
  it('gives the same operations whatever the chunking (split at every byte)', () => {
    const whole = new EscPosDecoder().push(receipt);
    const d = new EscPosDecoder();
    const split: EscPosOp[] = [];
    for (const b of receipt) split.push(...d.push(Uint8Array.of(b)));
    // Text runs may be cut into pieces byte by byte: compare the joined text and the other ops.
    const shape = (ops: EscPosOp[]) => ops.filter((o) => o.op !== 'text').map((o) => o.op);
    expect(shape(split)).toEqual(shape(whole));
    expect(texts(split).join('')).toBe(texts(whole).join(''));
  });
  it('waits for a whole raster before emitting it', () => {
    const bytes = Uint8Array.from(rasterImage(8, 3, Uint8Array.of(1, 2, 3)));
    const d = new EscPosDecoder();
    expect(d.push(bytes.subarray(0, 9))).toEqual([]);
    expect(d.push(bytes.subarray(9))).toEqual([
      { op: 'raster', widthDots: 8, height: 3, bits: Uint8Array.of(1, 2, 3) },
    ]);
  });
});
