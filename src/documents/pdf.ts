// A4 certificate PDF: one page per seal, each with its seal's QR code bottom right, the 地紋 with
// the latent 複写 behind everything, the fields where src/documents/layout.ts puts them. One font,
// embedded as a subset by pdfkit. Before drawing, the seals are checked against the form: the
// kiosk never prints a page whose seal would not match it.
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { SignedDocument } from '../registry/document.js';
import { gothicFont } from './fonts.js';
import { toForm, type FormModel } from './form.js';
import { drawJimon } from './jimon.js';
import {
  labelSize,
  NOTE_BOX,
  PAGE_NO_BOX,
  placePage,
  planPages,
  QR_BOX,
  type PageField,
  type PlacedField,
} from './layout.js';
import { readSealUnverified } from './seal.js';

type Doc = InstanceType<typeof PDFDocument>;

export interface RenderedPdf {
  pdf: Buffer;
  pages: number;
}

export interface PdfOptions {
  /** How and where the paper can be checked, from the municipality's configuration. */
  verificationNote?: string;
}

export class SealMismatchError extends Error {
  readonly kind = 'sealMismatch' as const;
}

/** The note printed when the configuration has none: how to check, naming only the municipality. */
export const defaultVerificationNote = (municipality: string) =>
  `各頁右下の二次元コードには、その頁の記載事項と発行元の電子署名が記録されています。改ざんの有無は、${municipality}が案内する検証方法で確認できます。`;

