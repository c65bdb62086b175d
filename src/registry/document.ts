// The issued document: the structured content of one certificate as the registry sends it, plus the
// registry's signature over it. The printing layer renders it into the A4 PDF; a verifier holding the
// registry's public key can check a printed certificate offline (the QR/back of the paper carries
// the JWS). Nothing here is kiosk-specific: the registry simulator builds and signs these too.
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { z } from 'zod';

/* ───────────── building blocks ───────────── */

/** Calendar date, ISO "YYYY-MM-DD" (renderers convert to 和暦). */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
export const Yen = z.number().int();

export const CertificateType = z.enum([
  'juminhyo',
  'juminhyo-kisai',
  'inkan',
  'koseki-zenbu',
  'koseki-kojin',
  'fuhyo',
  'shotoku-kazei',
]);
export type CertificateType = z.infer<typeof CertificateType>;

/** Japanese display titles, also the catalog's `name`. */
export const CERTIFICATE_TITLES: Record<CertificateType, string> = {
  juminhyo: '住民票の写し',
  'juminhyo-kisai': '住民票記載事項証明書',
  inkan: '印鑑登録証明書',
  'koseki-zenbu': '戸籍全部事項証明書',
  'koseki-kojin': '戸籍個人事項証明書',
  fuhyo: '戸籍の附票の写し',
  'shotoku-kazei': '所得・課税証明書',
};

export const Sex = z.enum(['男', '女']);

export const MunicipalityInfo = z.object({
  /** 6-digit local government code with check digit, e.g. "012050". */
  code: z.string().regex(/^\d{6}$/),
  prefecture: z.string().min(1),
  name: z.string().min(1),
  mayorTitle: z.string().min(1),
  mayorName: z.string().min(1),
  /** The 公印 as PNG base64 (fictional seal), drawn over the mayor's name. */
  officialSealPngBase64: z.string().min(1),
});
export type MunicipalityInfo = z.infer<typeof MunicipalityInfo>;

/** 本籍 and 筆頭者 as printed on 住民票 (only when the resident asked for them). */
export const Honseki = z.object({ address: z.string().min(1), hittousha: z.string().min(1) });

/* ───────────── per-type content ───────────── */

export const JuminhyoMember = z.object({
  name: z.string().min(1),
  furigana: z.string().min(1),
  birthDate: IsoDate,
  sex: Sex,
  /** 続柄, e.g. 世帯主, 妻, 子; absent when the resident chose "続柄なし". */
  relationship: z.string().optional(),
  /** 住民となった年月日 */
  residentSince: IsoDate,
  /** 住所を定めた年月日 */
  addressSince: IsoDate,
  /** 届出日: when the move to this address was notified (printed beside 住所を定めた日). */
  notifiedOn: IsoDate.optional(),
  /** 住民票コード is never printed at kiosks; nor is the My Number. */
  honseki: Honseki.optional(),
  /** 前住所 (where they came from) when it is recorded. */
  previousAddress: z.string().optional(),
});

export const JuminhyoContent = z.object({
  kind: z.literal('juminhyo'),
  address: z.string().min(1),
  /** 世帯主 name; absent when the resident chose "世帯主なし". */
  householder: z.string().optional(),
  scope: z.enum(['household', 'members']),
  members: z.array(JuminhyoMember).min(1),
});

export const InkanContent = z.object({
  kind: z.literal('inkan'),
  registrationNumber: z.string().min(1),
  name: z.string().min(1),
  furigana: z.string().min(1),
  birthDate: IsoDate,
  sex: Sex,
  address: z.string().min(1),
  /** The registered seal impression, PNG base64. */
  sealPngBase64: z.string().min(1),
  registeredOn: IsoDate,
});

export const KosekiEvent = z.object({
  /** 出生, 婚姻, 離婚, 養子縁組, 死亡, 入籍, 除籍, 転籍 … */
  type: z.string().min(1),
  date: IsoDate,
  /** 届出日 of the event, when the register records it. */
  notifiedOn: IsoDate.optional(),
  /** e.g. 出生地 北海道室蘭市 / 配偶者氏名 山田太郎 / 従前戸籍 … */
  details: z.array(z.object({ label: z.string(), value: z.string() })),
});

