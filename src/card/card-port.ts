// The CardPort the transaction engine calls, over either reader driver (PC/SC or the in-process
// simulator). It picks the reader by the configured name pattern, keeps one card session per
// insertion, runs operations one at a time, and turns a removal at any moment into a cardRemoved
// event plus a CardError('removed') rejection of whatever was pending.
import { errorSummary } from '../privacy/policy.js';
import { X509Certificate } from 'node:crypto';
import type { Logger } from 'pino';
import { deviceError, type DeviceError, type DeviceStatus } from '../../drivers/common/status.js';
import { CardError, CardStatusError, MalformedResponseError } from '../../drivers/card/errors.js';
import type { CardConnection, CardReaderDriver, ReaderEvent } from '../../drivers/card/interface.js';
import { InvalidPinFormatError, JpkiClient, type BasicInfo } from '../../drivers/card/jpki-client.js';
import { TOKEN_RULES } from '../../drivers/card/jpki-constants.js';
import type { CardConfig } from '../config/sections/card.js';
import type { CardEvent, CardPort, CardType, PinResult, TokenIdentity } from '../core/ports.js';

/** What `madoguchi card info` and the technician console show; never spends a PIN try. */
export interface CardInfoReport {
  reader: string;
  atrHex: string;
  cardType: CardType;
  token: string;
  form: 'card' | 'phone' | 'unknown';
  /** False on a phone: its user-authentication certificate is released only after the PIN. */
  certificateReadable: boolean;
  subject: string | null;
  issuer: string | null;
  serialHex: string | null;
  validFrom: string | null;
  validTo: string | null;
  expired: boolean;
  /** The certificate names the technician role (OU=technician). */
  technician: boolean;
  authPinTriesLeft: number;
  apdus: number;
}

export interface MadoguchiCardPort extends CardPort {
  cardInfo(): Promise<CardInfoReport>;
  /** Technician's card test: the card-info AP's basic four items (spends a card-info PIN try if wrong). */
  readBasicInfo(pin: string): Promise<{ pin: PinResult; info?: BasicInfo }>;
  /** End the card session (the card is reset so no verified PIN outlives the transaction). */
  endSession(): Promise<void>;
  /** The reader in use, if one matches the pattern. */
  readerName(): string | null;
  /** APDUs sent since the port was created (bench, diagnostics). */
  apduCount(): number;
}

export interface CardPortDeps {
  driver: CardReaderDriver;
  log: Logger;
  /** Close the driver with the port (default true). */
  ownsDriver?: boolean;
}

/** Maps the APDU layer's errors to the engine's CardError kinds (never by message text). */
export function toCardError(e: unknown, context: string): CardError {
  if (e instanceof CardError) return e;
  if (e instanceof CardStatusError) {
    const r = e.meaning.reason;
    if (r === 'securityStatus') return new CardError('securityStatus', e.message, { cause: e });
    if (
      (r === 'fileNotFound' || r === 'insNotSupported' || r === 'claNotSupported') &&
      /select JPKI AP|select card-info AP/.test(e.context)
    )
      return new CardError('unsupportedCard', e.message, { cause: e });
    return new CardError('protocol', e.message, { cause: e });
  }
  if (e instanceof MalformedResponseError) return new CardError('protocol', e.message, { cause: e });
  if (e instanceof InvalidPinFormatError) return new CardError('protocol', e.message, { cause: e });
  return new CardError('transport', `${context}: ${String((e as Error)?.message ?? e)}`, { cause: e });
}

/** The token kind from EF 0006; anything but a JPKI card or phone token is refused by name. */
async function knownToken(c: JpkiClient): Promise<Exclude<CardType, 'unknown'>> {
  const { cardType, token } = await c.cardType();
  if (cardType === 'unknown')
    throw new CardError('unsupportedCard', `EF 0006 names an unknown JPKI token "${token || '(empty)'}"`);
  return cardType;
}

function identity(cardType: Exclude<CardType, 'unknown'>): TokenIdentity {
  const rules = TOKEN_RULES[cardType];
  return { cardType, form: rules.form, certificateNeedsPin: rules.authCertNeedsPin };
}

interface Session {
  connection: CardConnection;
  client: JpkiClient;
}

export class CardPortAdapter implements MadoguchiCardPort {
  private readonly listeners = new Set<(e: CardEvent) => void>();
  private readonly patterns: RegExp[];
  private reader: string | null = null;
  private session: Promise<Session> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Rejecters of the operations in flight, called when the card leaves. */
  private readonly inFlight = new Set<(e: CardError) => void>();
  private lastError: DeviceError | null = null;
  private busy = false;
  private closed = false;
  private readonly counters = { apdus: 0, insertions: 0, removals: 0, errors: 0, signatures: 0 };
  private readonly unsubscribe: () => void;

