// ccTalk as pure functions over bytes: frames, checksums, the headers a kiosk uses, event-buffer
// decoding and event-counter arithmetic. No I/O, no timers: everything here is tested with vectors.
import { CcTalkError } from './errors.js';
import type { AcceptorEvent, CcTalkFrame, ChecksumMode } from './interface.js';

export const HOST_ADDRESS = 1;

export const Header = {
  reply: 0,
  reset: 1,
  nak: 5,
  busy: 6,
  requestBillMode: 152,
  modifyBillMode: 153,
  billRoute: 154,
  billId: 157,
  billEvents: 159,
  hopperTest: 163,
  hopperEnable: 164,
  hopperStatus: 166,
  hopperDispense: 167,
  hopperDispenseCount: 168,
  coinId: 184,
  payoutLevelStatus: 217,
  modifyMasterInhibit: 228,
  coinEvents: 229,
  modifyInhibits: 231,
  requestInhibits: 230,
  requestMasterInhibit: 227,
  productCode: 244,
  equipmentCategory: 245,
  manufacturer: 246,
  simplePoll: 254,
} as const;

/** Byte that makes the sum of all frame bytes ≡ 0 (mod 256). */
export function simpleChecksum(bytes: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum += bytes[i]!;
  return (256 - (sum & 0xff)) & 0xff;
}

/** CRC-16/CCITT (XModem: poly 0x1021, init 0), as ccTalk devices set to CRC use it. */
export function crc16(bytes: ArrayLike<number>): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) {
    crc ^= bytes[i]! << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

export interface FrameSpec {
  destination: number;
  source?: number;
  header: number;
  data?: ArrayLike<number>;
  mode?: ChecksumMode;
}

export function encodeFrame({
  destination,
  source = HOST_ADDRESS,
  header,
  data = [],
  mode = 'simple',
}: FrameSpec): Uint8Array {
  if (data.length > 252) throw new CcTalkError('malformed', `ccTalk data too long (${data.length} bytes)`);
  const out = new Uint8Array(data.length + 5);
  out[0] = destination;
  out[1] = data.length;
  out[2] = source;
  out[3] = header;
  out.set(Array.from(data), 4);
  if (mode === 'simple') {
    out[out.length - 1] = simpleChecksum(out.subarray(0, out.length - 1));
  } else {
    // CRC over destination, length, header and data; LSB goes where the source would be.
    const crc = crc16([out[0]!, out[1]!, ...Array.from(out.subarray(3, out.length - 1))]);
    out[2] = crc & 0xff;
    out[out.length - 1] = crc >> 8;
  }
  return out;
}

/** Length of the frame starting at bytes[0], or undefined while the length byte is not in yet. */
export function frameLength(bytes: ArrayLike<number>): number | undefined {
  return bytes.length < 2 ? undefined : bytes[1]! + 5;
}

export function checksumOk(frame: Uint8Array, mode: ChecksumMode): boolean {
  if (frame.length < 5 || frame.length !== frame[1]! + 5) return false;
  if (mode === 'simple') return simpleChecksum(frame) === 0;
  const crc = crc16([frame[0]!, frame[1]!, ...Array.from(frame.subarray(3, frame.length - 1))]);
  return (crc & 0xff) === frame[2] && crc >> 8 === frame[frame.length - 1];
}

/** Decodes one whole frame; throws a typed error (carrying the bytes) when it is not one. */
export function decodeFrame(frame: Uint8Array, mode: ChecksumMode = 'simple'): CcTalkFrame {
  if (frame.length < 5 || frame.length !== frame[1]! + 5) {
    throw new CcTalkError(
      'malformed',
      `not a ccTalk frame: ${frame.length} bytes, length byte ${frame[1] ?? '-'}`,
      frame,
    );
  }
  if (!checksumOk(frame, mode))
    throw new CcTalkError('checksum', `bad ${mode} checksum in frame ${hex(frame)}`, frame);
  return {
    destination: frame[0]!,
    source: mode === 'simple' ? frame[2]! : undefined,
    header: frame[3]!,
    data: frame.slice(4, frame.length - 1),
  };
}

export const hex = (b: ArrayLike<number>) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

/* ───────────── event counters ───────────── */

/**
 * New events between two counter readings. Counters run 1..255 and wrap to 1; 0 only after a
 * reset. A buffer holds 5 events, so more than 5 new ones means some were lost. A counter that
 * went back by up to 5 is out of sequence (a stale or misdelivered reply), never new events.
 */
export type CounterDelta =
  | { kind: 'same' }
  | { kind: 'new'; count: number }
  | { kind: 'lost'; missed: number }
  | { kind: 'reset' }
  | { kind: 'backwards'; by: number };

export function counterDelta(previous: number, next: number): CounterDelta {
  if (next === 0) return previous === 0 ? { kind: 'same' } : { kind: 'reset' };
  if (previous === 0) return next <= 5 ? { kind: 'new', count: next } : { kind: 'lost', missed: next - 5 };
  const count = (((next - previous) % 255) + 255) % 255;
  if (count === 0) return { kind: 'same' };
  if (count >= 250) return { kind: 'backwards', by: 255 - count };
  return count <= 5 ? { kind: 'new', count } : { kind: 'lost', missed: count - 5 };
}

/** The counter value after `n` more events (1..255 wrapping to 1). */
export const advanceCounter = (counter: number, n = 1) => ((((counter - 1 + n) % 255) + 255) % 255) + 1;

/** Reply of 229 / 159: a counter then 5 (A, B) pairs, newest first. */
export function decodeEventBuffer(data: Uint8Array): { counter: number; pairs: Array<[number, number]> } {
  if (data.length !== 11)
    throw new CcTalkError('malformed', `event buffer reply must be 11 bytes, got ${data.length}`, data);
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < 5; i++) pairs.push([data[1 + 2 * i]!, data[2 + 2 * i]!]);
  return { counter: data[0]!, pairs };
}

