// The JPKI client: the ISO 7816 base plus what JPKI overrides — application select, PIN and sign —
// following the public facts (OpenSC card-jpki.c, jpki/myna). It remembers what is selected so the
// resident's flow (type, certificate, tries, verify, sign) costs 10 APDUs when the card takes an
// extended READ BINARY, 13 with 256-byte reads.
import { createHash } from 'node:crypto';
import { derTotalLength } from './apdu.js';
import { parseAtr } from './atr.js';
import { CardStatusError, MalformedResponseError } from './errors.js';
import type { CardTransport } from './interface.js';
import { Iso7816 } from './iso7816.js';
import {
  AID,
  AUTH_PIN,
  CARD_INFO_EF,
  DIGEST_INFO_PREFIX,
  INS,
  JPKI_EF,
  SIGN_PIN,
  TOKENS,
  TOKEN_LENGTH,
  type TokenKind,
} from './jpki-constants.js';
import { statusMeaning } from './status-words.js';

export type JpkiCardType = TokenKind | 'unknown';
export type PinOutcome =
  { ok: true } | { ok: false; blocked: false; triesLeft: number } | { ok: false; blocked: true };

export class InvalidPinFormatError extends Error {
  override readonly name = 'InvalidPinFormatError';
  readonly kind = 'invalidPin' as const;
}

export interface BasicInfo {
  name: string;
  address: string;
  /** YYYYMMDD */
  birthDate: string;
  /** ISO 5218 */
  sex: string;
}

const TOKEN_BY_NAME = new Map<string, TokenKind>(
  Object.entries(TOKENS).map(([kind, name]) => [name, kind as TokenKind]),
);

