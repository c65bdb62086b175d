// The ISO 7816-4 base operations over a one-method transport: GET RESPONSE on 61xx, re-issue on
// 6Cxx, status checked after every transmit with a context label, whole-EF reads: in one extended
// READ BINARY when the card takes extended Le, else in short chunks.
import { encodeCommand, parseResponse, derTotalLength, type CommandApdu, type ResponseApdu } from './apdu.js';
import { CardStatusError, MalformedResponseError } from './errors.js';
import type { CardTransport } from './interface.js';
import { INS } from './jpki-constants.js';
import { statusMeaning } from './status-words.js';

/** An APDU counter the bench and tests read; every transmit goes through here. */
export interface ApduTrace {
  apdus: number;
}

/** Wrong length: what a card without extended length fields answers to an extended Le. */
const SW_WRONG_LENGTH = 0x6700;

export class Iso7816 {
  readonly trace: ApduTrace = { apdus: 0 };
  /**
   * Whether READ BINARY may use extended Le: true or false once known (from the ATR, or from the
   * card's answer to a first try), null while unknown. Learnt per card session, never kept beyond it.
   */
  extendedLength: boolean | null;

  constructor(
    readonly transport: CardTransport,
    opts: { extendedLength?: boolean | null } = {},
  ) {
    this.extendedLength = opts.extendedLength === undefined ? false : opts.extendedLength;
  }

  private async raw(cmd: CommandApdu, context: string): Promise<ResponseApdu> {
    this.trace.apdus++;
    return parseResponse(await this.transport.transmit(encodeCommand(cmd)), context);
  }

  /** Sends a command, following 61xx with GET RESPONSE and 6Cxx with a re-issue. SW not checked. */
  async transceive(cmd: CommandApdu, context: string): Promise<ResponseApdu> {
    let res = await this.raw(cmd, context);
    if (res.sw >> 8 === 0x6c) res = await this.raw({ ...cmd, le: statusMeaning(res.sw).value! }, context);
    const chunks: Uint8Array[] = [res.data];
    let total = res.data.length;
    for (let guard = 0; res.sw >> 8 === 0x61; guard++) {
      if (guard > 256) throw new MalformedResponseError(context, 'endless 61xx chain');
      res = await this.raw(
        { cla: 0x00, ins: INS.getResponse, p1: 0, p2: 0, le: statusMeaning(res.sw).value! },
        `${context} (get response)`,
      );
      chunks.push(res.data);
      total += res.data.length;
    }
    if (chunks.length === 1) return res;
    const data = new Uint8Array(total);
    let o = 0;
    for (const c of chunks) {
      data.set(c, o);
      o += c.length;
    }
    return { data, sw: res.sw };
  }

  /** Like transceive, but a non-success status word throws CardStatusError. */
  async command(cmd: CommandApdu, context: string): Promise<ResponseApdu> {
    const res = await this.transceive(cmd, context);
    const meaning = statusMeaning(res.sw);
    if (!meaning.success) throw new CardStatusError(res.sw, meaning, context);
    return res;
  }

  selectAid(aid: Uint8Array, context = 'select application'): Promise<ResponseApdu> {
    return this.command({ cla: 0x00, ins: INS.select, p1: 0x04, p2: 0x0c, data: aid }, context);
  }

  selectEf(fid: number, context = `select EF ${fid.toString(16).padStart(4, '0')}`): Promise<ResponseApdu> {
    return this.command(
      { cla: 0x00, ins: INS.select, p1: 0x02, p2: 0x0c, data: Uint8Array.of(fid >> 8, fid & 0xff) },
      context,
    );
  }

  async readBinary(
    offset: number,
    le: number,
    context: string,
  ): Promise<{ data: Uint8Array; endOfFile: boolean }> {
    if (offset < 0 || offset > 0x7fff) throw new RangeError(`READ BINARY offset ${offset} out of range`);
    const res = await this.command(
      { cla: 0x00, ins: INS.readBinary, p1: offset >> 8, p2: offset & 0xff, le },
      context,
    );
    if (res.data.length > le)
      throw new MalformedResponseError(context, `asked ${le} bytes, got ${res.data.length}`);
    return { data: res.data, endOfFile: res.sw === 0x6282 };
  }

  /**
   * Reads the selected EF: a fixed size, or a DER element sized from its header. Where extended Le
   * may be used, one READ BINARY asks for up to maxSize bytes and the card answers what the EF holds
   * (6282 when that is less); a card that answers 6700 is read again in short chunks, and is not
   * asked for extended Le again. Short chunks: the first takes a full chunk (the header comes with
   * it), the rest are exact, so a 1 KB certificate costs 4 READ BINARY with 256-byte chunks.
   */
  async readEf(opts: {
    size?: number;
    chunk?: number;
    context: string;
    maxSize?: number;
  }): Promise<Uint8Array> {
    const maxSize = opts.maxSize ?? 0x7fff;
    const want = opts.size ?? maxSize;
    if (this.extendedLength !== false && want > 256) {
      try {
        const { data, endOfFile } = await this.readBinary(0, want, opts.context);
        this.extendedLength = true;
        return await this.wholeElement(data, endOfFile, opts);
      } catch (e) {
        if (!(e instanceof CardStatusError) || e.sw !== SW_WRONG_LENGTH) throw e;
        this.extendedLength = false;
      }
    }
    return this.readInChunks(opts);
  }

  /** The element from one answer that held the EF from offset 0; short answers go on in chunks. */
  private async wholeElement(
    data: Uint8Array,
    endOfFile: boolean,
    opts: { size?: number; chunk?: number; context: string; maxSize?: number },
  ): Promise<Uint8Array> {
    const size = opts.size ?? derTotalLength(data, opts.context);
    if (endOfFile && (size === null || data.length < size))
      throw new MalformedResponseError(
        opts.context,
        `EF ended after ${data.length} bytes${size === null ? '' : `, expected ${size}`}`,
      );
    if (size !== null && size > (opts.maxSize ?? 0x7fff))
      throw new MalformedResponseError(opts.context, `DER element of ${size} bytes exceeds ${opts.maxSize}`);
    if (size !== null && data.length >= size) return data.slice(0, size);
    // The card gave less than it holds (a reader or card limit below what was asked): go on in chunks.
    return this.readInChunks(opts, Array.from(data));
  }

  private async readInChunks(
    opts: { size?: number; chunk?: number; context: string; maxSize?: number },
    start: number[] = [],
  ): Promise<Uint8Array> {
    const chunk = opts.chunk ?? 256;
    const maxSize = opts.maxSize ?? 0x7fff;
    let size = opts.size ?? (start.length ? derTotalLength(Uint8Array.from(start), opts.context) : null);
    const buf: number[] = start;
    while (size === null || buf.length < size) {
      const want = size === null ? chunk : Math.min(chunk, size - buf.length);
      const { data, endOfFile } = await this.readBinary(buf.length, want, opts.context);
      buf.push(...data);
      if (size === null) {
        size = derTotalLength(Uint8Array.from(buf), opts.context);
        if (size !== null && size > maxSize)
          throw new MalformedResponseError(opts.context, `DER element of ${size} bytes exceeds ${maxSize}`);
      }
      if (data.length === 0 || endOfFile) break;
    }
    if (size === null || buf.length < size)
      throw new MalformedResponseError(
        opts.context,
        `EF ended after ${buf.length} bytes${size === null ? '' : `, expected ${size}`}`,
      );
    return Uint8Array.from(buf.slice(0, size));
  }
}
