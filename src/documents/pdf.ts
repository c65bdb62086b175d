// A4 certificate PDF: content pages ("n / m 頁") then a back page with the verification QR.
// Every page carries the 地紋 with the latent 複写. One font, embedded as a subset by pdfkit.
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { SignedDocument } from '../registry/document.js';
import { encodeEnvelope } from './envelope.js';
import { gothicFont } from './fonts.js';
import { toForm, type FormBlock, type FormModel } from './form.js';
import { textAdvance, type OutlineFont } from './glyph-paths.js';
import { drawJimon } from './jimon.js';

type Doc = InstanceType<typeof PDFDocument>;
const A4 = { w: 595.28, h: 841.89 };
const M = 56; // margin
const LABEL_W = 110;
const ROW_H = 22;

export interface RenderedPdf {
  pdf: Buffer;
  pages: number;
}

function outlineFont(doc: Doc): OutlineFont {
  return (doc as unknown as { _font: { font: OutlineFont } })._font.font;
}

/** The QR as vector modules on a white quiet zone (so the 地紋 never touches it). */
export function drawQr(doc: Doc, text: string, x: number, y: number, size: number, ecl: 'M' | 'Q' = 'M'): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: ecl });
  const n = qr.modules.size;
  const quiet = 4;
  const m = size / (n + 2 * quiet);
  doc.save();
  doc.rect(x, y, size, size).fill('#ffffff');
  // One rectangle per horizontal run of dark modules, in module units (integer coordinates keep
  // the content stream small); rows overlap by a hair, as abutting edges leave anti-aliased seams
  // that break scanning.
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; ) {
      if (!qr.modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && qr.modules.get(r, c)) c++;
      d += `M${start} ${r}h${c - start}v1.08h-${c - start}z`;
    }
  }
  doc.translate(x + quiet * m, y + quiet * m).scale(m);
  doc.path(d).fill('#000000');
  doc.restore();
}

function blockHeight(b: FormBlock): number {
  return b.rows.length * ROW_H + (b.heading ? 0 : 0) + 8;
}

/** Splits the blocks into pages so no block is cut across a page. */
function paginate(form: FormModel): FormBlock[][] {
  const first = A4.h - M - 150 - form.header.length * ROW_H - 30 - (form.registeredSealPng ? 100 : 0);
  const other = A4.h - M - 150;
  const footer = 150;
  const pages: FormBlock[][] = [[]];
  let room = first;
  form.blocks.forEach((b, i) => {
    const need = blockHeight(b) + (i === form.blocks.length - 1 ? footer : 0);
    if (need > room && pages.at(-1)!.length > 0) {
      pages.push([]);
      room = other;
    }
    pages.at(-1)!.push(b);
    room -= blockHeight(b);
  });
  if (room < footer) pages.push([]);
  return pages;
}

function rowsTable(doc: Doc, rows: Array<{ label: string; value: string }>, y: number, heading?: string): number {
  const x = M;
  const w = A4.w - 2 * M;
  doc.lineWidth(0.6).strokeColor('#333333');
  rows.forEach((r, i) => {
    const top = y + i * ROW_H;
    doc.rect(x, top, LABEL_W, ROW_H).stroke();
    doc.rect(x + LABEL_W, top, w - LABEL_W, ROW_H).stroke();
    const label = i === 0 && heading ? `${heading}　${r.label}` : r.label;
    // Long labels (戸籍に記録されている者) shrink to fit their cell rather than overflow it.
    const size = Math.max(6, Math.min(10, (10 * (LABEL_W - 10)) / doc.fontSize(10).widthOfString(label)));
    doc.fillColor('#000000').fontSize(size).text(label, x + 6, top + 6 + (10 - size) / 2, { width: LABEL_W - 8, lineBreak: false });
    doc.fontSize(11).text(r.value, x + LABEL_W + 8, top + 5, { width: w - LABEL_W - 14, lineBreak: false, ellipsis: false });
  });
  return y + rows.length * ROW_H;
}

