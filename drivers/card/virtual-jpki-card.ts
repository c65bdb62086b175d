// The virtual My Number / 住基 card and the phone JPKI tokens: one model that both the in-process
// simulator and the vpcd card program drive. It behaves as the public facts describe the real tokens
// (JPKI AP, and on the My Number card the card-info input support AP); where they are silent it takes
// the ISO 7816-4 behaviour. A phone token guards its user-authentication certificate with the PIN
// and has no card-info AP.
import { createHash, createPrivateKey, constants, privateEncrypt, type KeyObject } from 'node:crypto';
import { decodeCommand, encodeResponse, type CommandApdu } from './apdu.js';
import type { CardApplet } from './interface.js';
import {
  AID,
  AUTH_PIN,
  CARD_INFO_EF,
  CARD_INFO_PIN,
  CONTACTLESS_ATR,
  DIGEST_INFO_PREFIX,
  DIGEST_LENGTH,
  INS,
  JPKI_ATR,
  JPKI_EF,
  SIGN_PIN,
  TOKENS,
  TOKEN_LENGTH,
  TOKEN_RULES,
} from './jpki-constants.js';
import { MemoryPinStore, type PinCounterStore, type PinCounters, type PinId } from './pin-store.js';

export interface VirtualJpkiProfile {
  cardId: string;
  token: keyof typeof TOKENS;
  atr?: Uint8Array;
  /** Takes extended Lc/Le fields (ISO 7816-4); false answers 6700 to them, as short-only cards do. */
  extendedLength?: boolean;
  authCertDer: Uint8Array;
  authCaCertDer: Uint8Array;
  signCertDer: Uint8Array;
  signCaCertDer: Uint8Array;
  authKeyPkcs8Der: Uint8Array;
  signKeyPkcs8Der: Uint8Array;
  pins: Record<PinId, string>;
  /** Tries left when the card is fresh (0 = blocked). Missing = the PIN's maximum. */
  freshTries?: PinCounters;
  personal: { myNumber: string; name: string; address: string; birthDate: string; sex: string };
}

const MAX_TRIES: Record<PinId, number> = {
  auth: AUTH_PIN.tries,
  sign: SIGN_PIN.tries,
  cardInfo: CARD_INFO_PIN.tries,
  pinA: 3,
  pinB: 3,
};
const PIN_FORMAT: Record<PinId, RegExp> = {
  auth: /^[0-9]{4}$/,
  sign: SIGN_PIN.pattern,
  cardInfo: /^[0-9]{4}$/,
  pinA: /^[0-9]{12}$/,
  pinB: /^[0-9A-Z]{14}$/,
};

type App = 'jpki' | 'cardInfo' | 'cardFace';
type Ef =
  | { kind: 'binary'; data: Uint8Array; needs?: PinId }
  | { kind: 'pin'; pin: PinId }
  | { kind: 'key'; key: KeyObject; pin: PinId };

const SW = {
  ok: 0x9000,
  eof: 0x6282,
  wrongLength: 0x6700,
  incompatible: 0x6981,
  security: 0x6982,
  blocked: 0x6984,
  conditions: 0x6985,
  noCurrentEf: 0x6986,
  wrongData: 0x6a80,
  notFound: 0x6a82,
  wrongP1P2: 0x6a86,
  offset: 0x6b00,
  ins: 0x6d00,
  cla: 0x6e00,
} as const;

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

function tlv(tag: number[], value: Uint8Array | number[]): number[] {
  const v = Array.from(value);
  const len =
    v.length < 0x80
      ? [v.length]
      : v.length < 0x100
        ? [0x81, v.length]
        : [0x82, v.length >> 8, v.length & 0xff];
  return [...tag, ...len, ...v];
}