export const KosekiMember = z.object({
  name: z.string().min(1),
  furigana: z.string().optional(),
  birthDate: IsoDate,
  sex: Sex,
  father: z.string().optional(),
  mother: z.string().optional(),
  /** 続柄 in the register: 長男, 長女, 妻 … */
  relationship: z.string().min(1),
  /** 除籍 (left the register: married out, died …). */
  removed: z.boolean(),
  events: z.array(KosekiEvent),
});

export const KosekiContent = z.object({
  kind: z.literal('koseki'),
  /** zenbu = 全部事項 (every member), kojin = 個人事項 (the chosen member only). */
  scope: z.enum(['zenbu', 'kojin']),
  honseki: z.string().min(1),
  hittousha: z.string().min(1),
  /** 戸籍編製 and its date. */
  compiledOn: IsoDate,
  members: z.array(KosekiMember).min(1),
});

export const FuhyoContent = z.object({
  kind: z.literal('fuhyo'),
  honseki: z.string().min(1),
  hittousha: z.string().min(1),
  name: z.string().min(1),
  birthDate: IsoDate,
  /** Address history, oldest first. */
  addresses: z.array(z.object({ address: z.string().min(1), since: IsoDate })).min(1),
});

export const ShotokuKazeiContent = z.object({
  kind: z.literal('shotoku-kazei'),
  /** 年度 (tax year), e.g. 2026 for 令和8年度; the incomes are those of the year before. */
  fiscalYear: z.number().int(),
  incomeYear: z.number().int(),
  name: z.string().min(1),
  birthDate: IsoDate,
  /** Address on 1 January of the fiscal year (where the tax was assessed). */
  address: z.string().min(1),
  incomes: z.array(z.object({ category: z.string().min(1), revenueYen: Yen, incomeYen: Yen })),
  totalIncomeYen: Yen,
  deductions: z.array(z.object({ name: z.string().min(1), amountYen: Yen })),
  totalDeductionsYen: Yen,
  taxableIncomeYen: Yen,
  dependents: z.object({ spouse: z.boolean(), count: z.number().int().min(0) }),
  tax: z.object({
    municipalIncomeLevyYen: Yen,
    municipalPerCapitaYen: Yen,
    prefecturalIncomeLevyYen: Yen,
    prefecturalPerCapitaYen: Yen,
    totalYen: Yen,
  }),
  /** 非課税 when no tax is due. */
  taxable: z.boolean(),
});

export const DocumentBody = z.discriminatedUnion('kind', [
  JuminhyoContent,
  InkanContent,
  KosekiContent,
  FuhyoContent,
  ShotokuKazeiContent,
]);
export type DocumentBody = z.infer<typeof DocumentBody>;

/** Everything the signature covers. */
export const DocumentContent = z.object({
  schemaVersion: z.literal(1),
  certificateType: CertificateType,
  /** Title printed at the top, e.g. 住民票の写し. */
  title: z.string().min(1),
  municipality: MunicipalityInfo,
  /** 交付番号, unique per municipality. */
  issuanceNumber: z.string().min(1),
  issuedDate: IsoDate,
  /** Attestation text printed above the mayor's name. */
  attestation: z.string().min(1),
  body: DocumentBody,
});
export type DocumentContent = z.infer<typeof DocumentContent>;

/** The registry's compact JWS (ES256, with kid) over {v, sha256 of canonical content}. */
export const SignedDocument = DocumentContent.extend({
  signature: z.string().regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'expected a compact JWS'),
  /**
   * One seal per printed A4 page (src/documents/seal.ts): the page's fields signed by the registry
   * as COSE_Sign1 in Base45, printed as the page's QR code. Not part of the content digest.
   */
  seals: z.array(z.string().min(1).max(4000)).min(1).optional(),
});
export type SignedDocument = z.infer<typeof SignedDocument>;

/* ───────────── canonical form and signature ───────────── */

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, undefined members dropped.
 * The content holds only strings, integers, booleans, arrays and objects, for which this equals
 * RFC 8785 (JCS).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('non-finite number in document');
    return JSON.stringify(value);
  }
  if (Array.isArray(value))
    return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** base64url SHA-256 of the canonical content (signature excluded). */
