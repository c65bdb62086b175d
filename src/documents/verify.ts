// Offline verification of a printed certificate: find the QR codes on the back, rebuild the signed
// content, check the registry's ES256 signature and the content digest, and for a PDF compare the
// certified names and addresses with the page text. Every failure says precisely why.
import jsQR from 'jsqr';
import type { JWK } from 'jose';
import { DocumentSignatureError, SignedDocument, verifyDocument, type SignaturePayload } from '../registry/document.js';
import { decodeEnvelope, EnvelopeError } from './envelope.js';
import { certifiedStrings } from './form.js';
import { backQrBoxes } from './pdf.js';
import { pdfText, rasterizePdfPage, type RgbaImage } from './raster.js';
import { openPdf } from './raster.js';

export type VerifyFailure =
  | 'noQrCode'
  | 'malformedEnvelope'
  | 'malformedContent'
  | 'unknownKey'
  | 'badSignature'
  | 'digestMismatch'
  | 'textMismatch'
  | 'unreadableFile';

export type VerifyResult =
  | { ok: true; document: SignedDocument; payload: SignaturePayload; textChecked: boolean }
  | { ok: false; reason: VerifyFailure; message: string };

function crop(img: RgbaImage, x0: number, y0: number, w: number, h: number): RgbaImage {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) data.set(img.data.subarray(((y0 + y) * img.width + x0) * 4, ((y0 + y) * img.width + x0 + w) * 4), y * w * 4);
  return { width: w, height: h, data };
}

function resample(img: RgbaImage, f: number): RgbaImage {
  const w = Math.round(img.width * f);
  const h = Math.round(img.height * f);
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(img.height - 1, Math.floor(y / f));
    for (let x = 0; x < w; x++) {
      const sp = (sy * img.width + Math.min(img.width - 1, Math.floor(x / f))) * 4;
      data.set(img.data.subarray(sp, sp + 4), (y * w + x) * 4);
    }
  }
  return { width: w, height: h, data };
}

/**
 * jsQR misjudges the module pitch of some large versions at some pixel sizes; the same code
 * resampled a little larger or smaller decodes, so try a few sizes before giving up.
 */
function decodeResampled(img: RgbaImage): string | undefined {
  for (const f of [1, 1.5, 0.75, 1.25]) {
    const im = f === 1 ? img : resample(img, f);
    const qr = jsQR(im.data, im.width, im.height, { inversionAttempts: 'dontInvert' });
    if (qr) return qr.data;
  }
  return undefined;
}

/** Side-by-side codes can confuse the finder-pattern search: also try the left and right halves. */
function decodeOne(img: RgbaImage) {
  const opts = { inversionAttempts: 'dontInvert' as const };
  const whole = jsQR(img.data, img.width, img.height, opts);
  if (whole) return whole;
  const half = Math.floor(img.width / 2);
  for (const x0 of [0, half]) {
    const part = jsQR(crop(img, x0, 0, half, img.height).data, half, img.height, opts);
    if (part) {
      for (const k of ['topLeftCorner', 'topRightCorner', 'bottomLeftCorner', 'bottomRightCorner'] as const) part.location[k].x += x0;
      return part;
    }
  }
  return null;
}

/**
 * The QR codes of a certificate back: first where our layout puts them (small crops decode fast
 * and reliably), then, if the main code is not there (a skewed or partial scan), the whole image.
 */
export function findCertificateCodes(img: RgbaImage): string[] {
  const found: string[] = [];
  // The seal-image codes sit side by side: one centred, or two (印鑑登録証明書).
  for (const b of [...backQrBoxes(1), ...backQrBoxes(2).slice(1)]) {
    const size = Math.round(b.size * img.width);
    const pad = Math.round(size * 0.08);
    const x0 = Math.max(0, Math.round(b.x * img.width) - pad);
    const y0 = Math.max(0, Math.round(b.y * img.height) - pad);
    const w = Math.min(img.width - x0, size + 2 * pad);
    const h = Math.min(img.height - y0, size + 2 * pad);
    if (w <= 0 || h <= 0) continue;
    const qr = decodeResampled(crop(img, x0, y0, w, h));
    if (qr && !found.includes(qr)) found.push(qr);
  }
  if (found.some((t) => t.startsWith('MDG1.'))) return found;
  return findQrCodes(img);
}

