// PC/SC reader driver over the `pcsclite` npm package. The package is the transport: the driver
// takes its factory and fails fast without one, so tests can hand in a fake. Readers come and go
// while running (pcsclite rescans); card presence follows the reader's status events.
import { EventEmitter } from 'node:events';
import { CardError } from './errors.js';
import type { CardConnection, CardReaderDriver, ReaderEvent } from './interface.js';

/** The parts of pcsclite's CardReader the driver uses (its typings do not export them). */
export interface PcscReader extends EventEmitter {
  name: string;
  SCARD_SHARE_SHARED: number;
  SCARD_STATE_PRESENT: number;
  SCARD_STATE_MUTE: number;
  SCARD_RESET_CARD: number;
  SCARD_LEAVE_CARD: number;
  connect(
    options: { share_mode?: number; protocol?: number },
    cb: (err: unknown, protocol: number) => void,
  ): void;
  disconnect(disposition: number, cb: (err: unknown) => void): void;
  transmit(
    data: Buffer,
    resLen: number,
    protocol: number,
    cb: (err: unknown, response: Buffer) => void,
  ): void;
  get_status(cb: (err: unknown, state: number, atr?: Buffer) => void): void;
  close(): void;
}
export interface PcscContext extends EventEmitter {
  close(): void;
}
export type PcscFactory = () => PcscContext;

/** PC/SC return codes that mean the card is gone (pcsclite only reports them inside the message). */
const REMOVED_CODES = ['0x80100069', '0x8010000C', '0x80100066', '0x80100067'];
const NO_READER_CODES = ['0x80100009', '0x80100017', '0x8010002E'];
const NO_SERVICE_CODES = ['0x8010001D', '0x8010001E'];

function codeIn(e: unknown, codes: string[]): boolean {
  const msg = String((e as { message?: unknown })?.message ?? e).toUpperCase();
  return codes.some((c) => msg.includes(c.toUpperCase()));
}

export interface PcscDriverOptions {
  pcsc: PcscFactory;
  /** Response buffer size handed to SCardTransmit (extended APDUs need up to 65538). */
  maxResponse?: number;
}

export class PcscDriver implements CardReaderDriver {
  private readonly ctx: PcscContext;
  private readonly readerMap = new Map<string, { reader: PcscReader; present: boolean; atr: Uint8Array }>();
  private readonly listeners = new Set<(e: ReaderEvent) => void>();
  private readonly errorListeners = new Set<(e: CardError) => void>();
  private readonly maxResponse: number;

  constructor(opts: PcscDriverOptions) {
    if (typeof opts?.pcsc !== 'function')
      throw new CardError(
        'transport',
        'PcscDriver needs the pcsclite factory (import pcsclite from "pcsclite")',
      );
    this.maxResponse = opts.maxResponse ?? 65538;
    this.ctx = opts.pcsc();
    this.ctx.on('error', (e: unknown) => this.fail(e));
    this.ctx.on('reader', (r: PcscReader) => this.attach(r));
  }

  private closed = false;

  private fail(e: unknown): void {
    if (this.closed) return; // pcsclite reports the cancelled status wait after close()
    const err = codeIn(e, NO_SERVICE_CODES)
      ? new CardError('noReader', `PC/SC service not available (is pcscd running?): ${String(e)}`, {
          cause: e,
        })
      : new CardError('transport', `PC/SC: ${String(e)}`, { cause: e });
    for (const l of [...this.errorListeners]) l(err);
  }

  private emit(e: ReaderEvent): void {
    for (const l of [...this.listeners]) l(e);
  }

  private attach(reader: PcscReader): void {
    const entry = { reader, present: false, atr: new Uint8Array(0) };
    this.readerMap.set(reader.name, entry);
    this.emit({ type: 'readerAttached', reader: reader.name });
    reader.on('error', (e: unknown) => this.fail(e));
    reader.on('status', (status: { state: number; atr?: Buffer }) => {
      const present =
        (status.state & reader.SCARD_STATE_PRESENT) !== 0 && (status.state & reader.SCARD_STATE_MUTE) === 0;
      if (present === entry.present) return;
      entry.present = present;
      if (present) {
        entry.atr = new Uint8Array(status.atr ?? []);
        this.emit({ type: 'cardInserted', reader: reader.name, atr: entry.atr });
      } else {
        this.emit({ type: 'cardRemoved', reader: reader.name });
      }
    });
    reader.on('end', () => {
      if (this.readerMap.get(reader.name)?.reader !== reader) return;
      if (entry.present) {
        entry.present = false;
        this.emit({ type: 'cardRemoved', reader: reader.name });
      }
      this.readerMap.delete(reader.name);
      this.emit({ type: 'readerDetached', reader: reader.name });
    });
  }