/** Coin acceptor error codes (result A = 0) a kiosk cares about, by what they mean for the host. */
const COIN_FRAUD = new Set([17, 20, 25]); // coin going backwards, C.O.S. (coin on string), reject slug
const COIN_JAM = new Set([14, 15]); // credit sensor blocked, sorter opto blocked
const COIN_REJECT_REASON: Record<number, string> = {
  1: 'rejectCoin',
  2: 'inhibitedCoin',
  5: 'validationTimeout',
};

/** Turns the newest `count` pairs of a 229 reply into events, oldest first. */
export function coinEvents(
  pairs: Array<[number, number]>,
  count: number,
  channelYen: (channel: number) => number | undefined,
): AcceptorEvent[] {
  const out: AcceptorEvent[] = [];
  for (const [a, b] of pairs.slice(0, count).reverse()) {
    if (a > 0) {
      const yen = channelYen(a);
      out.push(
        yen === undefined
          ? { type: 'rejected', device: 'coin', reason: `unknownChannel${a}` }
          : { type: 'credited', device: 'coin', yen, channel: a },
      );
    } else if (b === 0) continue;
    else if (COIN_FRAUD.has(b)) out.push({ type: 'fraud', device: 'coin', reason: `error${b}` });
    else if (COIN_JAM.has(b)) out.push({ type: 'jam', device: 'coin', reason: `error${b}` });
    else if (b >= 128 && b <= 159) {
      // Inhibited coin type 1–32: the device names the coin it handed back.
      const yen = channelYen(b - 127);
      out.push({ type: 'rejected', device: 'coin', reason: 'inhibitedCoin', ...(yen ? { yen } : {}) });
    } else out.push({ type: 'rejected', device: 'coin', reason: COIN_REJECT_REASON[b] ?? `error${b}` });
  }
  return out;
}

/** Bill validator status codes (result A = 0). */
export const BillStatus = {
  masterInhibit: 0,
  returnedFromEscrow: 1,
  invalidValidation: 2,
  invalidTransport: 3,
  inhibitedSerial: 4,
  inhibitedDip: 5,
  jamUnsafe: 6,
  jamStacker: 7,
  pulledBackwards: 8,
  tamper: 9,
  stackerOk: 10,
  stackerRemoved: 11,
  stackerInserted: 12,
  stackerFaulty: 13,
  stackerFull: 14,
  stackerJammed: 15,
  jamSafe: 16,
  optoFraud: 17,
  stringFraud: 18,
} as const;