/** EF 0002 of the card-info AP: FF 20 { DF21 header, DF22 name, DF23 address, DF24 birth, DF25 sex }. */
export function encodeBasicInfo(p: {
  name: string;
  address: string;
  birthDate: string;
  sex: string;
}): Uint8Array {
  const enc = new TextEncoder();
  // DF21's content is not described publicly: three zero bytes stand in for it.
  const body = [
    ...tlv([0xdf, 0x21], [0, 0, 0]),
    ...tlv([0xdf, 0x22], enc.encode(p.name)),
    ...tlv([0xdf, 0x23], enc.encode(p.address)),
    ...tlv([0xdf, 0x24], enc.encode(p.birthDate)),
    ...tlv([0xdf, 0x25], enc.encode(p.sex)),
  ];
  return Uint8Array.from(tlv([0xff, 0x20], body));
}

/** EF 0001 of the card-info AP: D0 0C <12 ASCII digits>, padded with FF to the 17 bytes readers take. */
export function encodeMyNumber(myNumber: string): Uint8Array {
  const out = new Uint8Array(17).fill(0xff);
  out.set(tlv([0xd0], new TextEncoder().encode(myNumber)));
  return out;
}

export class VirtualJpkiCard implements CardApplet {
  readonly atr: Uint8Array;
  private readonly apps: Record<App, Map<number, Ef>>;
  private readonly pins: Record<PinId, string>;
  private counters: Record<PinId, number>;
  private app: App | null = null;
  private ef: Ef | null = null;
  private readonly verified = new Set<PinId>();
  private pending: Uint8Array | null = null;

  constructor(
    readonly profile: VirtualJpkiProfile,
    private readonly store: PinCounterStore = new MemoryPinStore(),
  ) {
    const rules = TOKEN_RULES[profile.token];
    this.atr = profile.atr ?? (rules.form === 'phone' ? CONTACTLESS_ATR : JPKI_ATR);
    this.pins = { ...profile.pins };
    const fresh = { ...MAX_TRIES, ...profile.freshTries };
    this.counters = { ...fresh, ...store.load(profile.cardId) };
    const token = new Uint8Array(TOKEN_LENGTH).fill(0x20);
    token.set(new TextEncoder().encode(TOKENS[profile.token]));
    const myNumber = encodeMyNumber(profile.personal.myNumber);
    const basic = encodeBasicInfo(profile.personal);
    const digests = Uint8Array.from([
      ...tlv([0xdf, 0x31], createHash('sha256').update(myNumber).digest()),
      ...tlv([0xdf, 0x32], createHash('sha256').update(basic).digest()),
    ]);
    const authKey = createPrivateKey({
      key: Buffer.from(profile.authKeyPkcs8Der),
      format: 'der',
      type: 'pkcs8',
    });
    const signKey = createPrivateKey({
      key: Buffer.from(profile.signKeyPkcs8Der),
      format: 'der',
      type: 'pkcs8',
    });
    this.apps = {
      jpki: new Map<number, Ef>([
        [
          JPKI_EF.authCert,
          {
            kind: 'binary',
            data: profile.authCertDer,
            ...(rules.authCertNeedsPin ? { needs: 'auth' as const } : {}),
          },
        ],
        [JPKI_EF.authCaCert, { kind: 'binary', data: profile.authCaCertDer }],
        [JPKI_EF.signCert, { kind: 'binary', data: profile.signCertDer, needs: 'sign' }],
        [JPKI_EF.signCaCert, { kind: 'binary', data: profile.signCaCertDer }],
        [JPKI_EF.authKey, { kind: 'key', key: authKey, pin: 'auth' }],
        [JPKI_EF.authPin, { kind: 'pin', pin: 'auth' }],
        [JPKI_EF.signKey, { kind: 'key', key: signKey, pin: 'sign' }],
        [JPKI_EF.signPin, { kind: 'pin', pin: 'sign' }],
        [JPKI_EF.token, { kind: 'binary', data: token }],
      ]),
      cardInfo: new Map<number, Ef>([
        [CARD_INFO_EF.pin, { kind: 'pin', pin: 'cardInfo' }],
        [CARD_INFO_EF.pinA, { kind: 'pin', pin: 'pinA' }],
        [CARD_INFO_EF.pinB, { kind: 'pin', pin: 'pinB' }],
        [CARD_INFO_EF.myNumber, { kind: 'binary', data: myNumber, needs: 'cardInfo' }],
        [CARD_INFO_EF.basicInfo, { kind: 'binary', data: basic, needs: 'cardInfo' }],
        [CARD_INFO_EF.signature, { kind: 'binary', data: digests, needs: 'cardInfo' }],
      ]),
      // The card-face AP is selectable; its files are outside this project's needs.
      cardFace: new Map<number, Ef>(),
    };
  }