/** The QR as vector modules on a white quiet zone (so the 地紋 never touches it). */
export function drawQr(doc: Doc, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
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
    for (let c = 0; c < n;) {
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

/** The page plan of the form, checked against the registry's seals page by page and field by field. */
export function sealedPages(
  cert: SignedDocument,
  form: FormModel = toForm(cert),
): Array<{ fields: PageField[]; seal: string }> {
  const pages = planPages(form);
  const seals = cert.seals ?? [];
  if (seals.length !== pages.length)
    throw new SealMismatchError(
      `the registry sent ${seals.length} page seal(s) for a ${pages.length}-page certificate`,
    );
  return pages.map((fields, i) => {
    const s = readSealUnverified(seals[i]!);
    if (s.documentId !== cert.issuanceNumber || s.page !== i + 1 || s.pageCount !== pages.length)
      throw new SealMismatchError(`seal ${i + 1} names ${s.documentId} page ${s.page}/${s.pageCount}`);
    if (JSON.stringify(s.fields) !== JSON.stringify(fields))
      throw new SealMismatchError(`seal ${i + 1} does not carry the fields of page ${i + 1}`);
    return { fields, seal: seals[i]! };
  });
}

function drawField(
  doc: Doc,
  p: PlacedField,
  form: Pick<FormModel, 'officialSealPng' | 'registeredSealPng'>,
): void {
  const { value: v } = p;
  doc.fillColor('#000000');
  switch (p.kind) {
    case 'title':
      doc
        .fontSize(p.size)
        .text(p.text, v.x, v.y, { width: v.w, align: 'center', characterSpacing: 4, lineBreak: false });
      return;
    case 'number':
      doc
        .fontSize(p.size)
        .text(`発行番号　${p.text}`, v.x, v.y, { width: v.w, align: 'right', lineBreak: false });
      return;
    case 'heading':
      doc.save().rect(v.x, v.y, v.w, v.h).fillAndStroke('#eceff3', '#333333').restore();
      doc
        .fillColor('#000000')
        .fontSize(p.size)
        .text(p.text, v.x + 6, v.y + (v.h - p.size) / 2, { width: v.w - 12, lineBreak: false });
      return;
    case 'row': {
      const l = p.label!;
      const label = p.field.label ?? '';
      doc.lineWidth(0.6).strokeColor('#333333');
      doc.rect(l.x, l.y, l.w, l.h).stroke();
      doc.rect(v.x, v.y, v.w, v.h).stroke();
      const ls = labelSize(label);
      doc.fontSize(ls).text(label, l.x + 6, l.y + (l.h - ls) / 2, { width: l.w - 8, lineBreak: false });
      doc
        .fontSize(p.size)
        .text(p.text, v.x + 8, v.y + (v.h - p.size) / 2, { width: v.w - 12, lineBreak: false });
      return;
    }
    case 'image':
      // An image the form lacks (the verifier's reference page) leaves its place empty.
      if (p.field.id === 'inei') {
        const l = p.label!;
        doc.fontSize(10).text('印影', l.x + 6, l.y + 6, { lineBreak: false });
        doc.rect(v.x, v.y, v.w, v.h).lineWidth(0.6).stroke('#333333');
        if (form.registeredSealPng?.length)
          doc.image(form.registeredSealPng, v.x + 8, v.y + 8, { width: v.w - 16, height: v.h - 16 });
      } else if (p.field.id === 'koin' && form.officialSealPng.length)
        doc.image(form.officialSealPng, v.x, v.y, { width: v.w, height: v.h });
      return;
    case 'attestation':
      doc.fontSize(p.size).text(p.text, v.x, v.y, { width: v.w, lineGap: 2 });
      return;
    case 'date':
      doc.fontSize(p.size).text(p.text, v.x, v.y, { lineBreak: false });
      return;
    case 'mayor':
      doc.fontSize(p.size).text(p.text, v.x, v.y, { width: v.w, align: 'right', lineBreak: false });
      return;
  }
}

/** Renders a sealed registry document to an A4 PDF. */
export async function renderCertificatePdf(input: unknown, options: PdfOptions = {}): Promise<RenderedPdf> {
  const cert = SignedDocument.parse(input);
  const form = toForm(cert);
  return drawPages(
    sealedPages(cert, form),
    form,
    options.verificationNote || defaultVerificationNote(form.municipality),
  );
}

export interface DrawOptions {
  /** The 地紋 behind the page (off for the verifier's reference page). */
  jimon?: boolean;
  /** Page numbers printed: the first page's and the count (default 1 and pages.length). */
  numbering?: { first: number; count: number };
}

/**
 * Draws pages as given (fields and the seal printed with them). The verifier draws a sealed page
 * with it to compare a scan against; the verifier's tests print forgeries with it.
 */
export async function drawPages(
  pages: Array<{ fields: PageField[]; seal: string }>,
  form: Pick<FormModel, 'title' | 'municipality' | 'officialSealPng' | 'registeredSealPng'>,
  note: string,
  options: DrawOptions = {},
): Promise<RenderedPdf> {
  const numbering = options.numbering ?? { first: 1, count: pages.length };
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    info: { Title: form.title, Creator: form.municipality, Producer: form.municipality },
  });
  doc.registerFont('gothic', gothicFont());
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  pages.forEach(({ fields, seal }, i) => {
    doc.addPage();
    doc.font('gothic');
    if (options.jimon !== false)
      drawJimon(doc, (doc as unknown as { _font: { font: Parameters<typeof drawJimon>[1] } })._font.font);
    // The 公印 sits over the end of the mayor's line; drawn first so the name stays legible through it.
    const placed = placePage(fields).sort((a, b) => Number(b.kind === 'image') - Number(a.kind === 'image'));
    for (const p of placed) drawField(doc, p, form);
    doc
      .fillColor('#000000')
      .fontSize(9)
      .text(`${numbering.first + i} / ${numbering.count} 頁`, PAGE_NO_BOX.x, PAGE_NO_BOX.y, {
        width: PAGE_NO_BOX.w,
        lineBreak: false,
      });
    doc
      .fontSize(7.5)
      .text(note, NOTE_BOX.x, NOTE_BOX.y, { width: NOTE_BOX.w, height: NOTE_BOX.h, lineGap: 1 });
    drawQr(doc, seal, QR_BOX.x, QR_BOX.y, QR_BOX.size);
  });
  doc.end();
  await done;
  return { pdf: Buffer.concat(chunks), pages: pages.length };
}