export function contentDigest(content: DocumentContent): string {
  const {
    signature: _ignored,
    seals: _seals,
    ...rest
  } = content as DocumentContent & { signature?: string; seals?: string[] };
  return createHash('sha256').update(canonicalJson(rest)).digest('base64url');
}

/** The JWS payload: small enough for a QR code on the paper. */
export const SignaturePayload = z.object({
  v: z.literal(1),
  sha256: z.string(),
  municipalityCode: z.string(),
  issuanceNumber: z.string(),
  issuedDate: IsoDate,
});
export type SignaturePayload = z.infer<typeof SignaturePayload>;

export interface SigningKey {
  kid: string;
  /** Private EC P-256 JWK. */
  privateJwk: JWK;
}

const privateKeys = new WeakMap<SigningKey, KeyObject>();
const b64url = (s: string) => Buffer.from(s).toString('base64url');

/**
 * Sign with node:crypto directly (ES256 = ECDSA P-256 over SHA-256, IEEE P1363 r||s): the
 * registry signs every issuance, and this is several times faster than going through WebCrypto.
 */
export async function signDocument(content: DocumentContent, key: SigningKey): Promise<SignedDocument> {
  const parsed = DocumentContent.parse(content);
  let pk = privateKeys.get(key);
  if (!pk)
    privateKeys.set(
      key,
      (pk = createPrivateKey({ key: key.privateJwk as import('node:crypto').JsonWebKey, format: 'jwk' })),
    );
  const payload: SignaturePayload = {
    v: 1,
    sha256: contentDigest(parsed),
    municipalityCode: parsed.municipality.code,
    issuanceNumber: parsed.issuanceNumber,
    issuedDate: parsed.issuedDate,
  };
  const signingInput = `${b64url(JSON.stringify({ alg: 'ES256', kid: key.kid, typ: 'madoguchi-doc+jws' }))}.${b64url(canonicalJson(payload))}`;
  const signature = sign('sha256', Buffer.from(signingInput), {
    key: pk,
    dsaEncoding: 'ieee-p1363',
  }).toString('base64url');
  return { ...parsed, signature: `${signingInput}.${signature}` };
}

export class DocumentSignatureError extends Error {
  readonly kind = 'documentSignature' as const;
  constructor(
    readonly reason: 'unknownKey' | 'badSignature' | 'digestMismatch' | 'malformed',
    message: string,
  ) {
    super(message);
  }
}

const publicKeyCache = new WeakMap<JWK, ReturnType<typeof importJWK>>();

/**
 * Verify a signed document against the trusted registry public keys (JWK with kid): only a key
 * whose kid is in the set is ever tried. Throws DocumentSignatureError; returns the payload and
 * the kid when the content is what the registry signed.
 */
export async function verifyDocument(doc: SignedDocument, publicKeys: JWK[]): Promise<SignaturePayload> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(doc.signature).kid;
  } catch {
    throw new DocumentSignatureError('malformed', 'signature is not a compact JWS');
  }
  const jwk = publicKeys.find((k) => k.kid === kid);
  if (!jwk) {
    const trusted = publicKeys.map((k) => k.kid).join(', ') || 'none';
    throw new DocumentSignatureError(
      'unknownKey',
      `signed with registry key ${kid ? `"${kid}"` : '(no kid)'}, which is not trusted here (trusted: ${trusted}): an unknown or rotated-out key`,
    );
  }
  let payloadBytes: Uint8Array;
  try {
    let imported = publicKeyCache.get(jwk);
    if (!imported) publicKeyCache.set(jwk, (imported = importJWK(jwk, 'ES256')));
    ({ payload: payloadBytes } = await compactVerify(doc.signature, await imported, {
      algorithms: ['ES256'],
    }));
  } catch {
    throw new DocumentSignatureError('badSignature', 'registry signature does not verify');
  }
  const payload = SignaturePayload.safeParse(JSON.parse(new TextDecoder().decode(payloadBytes)));
  if (!payload.success)
    throw new DocumentSignatureError('malformed', 'signature payload has an unexpected shape');
  if (payload.data.sha256 !== contentDigest(doc))
    throw new DocumentSignatureError(
      'digestMismatch',
      'document content differs from what the registry signed',
    );
  return payload.data;
}