/** Token kind from EF 0006 (0x20 bytes, space padded): a card, an Android or an iPhone token. */
export function parseToken(data: Uint8Array): { cardType: JpkiCardType; token: string } {
  let end = data.length;
  while (end > 0 && (data[end - 1] === 0x20 || data[end - 1] === 0x00 || data[end - 1] === 0xff)) end--;
  // Printable ASCII only: anything else is shown as an escape, never trusted as a name.
  const token = Array.from(data.subarray(0, end), (b) =>
    b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`,
  ).join('');
  return { cardType: TOKEN_BY_NAME.get(token) ?? 'unknown', token };
}

/** Parses EF 0002 of the card-info AP (FF 20 { DF21 … DF25 }). */
export function parseBasicInfo(bytes: Uint8Array): BasicInfo {
  const ctx = 'basic info EF 0002';
  if (bytes[0] !== 0xff || bytes[1] !== 0x20) throw new MalformedResponseError(ctx, 'not an FF 20 template');
  const total = derTotalLength(bytes, ctx);
  if (total === null || total > bytes.length) throw new MalformedResponseError(ctx, 'truncated');
  const headerLen = total - lengthOfValue(bytes);
  const fields = new Map<number, Uint8Array>();
  let i = headerLen;
  while (i < total) {
    if (i + 2 >= total || bytes[i] !== 0xdf) throw new MalformedResponseError(ctx, `bad tag at ${i}`);
    const tag = (bytes[i]! << 8) | bytes[i + 1]!;
    const elementLen = derTotalLength(bytes.subarray(i, total), ctx);
    if (elementLen === null || i + elementLen > total)
      throw new MalformedResponseError(ctx, `truncated element at ${i}`);
    const valueLen = lengthOfValue(bytes.subarray(i, i + elementLen));
    fields.set(tag, bytes.subarray(i + elementLen - valueLen, i + elementLen));
    i += elementLen;
  }
  const text = (tag: number) => {
    const v = fields.get(tag);
    if (!v) throw new MalformedResponseError(ctx, `missing ${tag.toString(16).toUpperCase()}`);
    return new TextDecoder('utf-8', { fatal: false }).decode(v);
  };
  return { name: text(0xdf22), address: text(0xdf23), birthDate: text(0xdf24), sex: text(0xdf25) };
}

function lengthOfValue(element: Uint8Array): number {
  let i = 1;
  if ((element[0]! & 0x1f) === 0x1f) {
    while (element[i]! & 0x80) i++;
    i++;
  }
  const first = element[i]!;
  if (first < 0x80) return first;
  let len = 0;
  for (let k = 1; k <= (first & 0x7f); k++) len = len * 256 + element[i + k]!;
  return len;
}

/** Parses EF 0001 of the card-info AP: D0 0C <12 digits>. */
export function parseMyNumber(bytes: Uint8Array): string {
  if (bytes[0] !== 0xd0 || bytes[1] !== 0x0c || bytes.length < 14)
    throw new MalformedResponseError('my number EF 0001', 'not a D0 0C element');
  const digits = String.fromCharCode(...bytes.subarray(2, 14));
  if (!/^[0-9]{12}$/.test(digits)) throw new MalformedResponseError('my number EF 0001', 'not 12 digits');
  return digits;
}

/** DER DigestInfo for SHA-256 of the message. */
export function sha256DigestInfo(message: Uint8Array): Uint8Array {
  const digest = createHash('sha256').update(message).digest();
  const out = new Uint8Array(DIGEST_INFO_PREFIX.sha256.length + digest.length);
  out.set(DIGEST_INFO_PREFIX.sha256);
  out.set(digest, DIGEST_INFO_PREFIX.sha256.length);
  return out;
}

type Selected = { app: 'jpki' | 'cardInfo' | null; ef: number | null };

/**
 * May READ BINARY use extended Le? What the ATR's card capabilities say; when they say nothing, a
 * T=1 card (which carries extended APDUs as they are) is asked once and a 6700 answer means no.
 * T=0 alone would need ENVELOPE: short reads only.
 */
export function extendedLengthFromAtr(atr: Uint8Array | undefined): boolean | null {
  if (!atr?.length) return false;
  try {
    const facts = parseAtr(atr);
    if (facts.extendedLength !== null) return facts.extendedLength;
    return facts.protocols.includes(1) ? null : false;
  } catch {
    return false;
  }
}

export class JpkiClient {
  readonly iso: Iso7816;
  private selected: Selected = { app: null, ef: null };
  private token: { cardType: JpkiCardType; token: string } | null = null;
  private pinSent = false;

  constructor(
    transport: CardTransport,
    /** chunk: short READ BINARY size; atr: the card's, to learn whether extended Le may be used. */
    readonly opts: { chunk?: number; atr?: Uint8Array } = {},
  ) {
    this.iso = new Iso7816(transport, { extendedLength: extendedLengthFromAtr(opts.atr) });
  }

  /** A PIN went to the card in this session: the card may hold a verified state until it is reset. */
  get pinPresented(): boolean {
    return this.pinSent;
  }

  get apdus(): number {
    return this.iso.trace.apdus;
  }

  /** Forget what is selected (after a reset or reconnection). */
  forgetSelection(): void {
    this.selected = { app: null, ef: null };
    this.token = null;
  }

  private async app(app: 'jpki' | 'cardInfo'): Promise<void> {
    if (this.selected.app === app) return;
    this.selected = { app: null, ef: null };
    await this.iso.selectAid(
      app === 'jpki' ? AID.jpki : AID.cardInfo,
      `select ${app === 'jpki' ? 'JPKI AP' : 'card-info AP'}`,
    );
    this.selected = { app, ef: null };
  }

  private async ef(app: 'jpki' | 'cardInfo', fid: number): Promise<void> {
    await this.app(app);
    if (this.selected.ef === fid) return;
    this.selected.ef = null;
    await this.iso.selectEf(fid);
    this.selected.ef = fid;
  }

  /** The token kind; read once per card session (EF 0006 never changes while the token is present). */
  async cardType(): Promise<{ cardType: JpkiCardType; token: string }> {
    if (this.token) return this.token;
    await this.ef('jpki', JPKI_EF.token);
    const data = await this.iso.readEf({ size: TOKEN_LENGTH, context: 'read token EF 0006' });
    this.token = parseToken(data);
    return this.token;
  }

  private async readCert(fid: number, what: string): Promise<Uint8Array> {
    await this.ef('jpki', fid);
    const der = await this.iso.readEf({
      chunk: this.opts.chunk ?? 256,
      context: `read ${what}`,
      maxSize: 8192,
    });
    if (der[0] !== 0x30) throw new MalformedResponseError(`read ${what}`, 'not a DER SEQUENCE');
    return der;
  }

  readAuthCertificate(): Promise<Uint8Array> {
    return this.readCert(JPKI_EF.authCert, 'auth certificate EF 000A');
  }

  readAuthCaCertificate(): Promise<Uint8Array> {
    return this.readCert(JPKI_EF.authCaCert, 'auth CA certificate EF 000B');
  }

  /** The signature certificate: readable only after the signature PIN. */
  async readSignCertificate(signPin: string): Promise<Uint8Array> {
    const r = await this.verifySignPin(signPin);
    if (!r.ok)
      throw new CardStatusError(
        r.blocked ? 0x6984 : 0x63c0 | r.triesLeft,
        statusMeaning(r.blocked ? 0x6984 : 0x63c0 | r.triesLeft),
        'verify signature PIN',
      );
    return this.readCert(JPKI_EF.signCert, 'signature certificate EF 0001');
  }

  /** Tries left without spending one: VERIFY with no data answers 63Cx. */
  private async triesLeft(app: 'jpki' | 'cardInfo', pinEf: number, what: string): Promise<number> {
    await this.ef(app, pinEf);
    const res = await this.iso.transceive(
      { cla: 0x00, ins: INS.verify, p1: 0x00, p2: 0x80 },
      `${what} tries`,
    );
    const m = statusMeaning(res.sw);
    if (m.reason === 'wrongPin') return m.value!;
    if (m.reason === 'blocked') return 0;
    throw new CardStatusError(res.sw, m, `${what} tries`);
  }

  authPinTriesLeft(): Promise<number> {
    return this.triesLeft('jpki', JPKI_EF.authPin, 'auth PIN');
  }

  signPinTriesLeft(): Promise<number> {
    return this.triesLeft('jpki', JPKI_EF.signPin, 'signature PIN');
  }

  private async verify(
    app: 'jpki' | 'cardInfo',
    pinEf: number,
    pin: string,
    what: string,
  ): Promise<PinOutcome> {
    await this.ef(app, pinEf);
    this.pinSent = true;
    const res = await this.iso.transceive(
      { cla: 0x00, ins: INS.verify, p1: 0x00, p2: 0x80, data: new TextEncoder().encode(pin) },
      `verify ${what}`,
    );
    const m = statusMeaning(res.sw);
    if (m.reason === 'ok') return { ok: true };
    if (m.reason === 'blocked') return { ok: false, blocked: true };
    if (m.reason === 'wrongPin')
      return m.value === 0
        ? { ok: false, blocked: true }
        : { ok: false, blocked: false, triesLeft: m.value! };
    throw new CardStatusError(res.sw, m, `verify ${what}`);
  }

  verifyAuthPin(pin: string): Promise<PinOutcome> {
    if (!new RegExp(`^[0-9]{${AUTH_PIN.length}}$`).test(pin))
      return Promise.reject(new InvalidPinFormatError('the user-authentication PIN is 4 digits'));
    return this.verify('jpki', JPKI_EF.authPin, pin, 'auth PIN');
  }

  verifySignPin(pin: string): Promise<PinOutcome> {
    if (!SIGN_PIN.pattern.test(pin))
      return Promise.reject(new InvalidPinFormatError('the signature PIN is 6–16 of A-Z and 0-9'));
    return this.verify('jpki', JPKI_EF.signPin, pin, 'signature PIN');
  }

  /** Signs a DER DigestInfo with the key EF (its PIN must be verified): 80 2A 00 80 Lc DI 00. */
  private async signDigestInfo(keyEf: number, digestInfo: Uint8Array, what: string): Promise<Uint8Array> {
    await this.ef('jpki', keyEf);
    const res = await this.iso.command(
      { cla: 0x80, ins: INS.sign, p1: 0x00, p2: 0x80, data: digestInfo, le: 256 },
      `sign with ${what}`,
    );
    if (res.data.length !== 256)
      throw new MalformedResponseError(
        `sign with ${what}`,
        `signature of ${res.data.length} bytes, expected 256`,
      );
    return res.data;
  }

  /** RSA PKCS#1 v1.5 with the user-authentication key over SHA-256(message). */
  signWithAuthKey(message: Uint8Array): Promise<Uint8Array> {
    return this.signDigestInfo(JPKI_EF.authKey, sha256DigestInfo(message), 'auth key EF 0017');
  }

  /* ── card-info input support AP (technician's card test, never the resident's flow) ── */

  cardInfoPinTriesLeft(): Promise<number> {
    return this.triesLeft('cardInfo', CARD_INFO_EF.pin, 'card-info PIN');
  }

  verifyCardInfoPin(pin: string): Promise<PinOutcome> {
    if (!/^[0-9]{4}$/.test(pin))
      return Promise.reject(new InvalidPinFormatError('the card-info PIN is 4 digits'));
    return this.verify('cardInfo', CARD_INFO_EF.pin, pin, 'card-info PIN');
  }

  /** The basic four items; the card-info PIN must be verified. Reads a 7-byte header, then the rest. */
  async readBasicInfo(): Promise<BasicInfo> {
    await this.ef('cardInfo', CARD_INFO_EF.basicInfo);
    const ctx = 'read basic info EF 0002';
    const head = (await this.iso.readBinary(0, 7, ctx)).data;
    const total = derTotalLength(head, ctx);
    if (total === null) throw new MalformedResponseError(ctx, 'header too short');
    if (total > 0x7fff) throw new MalformedResponseError(ctx, `length ${total} too large`);
    const buf = new Uint8Array(total);
    buf.set(head.subarray(0, Math.min(head.length, total)));
    for (let off = head.length; off < total;) {
      const { data } = await this.iso.readBinary(off, Math.min(256, total - off), ctx);
      if (data.length === 0) throw new MalformedResponseError(ctx, 'EF ended early');
      buf.set(data.subarray(0, total - off), off);
      off += data.length;
    }
    return parseBasicInfo(buf);
  }

  async readMyNumber(): Promise<string> {
    await this.ef('cardInfo', CARD_INFO_EF.myNumber);
    return parseMyNumber(await this.iso.readEf({ size: 17, context: 'read my number EF 0001' }));
  }
}
