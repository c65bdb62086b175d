// The host side of the shared ccTalk line: one request at a time (half-duplex), framing by
// @serialport/parser-cctalk, our own checksum check (the parser does none), the host's own echo
// skipped, typed errors, and retries only for requests that are safe to repeat.
import { CCTalkParser } from '@serialport/parser-cctalk';
import type { Logger } from 'pino';
import { CcTalkError } from './errors.js';
import type { ByteTransport, ChecksumMode } from './interface.js';
import { HOST_ADDRESS, Header, decodeFrame, encodeFrame, hex } from './protocol.js';

export interface CcTalkBusOptions {
  replyTimeoutMs: number;
  /** Checksum mode per device address. */
  checksumFor?: (address: number) => ChecksumMode;
  /** Extra attempts for idempotent requests after a timeout or a corrupted reply. */
  retries?: number;
  log?: Logger;
}

export interface RequestOptions {
  /** False for requests with side effects (dispense, route bill): never sent twice blindly. */
  idempotent?: boolean;
  /** Allowed reply data lengths: a reply of another shape is malformed (or meant for another request). */
  replyLength?: number | readonly number[];
}

export interface BusCounters {
  requests: number;
  timeouts: number;
  corrupted: number;
  retries: number;
}

export class CcTalkBus {
  private queue: Promise<unknown> = Promise.resolve();
  private parser: CCTalkParser | null = null;
  private closed = false;
  /** Set after a failed exchange: a late reply may still be on its way and must not be taken
   * for the answer to the next request (ccTalk has no sequence numbers). */
  private unsettled = false;
  private readonly unsubscribe: () => void;
  readonly counters: BusCounters = { requests: 0, timeouts: 0, corrupted: 0, retries: 0 };

  constructor(
    private readonly transport: ByteTransport,
    private readonly o: CcTalkBusOptions,
  ) {
    if (!transport)
      throw new CcTalkError('noTransport', 'CcTalkBus needs a transport (serial port, pty or in-memory)');
    this.unsubscribe = transport.onData((bytes) => this.parser?.write(Buffer.from(bytes)));
  }

  /** Sends one command and resolves with the reply's data bytes. */
  request(
    address: number,
    header: number,
    data: ArrayLike<number> = [],
    { idempotent = true, replyLength }: RequestOptions = {},
  ): Promise<Uint8Array> {
    const lengths =
      replyLength === undefined ? null : typeof replyLength === 'number' ? [replyLength] : replyLength;
    const run = async () => {
      const attempts = idempotent ? 1 + (this.o.retries ?? 2) : 1;
      let last: CcTalkError | undefined;
      for (let i = 0; i < attempts; i++) {
        if (i > 0) this.counters.retries++;
        try {
          const reply = await this.exchange(address, header, data);
          if (lengths && !lengths.includes(reply.length)) {
            this.unsettled = true;
            throw new CcTalkError(
              'malformed',
              `reply to header ${header} from ${address} has ${reply.length} data bytes, expected ${lengths.join(' or ')}`,
              reply,
            );
          }
          return reply;
        } catch (e) {
          if (!(e instanceof CcTalkError) || e.kind === 'nak' || e.kind === 'closed') throw e;
          last = e;
          this.o.log?.debug(
            { address, header, kind: e.kind, bytes: e.bytes && hex(e.bytes) },
            'ccTalk exchange failed',
          );
        }
      }
      throw last!;
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async exchange(address: number, header: number, data: ArrayLike<number>): Promise<Uint8Array> {
    if (this.closed) throw new CcTalkError('closed', 'ccTalk bus is closed');
    if (this.unsettled) {
      // Let the line go quiet; whatever arrives meanwhile has no parser and is dropped.
      this.parser = null;
      await new Promise((r) => setTimeout(r, this.o.replyTimeoutMs));
      this.unsettled = false;
    }
    try {
      return await this.once(address, header, data);
    } catch (e) {
      // A NAK is a whole, well-formed answer: nothing late can follow it.
      if (!(e instanceof CcTalkError && e.kind === 'nak')) this.unsettled = true;
      throw e;
    }
  }

  private once(address: number, header: number, data: ArrayLike<number>): Promise<Uint8Array> {
    const mode = this.o.checksumFor?.(address) ?? 'simple';
    const frame = encodeFrame({ destination: address, header, data, mode });
    this.counters.requests++;
    return new Promise<Uint8Array>((resolve, reject) => {
      // A fresh parser per exchange: in ccTalk nothing arrives unasked, so leftovers are garbage
      // and must not shift the framing of this reply.
      const parser = new CCTalkParser(50);
      this.parser = parser;
      const finish = (err: CcTalkError | null, reply?: Uint8Array) => {
        clearTimeout(timer);
        parser.removeAllListeners('data');
        if (this.parser === parser) this.parser = null;
        if (err) reject(err);
        else resolve(reply!);
      };
      const timer = setTimeout(() => {
        this.counters.timeouts++;
        finish(
          new CcTalkError(
            'timeout',
            `no reply from address ${address} to header ${header} within ${this.o.replyTimeoutMs} ms`,
          ),
        );
      }, this.o.replyTimeoutMs);
      parser.on('data', (buf: Buffer) => {
        const bytes = new Uint8Array(buf);
        // The host hears its own transmission on a shared line: skip frames not addressed to us.
        if (bytes[0] !== HOST_ADDRESS) return;
        try {
          const reply = decodeFrame(bytes, mode);
          if (reply.source !== undefined && reply.source !== address) {
            throw new CcTalkError(
              'unexpectedSource',
              `reply from ${reply.source}, expected ${address}`,
              bytes,
            );
          }
          if (reply.header === Header.nak)
            return finish(new CcTalkError('nak', `address ${address} NAKed header ${header}`, bytes));
          // A reply carries header 0; anything else (BUSY, a command heard from elsewhere) is not the answer.
          if (reply.header !== Header.reply)
            throw new CcTalkError(
              'unexpectedHeader',
              `reply to header ${header} from ${address} has header ${reply.header}`,
              bytes,
            );
          finish(null, reply.data);
        } catch (e) {
          this.counters.corrupted++;
          finish(e as CcTalkError);
        }
      });
      this.transport
        .write(frame)
        .catch((e: Error) => finish(new CcTalkError('closed', `write failed: ${e.message}`)));
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    await this.queue;
    await this.transport.close();
  }
}
