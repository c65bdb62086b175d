// What the QR codes on the back carry, so the paper verifies offline with only the registry's
// public key. The main code holds the registry's compact JWS (ES256 over the content digest) and
// the canonical content, deflated, with each embedded seal PNG replaced by a reference; each PNG
// rides in a QR code of its own (one code holding everything would be too dense to scan).
//   main:  "MDG1.<jws header>.<jws payload>.<jws signature>.<deflated content>"
//   image: "MDG1I.<n>.<png base64url>"
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { canonicalJson, type SignedDocument } from '../registry/document.js';

export const ENVELOPE_PREFIX = 'MDG1';
const IMAGE_PREFIX = 'MDG1I';
const IMAGE_REF = /^#image:(\d+)$/;
const IMAGE_FIELD = /PngBase64$/;

export class EnvelopeError extends Error {
  readonly kind = 'malformedEnvelope' as const;
}

function mapImages(value: unknown, fn: (key: string, v: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapImages(v, fn));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, IMAGE_FIELD.test(k) && typeof v === 'string' ? fn(k, v) : mapImages(v, fn)]));
  }
  return value;
}

/** The QR texts for a signed document: the main code first, then one per seal image. */
export function encodeEnvelope(doc: SignedDocument): string[] {
  const { signature, ...content } = doc;
  if (signature.split('.').length !== 3) throw new EnvelopeError('signature is not a compact JWS');
  const images: string[] = [];
  const slim = mapImages(content, (_k, png) => `#image:${images.push(png) - 1}`);
  const main = [ENVELOPE_PREFIX, signature, deflateRawSync(Buffer.from(canonicalJson(slim)), { level: 9 }).toString('base64url')].join('.');
  return [main, ...images.map((png, i) => `${IMAGE_PREFIX}.${i}.${Buffer.from(png, 'base64').toString('base64url')}`)];
}

/** Joins the decoded QR texts (any order) back into the JWS and the content it certifies. */
export function decodeEnvelope(texts: string[]): { jws: string; content: Record<string, unknown> } {
  const mains = texts.filter((t) => t.startsWith(`${ENVELOPE_PREFIX}.`));
  if (mains.length === 0) throw new EnvelopeError(texts.length ? `no Madoguchi certificate code among ${texts.length} QR code(s)` : 'no QR code found');
  if (mains.length > 1) throw new EnvelopeError('more than one certificate code on the page');
  const parts = mains[0]!.split('.');
  if (parts.length !== 5) throw new EnvelopeError(`certificate code has ${parts.length} parts, expected 5`);
  let slim: unknown;
  try {
    slim = JSON.parse(inflateRawSync(Buffer.from(parts[4]!, 'base64url')).toString('utf8'));
  } catch {
    throw new EnvelopeError('certificate code content does not inflate to JSON');
  }
  const images = new Map<number, string>();
  for (const t of texts) {
    const m = /^MDG1I\.(\d+)\.([\w-]+)$/.exec(t);
    if (m) images.set(Number(m[1]), Buffer.from(m[2]!, 'base64url').toString('base64'));
  }
  const content = mapImages(slim, (k, ref) => {
    const m = IMAGE_REF.exec(ref);
    if (!m) return ref;
    const png = images.get(Number(m[1]));
    if (png === undefined) throw new EnvelopeError(`the QR code with image ${m[1]} (${k}) was not found`);
    return png;
  });
  if (!content || typeof content !== 'object' || Array.isArray(content)) throw new EnvelopeError('certificate code content is not an object');
  return { jws: parts.slice(1, 4).join('.'), content: content as Record<string, unknown> };
}
