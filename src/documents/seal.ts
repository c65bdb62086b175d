// The per-page seal: what each page's QR code carries, signed by the registry. The encoding is the
// one the EU digital COVID certificate uses (and close to ICAO visible digital seals): a CBOR
// payload in a COSE_Sign1 structure (RFC 9052, ES256, the key named by `kid` in the protected
// header), zlib-deflated, in Base45 (RFC 9285) so the QR code can use its alphanumeric mode.
//
//   "JPC1:" + base45(zlib(COSE_Sign1 = 18([protected {1: -7, 4: kid}, {}, payload, r||s])))
//   payload = {1: municipality code, 2: issuance number, 3: page n, 4: page count m,
//              5: first 16 bytes of SHA-256 over the CBOR of 6, 6: [[field id, value, label?] …]}
//
// A page cannot be swapped onto another certificate (2), moved (3), dropped (4 on every page) or
// edited (6, signed), and the field values let a scan be compared without the rest of the paper.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { decode, encode } from 'cborg';
import type { JWK } from 'jose';
import type { SigningKey } from '../registry/document.js';
import { base45Decode, base45Encode, Base45Error } from './base45.js';
import type { FieldType } from './field-types.js';
import type { PageField } from './layout.js';

export const SEAL_PREFIX = 'JPC1:';
const COSE_SIGN1_TAG = 0xd2; // CBOR major type 6 (tag), value 18
const ES256 = -7;
const HDR_ALG = 1;
const HDR_KID = 4;
const MAX_INFLATED = 64 * 1024;

export interface SealPayload {
  municipalityCode: string;
  documentId: string;
  page: number;
  pageCount: number;
  /** SHA-256 (first 16 bytes) of the CBOR encoding of `fields`. */
  fieldsHash: Uint8Array;
  fields: PageField[];
}

export type SealFailure = 'malformedSeal' | 'unknownKey' | 'badSignature' | 'fieldsHashMismatch';
export class SealError extends Error {
  readonly kind = 'seal' as const;
  constructor(
    readonly reason: SealFailure,
    message: string,
  ) {
    super(message);
  }
}

/* ───── field values: text as strings, typed integers as [type, n] ───── */

const TYPE_CODES: Record<Exclude<FieldType, 'text'>, number> = { date: 1, yen: 2, nendo: 3, bunen: 4 };
const CODE_TYPES = Object.fromEntries(Object.entries(TYPE_CODES).map(([t, c]) => [c, t])) as Record<
  number,
  FieldType
>;

/** Row labels the verifier knows by the key of the field id; any other label rides in the seal. */
const LABELS: Record<string, string> = {
  address: '住所',
  householder: '世帯主',
  name: '氏名',
  furigana: 'ふりがな',
  birth: '生年月日',
  sex: '性別',
  rel: '続柄',
  since: '住民となった日',
  addrSince: '住所を定めた日',
  notified: '届出日',
  prev: '前住所',
  honseki: '本籍',
  hittousha: '筆頭者',
  regNo: '登録番号',
  regOn: '登録日',
  compiled: '戸籍編製',
  person: '戸籍に記録されている者',
  father: '父',
  mother: '母',
  fy: '年度',
  iy: '所得の年',
  totalIncome: '合計所得金額',
  total: '所得控除合計',
  taxable: '課税標準額',
  dependents: '扶養',
  status: '課税状況',
};
const keyOf = (id: string) => id.slice(id.indexOf('.') + 1);

type WireField = [string, string | [number, number]] | [string, string | [number, number], string];

function toWire(f: PageField): WireField {
  const value: string | [number, number] =
    f.type === 'text' ? String(f.raw) : [TYPE_CODES[f.type], Number(f.raw)];
  return f.label !== undefined && LABELS[keyOf(f.id)] !== f.label ? [f.id, value, f.label] : [f.id, value];
}

function fromWire(w: unknown): PageField {
  if (!Array.isArray(w) || w.length < 2 || w.length > 3 || typeof w[0] !== 'string')
    throw new SealError('malformedSeal', 'a sealed field is not [id, value, label?]');
  const [id, value, label] = w as [string, unknown, unknown];
  if (label !== undefined && typeof label !== 'string')
    throw new SealError('malformedSeal', `field ${id}: label is not text`);
  const isRow = id.includes('.');
  const rowLabel = isRow ? (label ?? LABELS[keyOf(id)]) : undefined;
  if (isRow && rowLabel === undefined) throw new SealError('malformedSeal', `field ${id} has no label`);
  const labelPart = rowLabel !== undefined ? { label: rowLabel } : {};
  if (typeof value === 'string') return { id, type: 'text', raw: value, ...labelPart };
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    Number.isInteger(value[1]) &&
    CODE_TYPES[value[0] as number]
  )
    return { id, type: CODE_TYPES[value[0] as number]!, raw: value[1] as number, ...labelPart };
  throw new SealError('malformedSeal', `field ${id}: value is neither text nor a typed number`);
}

const fieldsHashOf = (wire: WireField[]) =>
  new Uint8Array(createHash('sha256').update(encode(wire)).digest().subarray(0, 16));

/* ───── COSE_Sign1 ───── */

const sigStructure = (protectedBytes: Uint8Array, payload: Uint8Array) =>
  encode(['Signature1', protectedBytes, new Uint8Array(0), payload]);

const privateKeys = new WeakMap<SigningKey, KeyObject>();
const publicKeys = new WeakMap<JWK, KeyObject>();

