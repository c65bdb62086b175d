// Documents for the thermal roll. Receipts are ESC/POS text in Kanji mode (crisp, small); a
// certificate is laid out natively at the roll width (an A4 page shrunk to 72 mm is unreadable)
// and sent as one raster.
import { createCanvas, Image } from '@napi-rs/canvas';
import QRCode from 'qrcode';
import {
  cmd,
  columns,
  printableInKanjiMode,
  rasterImage,
  textLine,
} from '../../drivers/printer/escpos/protocol.js';
import { SignedDocument } from '../registry/document.js';
import { rowText, toForm, warekiDate } from './form.js';
import { sealedPages } from './pdf.js';
import { registerCanvasFont } from './fonts.js';

export interface Receipt {
  municipality: string;
  title: string;
  kioskId: string;
  /** Where the kiosk stands (室蘭市役所 本庁舎 1F). */
  kioskName?: string;
  transactionRef: string;
  at: Date;
  lines: Array<{ label: string; amount?: number }>;
  footer?: string[];
}

// 円, not ¥: 0x5C is ¥ or \ depending on the head's character set.
const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;
const jst = (d: Date) => new Date(d.getTime() + 9 * 3600_000).toISOString().replace('T', ' ').slice(0, 16);

/** Left label, right amount, padded by print columns (full-width characters count two). */
function leftRight(left: string, right: string, width: number): string {
  return left + ' '.repeat(Math.max(1, width - columns(left) - columns(right))) + right;
}

type Ctx = ReturnType<ReturnType<typeof createCanvas>['getContext']>;

export interface ReceiptLine {
  text: string;
  align: 'left' | 'center';
  big?: boolean;
}

/**
 * Print columns of the head's Font A (12 × 24 dots; Kanji 24 × 24 = two columns): 48 on a 576-dot
 * (72 mm) head, 32 on a 384-dot (48 mm) one.
 */
export const receiptColumns = (widthDots: 384 | 576) => Math.floor(widthDots / 12);
const COL_DOTS = 12;
const LINE_DOTS = 30; // 24-dot characters at the default 1/6-inch line spacing of a 180-203 dpi head

/** The receipt's lines, shared by the Kanji-mode text (Epson) and the raster (Star) outputs. */
export function receiptLayout(r: Receipt, widthDots: 384 | 576 = 576): ReceiptLine[] {
  const cols = receiptColumns(widthDots);
  const rule: ReceiptLine = { text: '-'.repeat(cols), align: 'left' };
  return [
    { text: r.title, align: 'center', big: true },
    { text: r.municipality, align: 'center' },
    rule,
    // 和暦 first, as on every municipal form, then 西暦 and the time.
    { text: `日付 ${warekiDate(jst(r.at).slice(0, 10))}`, align: 'left' },
    { text: `     (西暦 ${jst(r.at)})`, align: 'left' },
    ...(r.kioskName ? [{ text: `設置 ${r.kioskName}`, align: 'left' } as const] : []),
    { text: `端末 ${r.kioskId}`, align: 'left' },
    { text: `取引番号 ${r.transactionRef}`, align: 'left' },
    rule,
    ...r.lines.map((l): ReceiptLine => ({
      text: l.amount === undefined ? l.label : leftRight(l.label, yen(l.amount), cols),
      align: 'left',
    })),
    rule,
    ...(r.footer ?? []).map((f): ReceiptLine => ({ text: f, align: 'left' })),
  ];
}

/** Draws one line as the head would: every character in its Font A cell (monospaced), doubled when big. */
function drawLine(ctx: Ctx, l: ReceiptLine, widthDots: number, y: number, font: string): void {
  const mag = l.big ? 2 : 1;
  const width = columns(l.text) * COL_DOTS * mag;
  let x = l.align === 'center' ? Math.max(0, Math.floor((widthDots - width) / 2)) : 0;
  ctx.font = `${24 * mag}px ${font}`;
  ctx.textAlign = 'center';
  for (const ch of l.text) {
    const cell = columns(ch) * COL_DOTS * mag;
    ctx.fillText(ch, x + cell / 2, y + 2);
    // Emphasized as a head does it: every dot struck again one dot to the right.
    if (l.big) ctx.fillText(ch, x + cell / 2 + 1, y + 2);
    x += cell;
  }
}

/** One line as a raster (GS v 0), for text Kanji mode cannot print. */
function rasterLine(l: ReceiptLine, widthDots: number): number[] {
  const h = LINE_DOTS * (l.big ? 2 : 1);
  const canvas = createCanvas(widthDots, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, widthDots, h);
  ctx.fillStyle = '#000';
  ctx.textBaseline = 'top';
  drawLine(ctx, l, widthDots, 0, registerCanvasFont());
  const img = ctx.getImageData(0, 0, widthDots, h);
  return rasterImage(widthDots, h, packBits(img.data, widthDots, h));
}