  constructor(
    private readonly config: Pick<CardConfig, 'readerPattern' | 'timeoutMs' | 'readChunk'> &
      Partial<Pick<CardConfig, 'contactlessReaderPattern' | 'phone'>>,
    private readonly deps: CardPortDeps,
  ) {
    this.patterns = [config.readerPattern, config.contactlessReaderPattern]
      .filter((p): p is string => !!p)
      .map((p) => new RegExp(p));
    this.unsubscribe = deps.driver.onEvent((e) => this.onReaderEvent(e));
    this.pickReader();
  }

  private matches(reader: string): boolean {
    return this.patterns.some((p) => p.test(reader));
  }

  /** Keeps the current reader while it is attached; otherwise prefers a matching reader that holds a token. */
  private pickReader(): void {
    const attached = this.deps.driver.readers().filter((r) => this.matches(r));
    if (this.reader && attached.includes(this.reader)) return;
    this.reader = attached.find((r) => this.deps.driver.cardPresent(r)) ?? attached[0] ?? null;
  }

  private emit(e: CardEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        this.deps.log.error({ err: errorSummary(err) }, 'card event listener threw');
      }
    }
  }

  private onReaderEvent(e: ReaderEvent): void {
    if (!this.matches(e.reader)) return;
    switch (e.type) {
      case 'readerAttached':
        this.pickReader();
        this.deps.log.info({ reader: e.reader }, 'card reader attached');
        this.emit({ type: 'readerAttached', reader: e.reader });
        return;
      case 'readerDetached':
        if (e.reader === this.reader) this.cardGone('reader detached');
        this.emit({ type: 'readerDetached', reader: e.reader });
        this.reader = null;
        this.pickReader();
        return;
      case 'cardInserted':
        // A token held on the other reader (card slot or NFC pad) becomes the one in use when the current one is empty.
        if (e.reader !== this.reader) {
          if (this.reader && this.deps.driver.cardPresent(this.reader)) return;
          this.reader = e.reader;
        }
        this.counters.insertions++;
        this.emit({ type: 'cardInserted', reader: e.reader });
        return;
      case 'cardRemoved':
        if (e.reader !== this.reader) return;
        this.cardGone('card removed');
        this.emit({ type: 'cardRemoved', reader: e.reader });
        return;
    }
  }

  private cardGone(why: string): void {
    this.counters.removals++;
    const session = this.session;
    this.session = null;
    session?.then((s) => s.connection.disconnect()).catch(() => {});
    for (const reject of [...this.inFlight]) reject(new CardError('removed', why));
    this.inFlight.clear();
  }

  onEvent(listener: (e: CardEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  cardPresent(): boolean {
    return !!this.reader && this.deps.driver.cardPresent(this.reader);
  }

  readerName(): string | null {
    return this.reader;
  }

  apduCount(): number {
    return this.counters.apdus;
  }

  private async openSession(reader: string): Promise<Session> {
    const connection = await this.deps.driver.connect(reader);
    const timeoutMs = this.config.timeoutMs;
    // Every APDU gets the configured timeout: a mute card surfaces as CardError('timeout').
    const transport = {
      transmit: (command: Uint8Array) =>
        new Promise<Uint8Array>((resolve, reject) => {
          this.counters.apdus++;
          const timer = setTimeout(
            () => reject(new CardError('timeout', `no answer from the card within ${timeoutMs} ms`)),
            timeoutMs,
          );
          connection.transmit(command).then(
            (r) => {
              clearTimeout(timer);
              resolve(r);
            },
            (e: unknown) => {
              clearTimeout(timer);
              reject(e);
            },
          );
        }),
    };
    return {
      connection,
      client: new JpkiClient(transport, { chunk: this.config.readChunk, atr: connection.atr }),
    };
  }

  private currentSession(): Promise<Session> {
    if (!this.reader)
      throw new CardError(
        'noReader',
        `no card reader matches ${this.patterns.map((p) => `/${p.source}/`).join(' or ')}`,
      );
    if (!this.deps.driver.cardPresent(this.reader)) throw new CardError('removed', 'no card in the reader');
    if (!this.session) {
      const s = this.openSession(this.reader);
      this.session = s;
      s.catch(() => {
        if (this.session === s) this.session = null;
      });
    }
    return this.session;
  }

  /** Runs one operation at a time; a removal or a timeout rejects it at once. */
  private run<T>(what: string, op: (client: JpkiClient) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new CardError('transport', 'card port closed'));
    const task = async (): Promise<T> => {
      this.busy = true;
      let rejectRemoved!: (e: CardError) => void;
      const removed = new Promise<never>((_, reject) => (rejectRemoved = reject));
      this.inFlight.add(rejectRemoved);
      try {
        const body = (async () => op((await this.currentSession()).client))();
        body.catch(() => {}); // when the removal wins the race, the body's late failure is moot
        return await Promise.race([body, removed]);
      } catch (e) {
        const err = toCardError(e, what);
        this.counters.errors++;
        this.lastError = deviceError(err.kind, `${what}: ${err.message}`);
        if (err.kind !== 'removed')
          this.deps.log.warn({ kind: err.kind, op: what, msg: err.message }, 'card operation failed');
        // After a timeout or transport error the card state is unknown: start afresh next time.
        if (err.kind === 'timeout' || err.kind === 'transport' || err.kind === 'protocol') {
          const s = this.session;
          this.session = null;
          s?.then((x) => x.connection.disconnect()).catch(() => {});
        }
        throw err;
      } finally {
        this.inFlight.delete(rejectRemoved);
        this.busy = false;
      }
    };
    const p = this.queue.then(task, task);
    this.queue = p.catch(() => {});
    return p;
  }

  identifyToken(): Promise<TokenIdentity> {
    return this.run('identify token', async (c) => {
      const id = identity(await knownToken(c));
      if (id.form === 'phone' && this.config.phone?.enabled === false)
        throw new CardError(
          'unsupportedCard',
          'this kiosk is configured not to accept phone certificates (card.phone.enabled)',
        );
      return id;
    });
  }

  readAuthCertificate(): Promise<{ cardType: CardType; certificate: Uint8Array }> {
    return this.run('read auth certificate', async (c) => {
      const cardType = await knownToken(c);
      const certificate = await c.readAuthCertificate();
      return { cardType, certificate };
    });
  }

  authPinTriesLeft(): Promise<number> {
    return this.run('auth PIN tries', (c) => c.authPinTriesLeft());
  }

  verifyAuthPin(pin: string): Promise<PinResult> {
    return this.run('verify auth PIN', (c) => c.verifyAuthPin(pin));
  }

  signWithAuthKey(message: Uint8Array): Promise<Uint8Array> {
    return this.run('sign with auth key', async (c) => {
      const sig = await c.signWithAuthKey(message);
      this.counters.signatures++;
      return sig;
    });
  }

  cardInfo(): Promise<CardInfoReport> {
    return this.run('card info', async (c) => {
      const s = await this.currentSession();
      const before = c.apdus;
      const { cardType, token } = await c.cardType();
      const rules = cardType === 'unknown' ? null : TOKEN_RULES[cardType];
      // Never spend a try: a phone's certificate stays unread here.
      const readable = rules !== null && !rules.authCertNeedsPin;
      const cert = readable ? new X509Certificate(await c.readAuthCertificate()) : null;
      const tries = await c.authPinTriesLeft();
      return {
        reader: s.connection.reader,
        atrHex: Buffer.from(s.connection.atr).toString('hex').toUpperCase(),
        cardType,
        token,
        form: rules?.form ?? 'unknown',
        certificateReadable: readable,
        subject: cert ? cert.subject.replace(/\n/g, ', ') : null,
        issuer: cert ? cert.issuer.replace(/\n/g, ', ') : null,
        serialHex: cert ? cert.serialNumber : null,
        validFrom: cert ? new Date(cert.validFrom).toISOString() : null,
        validTo: cert ? new Date(cert.validTo).toISOString() : null,
        expired: cert ? new Date(cert.validTo).getTime() < Date.now() : false,
        technician: cert ? /(^|\n)OU=technician(\n|$)/.test(cert.subject) : false,
        authPinTriesLeft: tries,
        apdus: c.apdus - before,
      };
    });
  }

  readBasicInfo(pin: string): Promise<{ pin: PinResult; info?: BasicInfo }> {
    return this.run('read basic info', async (c) => {
      const r = await c.verifyCardInfoPin(pin);
      if (!r.ok) return { pin: r };
      return { pin: r, info: await c.readBasicInfo() };
    });
  }

  endSession(): Promise<void> {
    return this.run('end session', async () => {
      const s = this.session;
      this.session = null;
      if (!s) return;
      const { connection, client } = await s;
      await connection.disconnect({ reset: client.pinPresented });
    }).catch(() => {});
  }

  status(): DeviceStatus {
    const state: DeviceStatus['state'] = this.closed
      ? 'offline'
      : !this.reader
        ? 'noDevice'
        : this.busy
          ? 'busy'
          : 'online';
    return {
      id: 'cardReader',
      kind: 'cardReader',
      state,
      media: {
        card: this.cardPresent() ? 'present' : 'absent',
        ...(this.reader ? { reader: this.reader } : {}),
      },
      counters: { ...this.counters },
      lastError: this.lastError,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.endSession();
    this.closed = true;
    this.unsubscribe();
    for (const reject of [...this.inFlight]) reject(new CardError('transport', 'card port closed'));
    if (this.deps.ownsDriver !== false) await this.deps.driver.close();
  }
}