/** Turns the newest `count` pairs of a 159 reply into events, oldest first. B: 0 stacked, 1 escrow. */
export function billEvents(
  pairs: Array<[number, number]>,
  count: number,
  channelYen: (channel: number) => number | undefined,
): AcceptorEvent[] {
  const out: AcceptorEvent[] = [];
  for (const [a, b] of pairs.slice(0, count).reverse()) {
    if (a > 0) {
      const yen = channelYen(a);
      if (yen === undefined) out.push({ type: 'rejected', device: 'bill', reason: `unknownChannel${a}` });
      else
        out.push(
          b === 1
            ? { type: 'escrowed', device: 'bill', yen, channel: a }
            : { type: 'stacked', device: 'bill', yen, channel: a },
        );
      continue;
    }
    switch (b) {
      case BillStatus.returnedFromEscrow:
        out.push({ type: 'returned', device: 'bill', yen: null });
        break;
      case BillStatus.jamUnsafe:
      case BillStatus.jamStacker:
      case BillStatus.stackerJammed:
      case BillStatus.jamSafe:
        out.push({ type: 'jam', device: 'bill', reason: `status${b}` });
        break;
      case BillStatus.pulledBackwards:
      case BillStatus.tamper:
      case BillStatus.optoFraud:
      case BillStatus.stringFraud:
        out.push({ type: 'fraud', device: 'bill', reason: `status${b}` });
        break;
      case BillStatus.stackerFull:
        out.push({ type: 'cashBoxFull', device: 'bill' });
        break;
      case BillStatus.stackerOk:
      case BillStatus.stackerInserted:
        out.push({ type: 'cashBoxOk', device: 'bill' });
        break;
      case BillStatus.masterInhibit:
        break;
      default:
        out.push({ type: 'rejected', device: 'bill', reason: `status${b}` });
    }
  }
  return out;
}

/** Inhibit mask (2 bytes, bit n-1 = channel n enabled) from the enabled channels. */
export function inhibitMask(channels: readonly number[]): [number, number] {
  let m = 0;
  for (const c of channels) if (c >= 1 && c <= 16) m |= 1 << (c - 1);
  return [m & 0xff, m >> 8];
}
export const channelsFromMask = (lo: number, hi: number) =>
  Array.from({ length: 16 }, (_, i) => i + 1).filter((c) => ((lo | (hi << 8)) >> (c - 1)) & 1);

/** 166 reply: event counter, coins still to pay in this dispense, paid, unpaid. */
export function decodeHopperStatus(data: Uint8Array): {
  counter: number;
  remaining: number;
  paid: number;
  unpaid: number;
} {
  if (data.length !== 4)
    throw new CcTalkError('malformed', `hopper status reply must be 4 bytes, got ${data.length}`, data);
  return { counter: data[0]!, remaining: data[1]!, paid: data[2]!, unpaid: data[3]! };
}

/**
 * 217 reply: bit 0 = at or below the low-level trigger, bit 1 = at or above the high-level trigger,
 * bit 4 / bit 5 = the low / high sensor is fitted. A sensor that is not fitted says nothing.
 */
export function decodeLevelStatus(b: number): {
  low: boolean;
  high: boolean;
  lowFitted: boolean;
  highFitted: boolean;
} {
  const lowFitted = (b & 0x10) !== 0;
  const highFitted = (b & 0x20) !== 0;
  return { low: lowFitted && (b & 1) === 1, high: highFitted && (b & 2) === 2, lowFitted, highFitted };
}