/** Every QR code in an image: decode one, blank it out, look again. */
export function findQrCodes(img: RgbaImage, max = 6): string[] {
  const data = new Uint8ClampedArray(img.data);
  const found: string[] = [];
  for (let i = 0; i < max; i++) {
    const qr = decodeOne({ width: img.width, height: img.height, data });
    if (!qr) break;
    found.push(qr.data);
    const l = qr.location;
    const xs = [l.topLeftCorner.x, l.topRightCorner.x, l.bottomLeftCorner.x, l.bottomRightCorner.x];
    const ys = [l.topLeftCorner.y, l.topRightCorner.y, l.bottomLeftCorner.y, l.bottomRightCorner.y];
    const pad = 8;
    const [x0, x1] = [Math.max(0, Math.floor(Math.min(...xs)) - pad), Math.min(img.width, Math.ceil(Math.max(...xs)) + pad)];
    const [y0, y1] = [Math.max(0, Math.floor(Math.min(...ys)) - pad), Math.min(img.height, Math.ceil(Math.max(...ys)) + pad)];
    for (let y = y0; y < y1; y++) data.fill(255, (y * img.width + x0) * 4, (y * img.width + x1) * 4);
  }
  // Codes stacked along a long image (the thermal roll) confuse the finder search: slide a window
  // 1.4 × the short side along the long side, a quarter side at a time, over what is left.
  const side = Math.min(img.width, img.height);
  const long = Math.max(img.width, img.height);
  const span = Math.min(long, Math.round(side * 1.4));
  if (long > span) {
    const rest = { width: img.width, height: img.height, data };
    for (let at = 0; found.length < max; at += Math.floor(side / 4)) {
      const o = Math.min(at, long - span);
      const win = img.width >= img.height ? crop(rest, o, 0, span, side) : crop(rest, 0, o, side, span);
      const text = decodeResampled(win);
      if (text && !found.includes(text)) found.push(text);
      if (o === long - span) break;
    }
  }
  return found;
}

const squash = (s: string) => s.replace(/\s+/g, '');

/** Checks the QR texts found on a page; `pageText` (from a PDF) adds the text comparison. */
export async function verifyCodes(codes: string[], publicKeys: JWK[], pageText?: string): Promise<VerifyResult> {
  let envelope;
  try {
    envelope = decodeEnvelope(codes);
  } catch (e) {
    if (e instanceof EnvelopeError) return { ok: false, reason: codes.length ? 'malformedEnvelope' : 'noQrCode', message: e.message };
    throw e;
  }
  const parsed = SignedDocument.safeParse({ ...envelope.content, signature: envelope.jws });
  if (!parsed.success) return { ok: false, reason: 'malformedContent', message: `certified content does not match the document schema: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}` };
  let payload: SignaturePayload;
  try {
    payload = await verifyDocument(parsed.data, publicKeys);
  } catch (e) {
    if (e instanceof DocumentSignatureError) return { ok: false, reason: e.reason === 'malformed' ? 'malformedEnvelope' : e.reason, message: e.message };
    throw e;
  }
  if (pageText !== undefined) {
    const text = squash(pageText);
    const missing = certifiedStrings(parsed.data).filter((s) => !text.includes(squash(s)));
    if (missing.length) return { ok: false, reason: 'textMismatch', message: `the printed text differs from the signed content: not on the page: ${missing.join(', ')}` };
  }
  return { ok: true, document: parsed.data, payload, textChecked: pageText !== undefined };
}

/** Verifies a certificate PDF (QR on its last page, text compared) . */
export async function verifyPdf(pdf: Uint8Array, publicKeys: JWK[]): Promise<VerifyResult> {
  let pages: number;
  try {
    const doc = await openPdf(pdf);
    pages = doc.numPages;
    await doc.destroy();
  } catch (e) {
    return { ok: false, reason: 'unreadableFile', message: `not a readable PDF: ${(e as Error).message}` };
  }
  const codes = findCertificateCodes(await rasterizePdfPage(pdf, pages, 2.5));
  return verifyCodes(codes, publicKeys, (await pdfText(pdf)).text);
}

/** Verifies a scanned image of the back (no text layer: the signed content is shown to compare). */
export async function verifyImage(img: RgbaImage, publicKeys: JWK[]): Promise<VerifyResult> {
  return verifyCodes(findCertificateCodes(img), publicKeys);
}