  get cardId(): string {
    return this.profile.cardId;
  }

  /** Only the My Number card carries the card-info and card-face APs; 住基カード and phones hold JPKI only. */
  private hasApp(app: App): boolean {
    return app === 'jpki' || TOKEN_RULES[this.profile.token].cardInfoAp;
  }

  /** Tries left per PIN (for tests and the demo panel). */
  triesLeft(pin: PinId): number {
    return this.counters[pin];
  }

  reset(): void {
    this.app = null;
    this.ef = null;
    this.verified.clear();
    this.pending = null;
  }

  process(bytes: Uint8Array): Uint8Array {
    let cmd: CommandApdu;
    try {
      cmd = decodeCommand(bytes);
    } catch {
      return encodeResponse([], SW.wrongLength);
    }
    if (cmd.extended && this.profile.extendedLength === false) return encodeResponse([], SW.wrongLength);
    if (cmd.ins !== INS.getResponse) this.pending = null;
    if (cmd.cla !== 0x00 && !(cmd.cla === 0x80 && cmd.ins === INS.sign)) return encodeResponse([], SW.cla);
    switch (cmd.ins) {
      case INS.select:
        return this.select(cmd);
      case INS.readBinary:
        return this.readBinary(cmd);
      case INS.verify:
        return this.verify(cmd);
      case INS.changePin:
        return this.changePin(cmd);
      case INS.sign:
        return cmd.cla === 0x80 ? this.sign(cmd) : encodeResponse([], SW.cla);
      case INS.getResponse:
        return this.getResponse(cmd);
      default:
        return encodeResponse([], SW.ins);
    }
  }

  private select(cmd: CommandApdu): Uint8Array {
    const data = cmd.data ?? new Uint8Array(0);
    if (cmd.p1 === 0x04) {
      const app = (Object.keys(AID) as App[]).find((k) => sameBytes(AID[k], data));
      if (!app || !this.hasApp(app)) return encodeResponse([], SW.notFound);
      this.app = app;
      this.ef = null;
      this.verified.clear();
      return encodeResponse([], SW.ok);
    }
    if (cmd.p1 === 0x02) {
      if (data.length !== 2) return encodeResponse([], SW.wrongLength);
      const ef = this.app ? this.apps[this.app].get((data[0]! << 8) | data[1]!) : undefined;
      if (!ef) return encodeResponse([], SW.notFound);
      this.ef = ef;
      return encodeResponse([], SW.ok);
    }
    return encodeResponse([], SW.wrongP1P2);
  }

  private readBinary(cmd: CommandApdu): Uint8Array {
    if (cmd.data) return encodeResponse([], SW.wrongLength);
    if (cmd.p1 & 0x80) return encodeResponse([], SW.wrongP1P2); // short EF ids are not supported
    if (!this.ef) return encodeResponse([], SW.noCurrentEf);
    if (this.ef.kind !== 'binary') return encodeResponse([], SW.incompatible);
    if (this.ef.needs && !this.verified.has(this.ef.needs)) return encodeResponse([], SW.security);
    const offset = (cmd.p1 << 8) | cmd.p2;
    const file = this.ef.data;
    if (offset >= file.length) return encodeResponse([], SW.offset);
    const le = cmd.le ?? 256;
    const chunk = file.subarray(offset, Math.min(file.length, offset + le));
    return encodeResponse(chunk, chunk.length < le ? SW.eof : SW.ok);
  }