/** 163 (test hopper) fault flags, register 1 then 2 (and 3 on newer hoppers). */
export const HopperFlag = {
  maxCurrentExceeded: 1 << 0,
  payoutTimeout: 1 << 1,
  motorReversed: 1 << 2,
  optoBlockedIdle: 1 << 3,
  optoShortIdle: 1 << 4,
  optoBlockedPayout: 1 << 5,
  powerUp: 1 << 6,
  payoutDisabled: 1 << 7,
  /* register 2, shifted by 8 */
  optoShortPayout: 1 << 8,
  singleCoinMode: 1 << 9,
  checksumErrors: 0b1111 << 10,
  nvPowerFail: 1 << 14,
  /* register 3, shifted by 16 */
  powerDownDuringPayout: 1 << 16,
} as const;

/** What a hopper's 163 flags say about it, for the host: which problem, if any, stops payouts. */
export type HopperCondition = 'ok' | 'disabled' | 'empty' | 'jammed' | 'fault';

export interface HopperTest {
  flags: number;
  condition: HopperCondition;
}

/**
 * Reads a 163 reply (1 to 3 register bytes). A payout that timed out with nothing blocking the exit
 * opto is a hopper that ran dry; a blocked opto, an over-current or a motor reversal is a jam; fraud
 * or memory flags are a fault; with none of those, "payout disabled" just means not enabled (164).
 */
export function decodeHopperTest(data: Uint8Array): HopperTest {
  if (data.length < 1 || data.length > 3)
    throw new CcTalkError('malformed', `test hopper reply must be 1 to 3 bytes, got ${data.length}`, data);
  const flags = (data[0] ?? 0) | ((data[1] ?? 0) << 8) | ((data[2] ?? 0) << 16);
  const has = (f: number) => (flags & f) !== 0;
  let condition: HopperCondition = 'ok';
  if (
    has(HopperFlag.optoBlockedPayout) ||
    has(HopperFlag.maxCurrentExceeded) ||
    has(HopperFlag.motorReversed)
  )
    condition = 'jammed';
  else if (
    has(HopperFlag.optoBlockedIdle) ||
    has(HopperFlag.optoShortIdle) ||
    has(HopperFlag.optoShortPayout) ||
    has(HopperFlag.checksumErrors) ||
    has(HopperFlag.nvPowerFail)
  )
    condition = 'fault';
  else if (has(HopperFlag.payoutTimeout)) condition = 'empty';
  else if (has(HopperFlag.payoutDisabled)) condition = 'disabled';
  return { flags, condition };
}

/** 152 reply / 153 data: bit 0 = use the stacker, bit 1 = use escrow. */
export const BillMode = {
  encode: (m: { stacker: boolean; escrow: boolean }) => (m.stacker ? 1 : 0) | (m.escrow ? 2 : 0),
  decode(data: Uint8Array): { stacker: boolean; escrow: boolean } {
    if (data.length !== 1)
      throw new CcTalkError(
        'malformed',
        `bill operating mode reply must be 1 byte, got ${data.length}`,
        data,
      );
    return { stacker: (data[0]! & 1) === 1, escrow: (data[0]! & 2) === 2 };
  },
};

/** Route codes of 154: return, stack, or keep holding (extend the escrow timeout). */
export const RouteCode = { return: 0, stack: 1, hold: 255 } as const;

/** Route-bill reply: empty ACK = done, else one error byte (254 escrow empty, 255 failed to route). */
export function decodeRouteReply(
  data: Uint8Array,
): { ok: true } | { ok: false; reason: 'escrowEmpty' | 'failedToRoute' } {
  if (data.length === 0) return { ok: true };
  if (data.length !== 1 || (data[0] !== 254 && data[0] !== 255))
    throw new CcTalkError(
      'malformed',
      `route bill reply must be empty or one error byte 254/255, got ${hex(data)}`,
      data,
    );
  return { ok: false, reason: data[0] === 254 ? 'escrowEmpty' : 'failedToRoute' };
}

/** Japanese denominations by channel, as the simulators and the default device programming have them. */
export const COIN_CHANNELS: Record<number, number> = { 1: 10, 2: 50, 3: 100, 4: 500 };
export const BILL_CHANNELS: Record<number, number> = { 1: 1000, 2: 2000, 3: 5000, 4: 10000 };
export const channelOf = (table: Record<number, number>, yen: number) => {
  const hit = Object.entries(table).find(([, v]) => v === yen);
  return hit ? Number(hit[0]) : undefined;
};
