// ISO 7816-4 APDUs as pure functions over bytes: command encoding (cases 1–4, short and extended
// Lc/Le), response parsing, and the DER length header used to size certificate reads.
import { MalformedResponseError } from './errors.js';

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data?: Uint8Array;
  /** Expected response length: 1..256 short (256 encodes as 00), up to 65536 extended. */
  le?: number;
  /** Force extended length fields even when short ones would do. */
  extended?: boolean;
}

export interface ResponseApdu {
  data: Uint8Array;
  sw: number;
}

const byte = (n: number, what: string) => {
  if (!Number.isInteger(n) || n < 0 || n > 0xff) throw new RangeError(`${what} must be a byte, got ${n}`);
  return n;
};

export function encodeCommand(c: CommandApdu): Uint8Array {
  const header = [byte(c.cla, 'CLA'), byte(c.ins, 'INS'), byte(c.p1, 'P1'), byte(c.p2, 'P2')];
  const data = c.data ?? new Uint8Array(0);
  if (data.length > 65535) throw new RangeError(`command data too long (${data.length})`);
  if (c.le !== undefined && (!Number.isInteger(c.le) || c.le < 1 || c.le > 65536))
    throw new RangeError(`Le out of range (${c.le})`);
  const extended = c.extended || data.length > 255 || (c.le ?? 0) > 256;
  const out = [...header];
  if (!extended) {
    if (data.length) out.push(data.length, ...data);
    if (c.le !== undefined) out.push(c.le === 256 ? 0 : c.le);
    return Uint8Array.from(out);
  }
  if (data.length) out.push(0, data.length >> 8, data.length & 0xff, ...data);
  if (c.le !== undefined) {
    const le = c.le === 65536 ? 0 : c.le;
    if (!data.length) out.push(0);
    out.push(le >> 8, le & 0xff);
  }
  return Uint8Array.from(out);
}

/** Decodes a command APDU (the card side). Throws MalformedResponseError on inconsistent lengths. */
export function decodeCommand(bytes: Uint8Array): CommandApdu {
  const ctx = 'command APDU';
  if (bytes.length < 4) throw new MalformedResponseError(ctx, `${bytes.length} bytes, need at least 4`);
  const [cla, ins, p1, p2] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  const body = bytes.subarray(4);
  if (body.length === 0) return { cla, ins, p1, p2 };
  if (body.length === 1) return { cla, ins, p1, p2, le: body[0] === 0 ? 256 : body[0]! };
  if (body[0] !== 0) {
    const lc = body[0]!;
    if (body.length === 1 + lc) return { cla, ins, p1, p2, data: body.slice(1) };
    if (body.length === 2 + lc)
      return { cla, ins, p1, p2, data: body.slice(1, 1 + lc), le: body[1 + lc] === 0 ? 256 : body[1 + lc]! };
    throw new MalformedResponseError(ctx, `Lc ${lc} does not match ${body.length - 1} bytes`);
  }
  // extended: 00 then two-byte Lc or Le
  if (body.length === 3) {
    const le = (body[1]! << 8) | body[2]!;
    return { cla, ins, p1, p2, le: le === 0 ? 65536 : le, extended: true };
  }
  const lc = (body[1]! << 8) | body[2]!;
  if (lc === 0) throw new MalformedResponseError(ctx, 'extended Lc of 0');
  if (body.length === 3 + lc) return { cla, ins, p1, p2, data: body.slice(3, 3 + lc), extended: true };
  if (body.length === 5 + lc) {
    const le = (body[3 + lc]! << 8) | body[4 + lc]!;
    return { cla, ins, p1, p2, data: body.slice(3, 3 + lc), le: le === 0 ? 65536 : le, extended: true };
  }
  throw new MalformedResponseError(ctx, `extended Lc ${lc} does not match ${body.length - 3} bytes`);
}

export function parseResponse(bytes: Uint8Array, context = 'response'): ResponseApdu {
  if (bytes.length < 2)
    throw new MalformedResponseError(context, `${bytes.length} bytes, a response needs a status word`);
  const n = bytes.length;
  return { data: bytes.slice(0, n - 2), sw: (bytes[n - 2]! << 8) | bytes[n - 1]! };
}

export function encodeResponse(data: Uint8Array | number[], sw: number): Uint8Array {
  return Uint8Array.from([...data, sw >> 8, sw & 0xff]);
}

/**
 * Total size of a DER element from its first bytes (tag + length), e.g. a certificate's
 * `30 82 LL LL` gives LLLL + 4. Returns null when more bytes are needed.
 */
export function derTotalLength(head: Uint8Array, context = 'DER header'): number | null {
  if (head.length < 2) return null;
  let i = 1;
  if ((head[0]! & 0x1f) === 0x1f) {
    // multi-byte tag (e.g. FF 20 of the card-info AP)
    while (i < head.length && head[i]! & 0x80) i++;
    i++;
    if (i > 4) throw new MalformedResponseError(context, 'tag too long');
    if (head.length <= i) return null;
  }
  const first = head[i]!;
  if (first < 0x80) return i + 1 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 3)
    throw new MalformedResponseError(context, `unsupported length form 0x${first.toString(16)}`);
  if (head.length < i + 1 + n) return null;
  let len = 0;
  for (let k = 0; k < n; k++) len = len * 256 + head[i + 1 + k]!;
  return i + 1 + n + len;
}