/** A heading line: double width and height (GS ! 0x11) and emphasized (ESC E 1), then back to normal. */
const heading = (text: string) => [
  ...cmd.size(2, 2),
  ...cmd.bold(true),
  ...textLine(text),
  ...cmd.bold(false),
  ...cmd.size(1, 1),
];

/**
 * 領収書 as ESC/POS bytes: text in Kanji mode (Shift_JIS), 48 columns on a 576-dot head and 32 on
 * 384; a line with a character outside JIS X 0208 (髙, 﨑) goes out as a raster of that line.
 */
export function receiptEscPos(r: Receipt, widthDots: 384 | 576 = 576): Uint8Array {
  const out: number[] = [...cmd.init(), ...cmd.kanjiShiftJis()];
  let align: string | undefined;
  for (const l of receiptLayout(r, widthDots)) {
    if (!printableInKanjiMode(l.text)) {
      out.push(...rasterLine(l, widthDots));
      continue;
    }
    if (l.align !== align) out.push(...cmd.align((align = l.align)));
    if (l.big) out.push(...heading(l.text));
    else out.push(...textLine(l.text));
  }
  out.push(...cmd.feed(3), ...cmd.cut());
  return Uint8Array.from(out);
}

/** The same receipt drawn at the roll width, for heads whose Kanji mode we do not drive (Star). */
export function receiptPng(r: Receipt, widthDots: 384 | 576 = 576): Buffer {
  const lines = receiptLayout(r, widthDots);
  const font = registerCanvasFont();
  const height = lines.reduce((h, l) => h + (l.big ? 2 : 1) * LINE_DOTS, 0) + LINE_DOTS;
  const canvas = createCanvas(widthDots, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, widthDots, height);
  ctx.fillStyle = '#000';
  ctx.textBaseline = 'top';
  let y = 0;
  for (const l of lines) {
    drawLine(ctx, l, widthDots, y, font);
    y += (l.big ? 2 : 1) * LINE_DOTS;
  }
  return canvas.toBuffer('image/png');
}