/** Signs one page's seal with the registry's key; returns the QR text. */
export function createSeal(p: Omit<SealPayload, 'fieldsHash'>, key: SigningKey): string {
  const wire = p.fields.map(toWire);
  const payload = encode(
    new Map<number, unknown>([
      [1, p.municipalityCode],
      [2, p.documentId],
      [3, p.page],
      [4, p.pageCount],
      [5, fieldsHashOf(wire)],
      [6, wire],
    ]),
  );
  const protectedBytes = encode(
    new Map<number, unknown>([
      [HDR_ALG, ES256],
      [HDR_KID, new TextEncoder().encode(key.kid)],
    ]),
  );
  let pk = privateKeys.get(key);
  if (!pk)
    privateKeys.set(
      key,
      (pk = createPrivateKey({ key: key.privateJwk as import('node:crypto').JsonWebKey, format: 'jwk' })),
    );
  const signature = sign('sha256', sigStructure(protectedBytes, payload), {
    key: pk,
    dsaEncoding: 'ieee-p1363',
  });
  const cose = encode([protectedBytes, new Map(), payload, new Uint8Array(signature)]);
  const tagged = new Uint8Array(cose.length + 1);
  tagged[0] = COSE_SIGN1_TAG;
  tagged.set(cose, 1);
  return SEAL_PREFIX + base45Encode(deflateSync(tagged, { level: 9 }));
}

function cbor(bytes: Uint8Array, what: string): unknown {
  try {
    return decode(bytes, { useMaps: true, rejectDuplicateMapKeys: true, strict: true });
  } catch (e) {
    throw new SealError('malformedSeal', `${what} is not valid CBOR: ${(e as Error).message}`);
  }
}

/** The COSE_Sign1 parts of a seal text, unverified. */
function unpack(text: string): {
  protectedBytes: Uint8Array;
  kid: string;
  payload: Uint8Array;
  signature: Uint8Array;
} {
  if (!text.startsWith(SEAL_PREFIX)) throw new SealError('malformedSeal', 'not a certificate seal (prefix)');
  let tagged: Uint8Array;
  try {
    tagged = inflateSync(base45Decode(text.slice(SEAL_PREFIX.length)), { maxOutputLength: MAX_INFLATED });
  } catch (e) {
    throw new SealError('malformedSeal', e instanceof Base45Error ? e.message : 'seal does not inflate');
  }
  if (tagged[0] !== COSE_SIGN1_TAG) throw new SealError('malformedSeal', 'seal is not a tagged COSE_Sign1');
  const parts = cbor(tagged.subarray(1), 'COSE_Sign1');
  if (
    !Array.isArray(parts) ||
    parts.length !== 4 ||
    !(parts[0] instanceof Uint8Array) ||
    !(parts[2] instanceof Uint8Array) ||
    !(parts[3] instanceof Uint8Array)
  )
    throw new SealError('malformedSeal', 'COSE_Sign1 is not [protected, unprotected, payload, signature]');
  const header = cbor(parts[0], 'protected header');
  if (!(header instanceof Map) || header.get(HDR_ALG) !== ES256)
    throw new SealError('malformedSeal', 'seal is not ES256');
  const kid = header.get(HDR_KID);
  if (!(kid instanceof Uint8Array)) throw new SealError('malformedSeal', 'seal names no key (kid)');
  return {
    protectedBytes: parts[0],
    kid: new TextDecoder().decode(kid),
    payload: parts[2],
    signature: parts[3],
  };
}

function parsePayload(bytes: Uint8Array): SealPayload {
  const m = cbor(bytes, 'seal payload');
  if (!(m instanceof Map)) throw new SealError('malformedSeal', 'seal payload is not a map');
  const [code, id, page, count, hash, fields] = [1, 2, 3, 4, 5, 6].map((k) => m.get(k));
  if (typeof code !== 'string' || typeof id !== 'string')
    throw new SealError('malformedSeal', 'seal payload lacks the municipality or document id');
  if (
    !Number.isInteger(page) ||
    !Number.isInteger(count) ||
    (page as number) < 1 ||
    (page as number) > (count as number)
  )
    throw new SealError('malformedSeal', 'seal payload has no valid page n of m');
  if (!(hash instanceof Uint8Array) || !Array.isArray(fields))
    throw new SealError('malformedSeal', 'seal payload lacks the fields or their hash');
  if (Buffer.compare(Buffer.from(fieldsHashOf(fields as WireField[])), Buffer.from(hash)) !== 0)
    throw new SealError('fieldsHashMismatch', 'the sealed fields do not match their hash');
  return {
    municipalityCode: code,
    documentId: id,
    page: page as number,
    pageCount: count as number,
    fieldsHash: hash,
    fields: fields.map(fromWire),
  };
}

/** Reads a seal without checking its signature (the kiosk's own check of what it is about to print). */
export function readSealUnverified(text: string): SealPayload & { kid: string } {
  const { kid, payload } = unpack(text);
  return { ...parsePayload(payload), kid };
}

/** Checks a seal against the trusted registry keys (only a key whose kid is in the set is tried). */
export function verifySeal(text: string, keys: JWK[]): SealPayload & { kid: string } {
  const { protectedBytes, kid, payload, signature } = unpack(text);
  const jwk = keys.find((k) => k.kid === kid);
  if (!jwk) throw new SealError('unknownKey', `sealed with registry key "${kid}", which is not trusted here`);
  let pub = publicKeys.get(jwk);
  if (!pub) {
    try {
      pub = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    } catch {
      throw new SealError('unknownKey', `trusted key "${kid}" is not a usable EC public key`);
    }
    publicKeys.set(jwk, pub);
  }
  if (
    signature.length !== 64 ||
    !verify(
      'sha256',
      sigStructure(protectedBytes, payload),
      { key: pub, dsaEncoding: 'ieee-p1363' },
      signature,
    )
  )
    throw new SealError('badSignature', 'the seal signature does not verify');
  return { ...parsePayload(payload), kid };
}