  private currentPin(): PinId | null {
    return this.ef?.kind === 'pin' ? this.ef.pin : null;
  }

  private verify(cmd: CommandApdu): Uint8Array {
    if (cmd.p1 !== 0x00 || cmd.p2 !== 0x80) return encodeResponse([], SW.wrongP1P2);
    const pin = this.currentPin();
    if (!pin) return encodeResponse([], SW.noCurrentEf);
    const left = this.counters[pin];
    // No data: the retry counter, always as 63Cx (also after a successful VERIFY and when blocked).
    if (!cmd.data) return encodeResponse([], 0x63c0 | left);
    if (left === 0) return encodeResponse([], SW.blocked);
    if (new TextDecoder().decode(cmd.data) === this.pins[pin]) {
      this.setCounter(pin, MAX_TRIES[pin]);
      this.verified.add(pin);
      return encodeResponse([], SW.ok);
    }
    this.verified.delete(pin);
    this.setCounter(pin, left - 1);
    return encodeResponse([], 0x63c0 | (left - 1));
  }

  private changePin(cmd: CommandApdu): Uint8Array {
    if (cmd.p1 !== 0x01 || cmd.p2 !== 0x80) return encodeResponse([], SW.wrongP1P2);
    const pin = this.currentPin();
    if (!pin) return encodeResponse([], SW.noCurrentEf);
    if (!this.verified.has(pin)) return encodeResponse([], SW.security);
    const next = new TextDecoder().decode(cmd.data ?? new Uint8Array(0));
    if (!PIN_FORMAT[pin].test(next)) return encodeResponse([], SW.wrongData);
    // Changed PIN values live for this card session only: the fixtures' PINs stay what the catalog says.
    this.pins[pin] = next;
    return encodeResponse([], SW.ok);
  }

  private sign(cmd: CommandApdu): Uint8Array {
    if (cmd.p1 !== 0x00 || cmd.p2 !== 0x80) return encodeResponse([], SW.wrongP1P2);
    if (this.ef?.kind !== 'key') return encodeResponse([], SW.noCurrentEf);
    if (!this.verified.has(this.ef.pin)) return encodeResponse([], SW.security);
    const di = cmd.data ?? new Uint8Array(0);
    const ok = (Object.keys(DIGEST_INFO_PREFIX) as Array<keyof typeof DIGEST_INFO_PREFIX>).some((h) => {
      const prefix = DIGEST_INFO_PREFIX[h];
      return (
        di.length === prefix.length + DIGEST_LENGTH[h] && sameBytes(di.subarray(0, prefix.length), prefix)
      );
    });
    if (!ok) return encodeResponse([], SW.wrongData);
    const signature = new Uint8Array(
      privateEncrypt({ key: this.ef.key, padding: constants.RSA_PKCS1_PADDING }, di),
    );
    // Case 3 (no Le): announce the 256 bytes with 6100 and hand them out on GET RESPONSE.
    if (cmd.le === undefined) {
      this.pending = signature;
      return encodeResponse([], 0x6100);
    }
    if (cmd.le < signature.length && !cmd.extended)
      return encodeResponse([], 0x6c00 | (signature.length & 0xff));
    return encodeResponse(signature, SW.ok);
  }

  private getResponse(cmd: CommandApdu): Uint8Array {
    if (!this.pending) return encodeResponse([], SW.conditions);
    const le = cmd.le ?? 256;
    const out = this.pending.subarray(0, le);
    const rest = this.pending.subarray(le);
    this.pending = rest.length ? rest : null;
    return encodeResponse(out, rest.length ? 0x6100 | (rest.length >= 256 ? 0 : rest.length) : SW.ok);
  }

  private setCounter(pin: PinId, value: number): void {
    if (this.counters[pin] === value) return;
    this.counters = { ...this.counters, [pin]: value };
    this.store.save(this.profile.cardId, this.counters);
  }
}