  onError(listener: (e: CardError) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  readers(): string[] {
    return [...this.readerMap.keys()];
  }

  cardPresent(reader: string): boolean {
    return this.readerMap.get(reader)?.present ?? false;
  }

  onEvent(listener: (e: ReaderEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private mapError(e: unknown, what: string, reader: string): CardError {
    if (e instanceof CardError) return e;
    if (codeIn(e, REMOVED_CODES))
      return new CardError('removed', `${what}: card removed from ${reader}`, { cause: e });
    if (codeIn(e, NO_READER_CODES))
      return new CardError('noReader', `${what}: reader ${reader} unavailable`, { cause: e });
    if (!this.cardPresent(reader))
      return new CardError('removed', `${what}: card no longer in ${reader}`, { cause: e });
    return new CardError('transport', `${what} on ${reader}: ${String((e as Error)?.message ?? e)}`, {
      cause: e,
    });
  }

  /**
   * Waits up to `ms` for the reader's status events to report the card absent. (pcsclite's
   * get_status starts a second monitoring thread that makes close() hang: never call it again.)
   */
  private async cardGone(name: string, ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    while (this.cardPresent(name)) {
      if (Date.now() > end) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  }

  async connect(name: string): Promise<CardConnection> {
    const entry = this.readerMap.get(name);
    if (!entry) throw new CardError('noReader', `no reader "${name}"`);
    const { reader } = entry;
    const protocol = await new Promise<number>((resolve, reject) => {
      reader.connect({ share_mode: reader.SCARD_SHARE_SHARED }, (err, p) =>
        err ? reject(this.mapError(err, 'connect', name)) : resolve(p),
      );
    });
    let connected = true;
    const transmit = (command: Uint8Array) =>
      new Promise<Uint8Array>((resolve, reject) => {
        if (!connected) return reject(new CardError('transport', 'connection closed'));
        reader.transmit(Buffer.from(command), this.maxResponse, protocol, (err, res) => {
          if (err) return reject(this.mapError(err, 'transmit', name));
          if (res.length >= 2) return resolve(new Uint8Array(res));
          // pcscd hands back an empty response when the card vanishes mid-command (vpcd does
          // this): confirm with the reader's state before calling it a removal.
          this.cardGone(name, 1000).then((gone) =>
            gone
              ? reject(new CardError('removed', `transmit: card removed from ${name}`))
              : resolve(new Uint8Array(res)),
          );
        });
      });
    const disconnect = (disposition: number) =>
      new Promise<void>((resolve) => {
        if (!connected) return resolve();
        connected = false;
        // Errors on disconnect (card already gone) change nothing for the caller.
        reader.disconnect(disposition, () => resolve());
      });
    return {
      reader: name,
      atr: entry.atr,
      transmit,
      reset: async () => {
        // pcsclite has no SCardReconnect: disconnect with a reset, then connect again.
        await disconnect(reader.SCARD_RESET_CARD);
        await new Promise<void>((resolve, reject) =>
          reader.connect({ share_mode: reader.SCARD_SHARE_SHARED }, (err) =>
            err ? reject(this.mapError(err, 'reconnect', name)) : resolve(),
          ),
        );
        connected = true;
        return entry.atr;
      },
      // Reset on the way out so no verified PIN outlives the session in the card; a session that
      // sent no PIN leaves the card as it is (a reset costs the reader a power cycle).
      disconnect: (o) => disconnect(o?.reset === false ? reader.SCARD_LEAVE_CARD : reader.SCARD_RESET_CARD),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { reader } of this.readerMap.values()) {
      reader.removeAllListeners('status');
      reader.close();
    }
    this.readerMap.clear();
    this.ctx.close();
    this.listeners.clear();
  }
}