function drawFront(doc: Doc, font: OutlineFont, form: FormModel, blocks: FormBlock[], pageNo: number, pageCount: number, last: boolean) {
  drawJimon(doc, font);
  doc.fillColor('#000000').fontSize(9);
  doc.text(`発行番号　${form.issuanceNumber}`, M, M - 20, { width: A4.w - 2 * M, align: 'right', lineBreak: false });
  doc.fontSize(20).text(form.title, M, M + 14, { width: A4.w - 2 * M, align: 'center', characterSpacing: 4, lineBreak: false });
  let y = M + 64;
  if (pageNo === 1 && form.header.length) y = rowsTable(doc, form.header, y) + 16;
  for (const b of blocks) y = rowsTable(doc, b.rows, y, b.heading) + 8;
  if (pageNo === 1 && form.registeredSealPng) {
    doc.fontSize(10).text('印影', M, y + 8, { lineBreak: false });
    doc.rect(M + LABEL_W, y + 4, 80, 80).lineWidth(0.6).stroke('#333333');
    doc.image(form.registeredSealPng, M + LABEL_W + 10, y + 14, { width: 60, height: 60 });
  }
  if (last) {
    y = Math.max(y + 20, A4.h - M - 150);
    doc.fontSize(11).text(form.attestation, M, y, { width: A4.w - 2 * M });
    doc.text(form.issuedOn, M, y + 34, { lineBreak: false });
    const mayorSize = 14;
    const mayorW = textAdvance(font, form.mayorLine, mayorSize);
    const sealSize = 62;
    // The 公印 sits right after the mayor's name.
    const mx = A4.w - M - sealSize - mayorW - 4;
    doc.fontSize(mayorSize).text(form.mayorLine, mx, y + 66, { lineBreak: false });
    doc.image(form.officialSealPng, A4.w - M - sealSize, y + 46, { width: sealSize, height: sealSize });
  }
  doc.fillColor('#000000').fontSize(9).text(`${pageNo} / ${pageCount} 頁`, M, A4.h - M + 10, { width: A4.w - 2 * M, align: 'center', lineBreak: false });
}

/**
 * Where the back's QR codes sit, as fractions of the page (x, y, size relative to the page width):
 * the verifier looks there first, so a full-page search is only the fallback for odd scans.
 */
export function backQrBoxes(imageCount: number): Array<{ x: number; y: number; size: number }> {
  const main = { x: (A4.w - 360) / 2, y: 150, size: 360 };
  const small = 235;
  const gap = 20;
  const row = imageCount * small + Math.max(0, imageCount - 1) * gap;
  const images = Array.from({ length: imageCount }, (_, i) => ({ x: (A4.w - row) / 2 + i * (small + gap), y: 540, size: small }));
  return [main, ...images].map((b) => ({ x: b.x / A4.w, y: b.y / A4.h, size: b.size / A4.w }));
}

function drawBack(doc: Doc, font: OutlineFont, form: FormModel, codes: string[]) {
  drawJimon(doc, font);
  // ECC M throughout: jsQR (our verifier) fails on some large ECC-L symbols (e.g. version 23-L).
  backQrBoxes(codes.length - 1).forEach((b, i) => drawQr(doc, codes[i]!, b.x * A4.w, b.y * A4.h, b.size * A4.w));
  doc.fillColor('#000000').fontSize(10);
  const note = [
    `発行番号　${form.issuanceNumber}`,
    'この二次元コードには、交付した内容と発行元の電子署名が記録されています。',
    '`madoguchi verify` 等で発行元の公開鍵により改ざんの有無を確認できます。',
  ];
  note.forEach((t, i) => doc.text(t, M, 90 + i * 18, { width: A4.w - 2 * M, align: 'center', lineBreak: false }));
}

/** Renders a signed registry document to an A4 PDF. */
export async function renderCertificatePdf(input: unknown): Promise<RenderedPdf> {
  const cert = SignedDocument.parse(input);
  const form = toForm(cert);
  const codes = encodeEnvelope(cert);
  const pdfPages = paginate(form);
  const total = pdfPages.length;
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false, info: { Title: form.title, Creator: 'Madoguchi', Producer: 'Madoguchi' } });
  doc.registerFont('gothic', gothicFont());
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  pdfPages.forEach((blocks, i) => {
    doc.addPage();
    doc.font('gothic');
    drawFront(doc, outlineFont(doc), form, blocks, i + 1, total, i === total - 1);
  });
  doc.addPage();
  doc.font('gothic');
  drawBack(doc, outlineFont(doc), form, codes);
  doc.end();
  await done;
  return { pdf: Buffer.concat(chunks), pages: total + 1 };
}
