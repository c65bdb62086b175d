// JPKI and card-info AP constants, in one place (cf. OpenSC jpki.h). Facts from the public
// middleware (OpenSC card-jpki.c, jpki/myna).
const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

export const AID = {
  jpki: hex('D3 92 F0 00 26 01 00 00 00 01'),
  cardInfo: hex('D3 92 10 00 31 00 01 01 04 08'),
  cardFace: hex('D3 92 10 00 31 00 01 01 04 02'),
} as const;

export const JPKI_EF = {
  authCert: 0x000a,
  authCaCert: 0x000b,
  signCert: 0x0001,
  signCaCert: 0x0002,
  authKey: 0x0017,
  authPin: 0x0018,
  signKey: 0x001a,
  signPin: 0x001b,
  token: 0x0006,
} as const;

export const CARD_INFO_EF = {
  pin: 0x0011,
  pinA: 0x0014,
  pinB: 0x0015,
  myNumber: 0x0001,
  basicInfo: 0x0002,
  signature: 0x0003,
} as const;

export const TOKEN_LENGTH = 0x20;
/** EF 0006 names the token holding the JPKI AP: the two cards and the two phone platforms. */
export const TOKENS = {
  mynumber: 'JPKIAPICCTOKEN2',
  juki: 'JPKIAPICCTOKEN',
  android: 'JPKIAPGPSETOKEN',
  iphone: 'JPKIAPIOSTOKEN',
} as const;
export type TokenKind = keyof typeof TOKENS;

/**
 * What each token requires. On a phone the user-authentication certificate is readable only after
 * its PIN is verified, and there is no card-info input support AP; on a card the certificate is public.
 */
export const TOKEN_RULES: Record<
  TokenKind,
  { form: 'card' | 'phone'; authCertNeedsPin: boolean; cardInfoAp: boolean }
> = {
  mynumber: { form: 'card', authCertNeedsPin: false, cardInfoAp: true },
  juki: { form: 'card', authCertNeedsPin: false, cardInfoAp: false },
  android: { form: 'phone', authCertNeedsPin: true, cardInfoAp: false },
  iphone: { form: 'phone', authCertNeedsPin: true, cardInfoAp: false },
};

export const AUTH_PIN = { length: 4, tries: 3 } as const;
export const SIGN_PIN = { pattern: /^[A-Z0-9]{6,16}$/, tries: 5 } as const;
/** Card-info AP PIN: tries are not documented; assume 3 like the auth PIN. */
export const CARD_INFO_PIN = { length: 4, tries: 3 } as const;

/** ATR OpenSC has seen on JPKI cards. Never used alone to tell the card type. */
export const JPKI_ATR = hex('3B E0 00 FF 81 31 FE 45 14');
/**
 * The ATR a PC/SC contactless reader builds for an ISO 14443-4 Type A token with no historical bytes
 * (PC/SC part 3: 3B 8n 80 01 … TCK), as a phone's secure element presents itself over NFC.
 */
export const CONTACTLESS_ATR = hex('3B 80 80 01 01');

/** DER DigestInfo prefixes accepted by the sign command (SHA-1/256/384/512). */
export const DIGEST_INFO_PREFIX = {
  sha1: hex('30 21 30 09 06 05 2B 0E 03 02 1A 05 00 04 14'),
  sha256: hex('30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20'),
  sha384: hex('30 41 30 0D 06 09 60 86 48 01 65 03 04 02 02 05 00 04 30'),
  sha512: hex('30 51 30 0D 06 09 60 86 48 01 65 03 04 02 03 05 00 04 40'),
} as const;
export const DIGEST_LENGTH = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 } as const;

/** Instruction bytes. */
export const INS = {
  select: 0xa4,
  readBinary: 0xb0,
  verify: 0x20,
  changePin: 0x24,
  sign: 0x2a,
  getResponse: 0xc0,
} as const;