/** 1-bit packing of an RGBA image: dark pixels (luma < 128) print. */
export function packBits(rgba: Uint8ClampedArray, width: number, height: number): Uint8Array {
  const wb = Math.ceil(width / 8);
  const bits = new Uint8Array(wb * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      const luma = (rgba[p]! * 299 + rgba[p + 1]! * 587 + rgba[p + 2]! * 114) / 1000;
      if (luma < 128) bits[y * wb + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return bits;
}

/** A certificate laid out for the roll: returns the raster (for the bench and the emulator). */
export function thermalCertificateRaster(
  input: unknown,
  widthDots: 384 | 576 = 576,
  parts: { title?: boolean } = {},
): { width: number; height: number; bits: Uint8Array } {
  const canvas = thermalCertificateCanvas(input, widthDots, parts.title ?? true);
  const img = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  return {
    width: canvas.width,
    height: canvas.height,
    bits: packBits(img.data, canvas.width, canvas.height),
  };
}

/** The roll layout as a PNG (Star raster, previews). */
export function thermalCertificatePng(input: unknown, widthDots: 384 | 576 = 576): Buffer {
  return thermalCertificateCanvas(input, widthDots).toBuffer('image/png');
}

/** Draws text wrapped at `width` (character by character: Japanese has no spaces); returns the new y. */
function wrapText(ctx: Ctx, text: string, x: number, y: number, width: number, lineH: number): number {
  let line = '';
  for (const ch of text) {
    if (line && ctx.measureText(line + ch).width > width) {
      ctx.fillText(line, x, y);
      y += lineH;
      line = '';
    }
    line += ch;
  }
  if (line) ctx.fillText(line, x, y);
  return y + lineH;
}

function drawQrCode(ctx: Ctx, text: string, W: number, y: number, pad: number): number {
  // ECC M: jsQR (the verifier) fails to decode some large ECC-L symbols, e.g. version 23-L.
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const mod = Math.max(2, Math.floor((W - 2 * pad) / (qr.modules.size + 8)));
  const size = mod * (qr.modules.size + 8);
  for (let r = 0; r < qr.modules.size; r++) {
    for (let c = 0; c < qr.modules.size; c++)
      if (qr.modules.get(r, c)) ctx.fillRect((W - size) / 2 + (c + 4) * mod, y + (r + 4) * mod, mod, mod);
  }
  return y + size;
}

function drawPng(ctx: Ctx, png: Buffer, x: number, y: number, size: number): void {
  const img = new Image();
  img.src = png;
  ctx.drawImage(img, x, y, size, size);
}

/** The roll layout; `withTitle` false when the title goes ahead as a text heading. */
function thermalCertificateCanvas(input: unknown, widthDots: 384 | 576, withTitle = true) {
  const doc = SignedDocument.parse(input);
  const form = toForm(doc);
  const font = registerCanvasFont();
  const W = widthDots;
  const pad = 8;
  const body = W === 576 ? 24 : 18;
  const blocks = [form.header, ...form.blocks];
  const rowCount = blocks.reduce((n, b) => n + b.rows.length + (b.heading ? 1 : 0), 0);
  // The roll carries every page's seal: each covers the fields of one A4 page of the same document.
  const codes = sealedPages(doc, form).map((p) => p.seal);
  // Drawn on a generous canvas, then cropped to what was used.
  const draft = createCanvas(
    W,
    400 + rowCount * body * 5 + codes.length * (W + 40) + (form.registeredSealPng ? 200 : 0),
  );
  const ctx = draft.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, draft.width, draft.height);
  ctx.fillStyle = '#000';
  ctx.textBaseline = 'top';
  const inner = W - 2 * pad;
  let y = pad;
  ctx.font = `${Math.round(body * 0.8)}px ${font}`;
  ctx.fillText(`発行番号 ${form.issuanceNumber}`, pad, y);
  y += body + 12;
  if (withTitle) {
    ctx.font = `bold ${body + 12}px ${font}`;
    ctx.textAlign = 'center';
    ctx.fillText(form.title, W / 2, y, inner);
    ctx.textAlign = 'left';
    y += body + 32;
  } else y += 8;
  for (const b of blocks) {
    if (b.heading) {
      // Block headings (member number, 除籍, 所得の内訳 …) stay: inverted bar across the roll.
      ctx.fillRect(pad, y, inner, body + 6);
      ctx.fillStyle = '#fff';
      ctx.font = `bold ${Math.round(body * 0.85)}px ${font}`;
      ctx.fillText(b.heading, pad + 6, y + 3);
      ctx.fillStyle = '#000';
      y += body + 12;
    }
    for (const r of b.rows) {
      ctx.font = `${Math.round(body * 0.8)}px ${font}`;
      ctx.fillText(r.label, pad, y);
      ctx.font = `${body}px ${font}`;
      y = wrapText(ctx, rowText(r), pad + 16, y + body, inner - 16, body + 4) + 6;
      ctx.fillRect(pad, y - 5, inner, 1);
    }
  }
  if (form.registeredSealPng) {
    ctx.font = `${Math.round(body * 0.8)}px ${font}`;
    ctx.fillText('印影', pad, y + 4);
    drawPng(ctx, form.registeredSealPng, pad + 80, y + 4, 140);
    y += 160;
  }
  y += 10;
  ctx.font = `${body - 2}px ${font}`;
  y = wrapText(ctx, form.attestation, pad, y, inner, body + 4) + 6;
  ctx.fillText(form.issuedOn, pad, y);
  y += body + 16;
  ctx.font = `${body + 2}px ${font}`;
  // The 公印 over the end of the mayor's line, drawn first so the name stays legible.
  const mayorW = ctx.measureText(form.mayorLine).width;
  const lastChar = ctx.measureText([...form.mayorLine].at(-1) ?? '').width;
  drawPng(ctx, form.officialSealPng, pad + mayorW - lastChar / 2 - 48, y, 96);
  ctx.fillText(form.mayorLine, pad, y + 30);
  y += 96 + 30;
  for (const code of codes) y = drawQrCode(ctx, code, W, y, pad) + 16;
  const canvas = createCanvas(W, y);
  canvas.getContext('2d').drawImage(draft, 0, 0);
  return canvas;
}

/**
 * The certificate as ESC/POS bytes: the title as a heading in Kanji mode (centred, double width and
 * height, emphasized) when the head's character set has all of it, then the rest as one GS v 0
 * raster, feed and cut.
 */
export function thermalCertificateEscPos(input: unknown, widthDots: 384 | 576 = 576): Uint8Array {
  const title = toForm(SignedDocument.parse(input)).title;
  const asText = printableInKanjiMode(title) && columns(title) * 2 * COL_DOTS <= widthDots;
  const r = thermalCertificateRaster(input, widthDots, { title: !asText });
  return Uint8Array.from([
    ...cmd.init(),
    ...(asText
      ? [...cmd.kanjiShiftJis(), ...cmd.align('center'), ...heading(title), ...cmd.align('left')]
      : []),
    ...rasterImage(r.width, r.height, r.bits),
    ...cmd.feed(4),
    ...cmd.cut(),
  ]);
}
