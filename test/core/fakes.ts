// In-memory fakes of every port, for running the transaction machine against a fake context.
import type { DeviceStatus } from '../../drivers/common/status.js';
import type {
  AuthenticatedResident,
  CardEvent,
  CertificateStatus,
  CardPort,
  CardType,
  CashPort,
  CertificatePrinterPort,
  Denomination,
  IssuedDocument,
  PaymentEvent,
  PaymentSessionPort,
  PayoutResult,
  ReceiptPrinterPort,
  RegistryPort,
} from '../../src/core/ports.js';
import type { CashJournal } from '../../src/payment/cash-journal.js';

const status = (id: string, kind: DeviceStatus['kind']): DeviceStatus => ({
  id,
  kind,
  state: 'online',
  media: {},
  counters: {},
  lastError: null,
});

export class FakeCard implements CardPort {
  present = false;
  tries = 3;
  pin = '1234';
  /** The user-authentication certificate's bytes: another card has other bytes. */
  certificate = new Uint8Array([0x30, 0x82, 0, 1, 0]);
  /** A phone token releases its certificate only after the PIN. */
  cardType: Exclude<CardType, 'unknown'> = 'mynumber';
  private verified = false;
  calls: string[] = [];
  private listeners = new Set<(e: CardEvent) => void>();
  onEvent(l: (e: CardEvent) => void) {
    this.listeners.add(l);
    return () => void this.listeners.delete(l);
  }
  insert() {
    this.present = true;
    for (const l of this.listeners) l({ type: 'cardInserted', reader: 'fake' });
  }
  remove() {
    this.present = false;
    this.verified = false;
    for (const l of this.listeners) l({ type: 'cardRemoved', reader: 'fake' });
  }
  cardPresent() {
    return this.present;
  }
  private get phone() {
    return this.cardType === 'android' || this.cardType === 'iphone';
  }
  async identifyToken() {
    this.calls.push('identify');
    return {
      cardType: this.cardType,
      form: this.phone ? ('phone' as const) : ('card' as const),
      certificateNeedsPin: this.phone,
    };
  }
  async readAuthCertificate() {
    this.calls.push('read');
    if (this.phone && !this.verified)
      throw Object.assign(new Error('6982 security status not satisfied'), {
        name: 'CardError',
        kind: 'securityStatus',
      });
    return { cardType: this.cardType, certificate: this.certificate };
  }
  async authPinTriesLeft() {
    return this.tries;
  }
  async verifyAuthPin(pin: string) {
    this.calls.push('verify');
    if (this.tries === 0) return { ok: false as const, blocked: true as const };
    if (pin === this.pin) {
      this.tries = 3;
      this.verified = true;
      return { ok: true as const };
    }
    this.tries--;
    return this.tries === 0
      ? { ok: false as const, blocked: true as const }
      : { ok: false as const, blocked: false as const, triesLeft: this.tries };
  }
  async signWithAuthKey(m: Uint8Array) {
    this.calls.push('sign');
    return Uint8Array.from(m);
  }
  status() {
    return status('cardReader', 'cardReader');
  }
  async close() {}
}

export const RESIDENT: AuthenticatedResident = {
  token: 'session-token',
  residentRef: 'R001',
  municipalities: [
    {
      code: '012050',
      name: '室蘭市',
      relation: ['residence', 'honseki'],
      certificates: [
        {
          type: 'juminhyo',
          name: '住民票の写し',
          feeYen: 200,
          maxCopies: 5,
          options: [{ id: 'scope', kind: 'choice', choices: ['household', 'self'], default: 'self' }],
        },
        { type: 'inkan', name: '印鑑登録証明書', feeYen: 200, maxCopies: 5, options: [] },
      ],
    },
  ],
};

export class FakeRegistry implements RegistryPort {
  eligible = true;
  issued = new Map<string, IssuedDocument>();
  finalized: string[] = [];
  voided: { id: string; reason: string }[] = [];
  fail: Partial<Record<'authenticate' | 'issue' | 'eligibility', Error>> = {};
  resident = RESIDENT;
  /** What the registry says of the card's certificate before the PIN (or the error it throws). */
  certificate: CertificateStatus | Error = 'good';
  certificateChecks = 0;
  async certificateStatus() {
    this.certificateChecks++;
    if (this.certificate instanceof Error) throw this.certificate;
    return this.certificate;
  }
  async challenge() {
    return { challengeId: 'c1', nonce: new Uint8Array([1, 2, 3]) };
  }
  async authenticate() {
    if (this.fail.authenticate) throw this.fail.authenticate;
    return this.resident;
  }
  async eligibility() {
    if (this.fail.eligibility) throw this.fail.eligibility;
    return this.eligible ? { eligible: true as const, feeYen: 200 } : { eligible: false as const };
  }
  async issue(_t: string, req: { copies: number }, key: string) {
    if (this.fail.issue) throw this.fail.issue;
    const existing = this.issued.get(key);
    if (existing) return existing;
    const doc: IssuedDocument = {
      issuanceId: `ISS-${this.issued.size + 1}`,
      document: { secret: '山田 太郎' },
      copies: req.copies,
      feeYen: 200 * req.copies,
    };
    this.issued.set(key, doc);
    return doc;
  }
  async finalize(id: string) {
    this.finalized.push(id);
  }
  async void(id: string, reason: string) {
    this.voided.push({ id, reason });
  }
  async voidByIdempotencyKey(key: string) {
    const doc = this.issued.get(key);
    if (!doc) return { found: false, state: null };
    this.voided.push({ id: doc.issuanceId, reason: 'recovered' });
    return { found: true, state: 'voided' as const };
  }
  async authorizeReprint(id: string) {
    const doc = [...this.issued.values()].find((d) => d.issuanceId === id);
    return doc ? { authorized: true as const, document: doc } : { authorized: false as const };
  }
  status() {
    return status('registry', 'registry');
  }
}

export class FakePrinter implements CertificatePrinterPort {
  paper = true;
  failOnCopy: number | null = null;
  printed: { issuanceId: string; copy: number }[] = [];
  async printCertificate(doc: IssuedDocument, copy: number) {
    if (this.failOnCopy === copy) throw Object.assign(new Error('paper out'), { kind: 'paperOut' });
    this.printed.push({ issuanceId: doc.issuanceId, copy });
    return { jobId: `job-${this.printed.length}`, pages: 1 };
  }
  async ready() {
    return this.paper ? ({ ready: true } as const) : ({ ready: false, reason: 'paperOut' } as const);
  }
  status() {
    return status('certificatePrinter', 'certificatePrinter');
  }
}

export class FakeReceiptPrinter implements ReceiptPrinterPort {
  receipts: unknown[] = [];
  ious: number[] = [];
  async printReceipt(r: unknown) {
    this.receipts.push(r);
  }
  /** What each IOU slip says was paid beside what is owed. */
  iouPaid: Array<number | undefined> = [];
  async printIou(i: { owedYen: number; paidYen?: number }) {
    this.ious.push(i.owedYen);
    this.iouPaid.push(i.paidYen);
  }
  async ready() {
    return { ready: true } as const;
  }
  status() {
    return status('receiptPrinter', 'receiptPrinter');
  }
}

/** A cash port whose payment session journals like the real one and is driven by the test. */
export class FakeCash implements CashPort {
  hopper = 10_000;
  session: FakePayment | null = null;
  constructor(readonly journal: CashJournal) {}
  async startPayment(amountDueYen: number, transactionId: string) {
    this.session = new FakePayment(amountDueYen, transactionId, this);
    return this.session;
  }
  canMakeChange(changeYen: number) {
    return changeYen <= this.hopper;
  }
  async payout(yen: number, transactionId: string): Promise<PayoutResult> {
    const paid = Math.min(yen, this.hopper);
    const id = this.journal.intent({
      transactionId,
      kind: 'payout',
      device: 'hopper.10',
      yen: 10,
      count: yen / 10,
    });
    this.hopper -= paid;
    // The coins that did come out are journaled as paid, as the hoppers' own count reports them.
    this.journal.outcome(id, paid > 0 ? { ok: true, count: paid / 10 } : { ok: false, count: 0 });
    return { requestedYen: yen, paidYen: paid, paid: { 10: paid / 10 }, shortYen: yen - paid };
  }
  /** What the validator still holds after a crash (the test sets it). */
  escrowHeld = 0;
  async settleEscrow(transactionId: string, yen: number, action: 'stack' | 'return') {
    const id = this.journal.intent({ transactionId, kind: action, device: 'bill', yen, count: 1 });
    if (this.escrowHeld !== yen) {
      this.journal.outcome(id, { ok: false, count: 0, detail: 'escrowEmpty' });
      return 'empty' as const;
    }
    this.escrowHeld = 0;
    this.journal.outcome(id, { ok: true, count: 1 });
    return action === 'stack' ? ('stacked' as const) : ('returned' as const);
  }
  status() {
    return [status('coinAcceptor', 'coinAcceptor')];
  }
}

export class FakePayment implements PaymentSessionPort {
  inserted = 0;
  escrow = 0;
  private listeners = new Set<(e: PaymentEvent) => void>();
  constructor(
    readonly amountDueYen: number,
    readonly txId: string,
    readonly cash: FakeCash,
  ) {}
  onEvent(l: (e: PaymentEvent) => void) {
    this.listeners.add(l);
    return () => void this.listeners.delete(l);
  }
  private emit(e: PaymentEvent) {
    for (const l of this.listeners) l(e);
  }
  insertedYen() {
    return this.inserted;
  }
  coin(yen: Denomination) {
    const id = this.cash.journal.intent({
      transactionId: this.txId,
      kind: 'accept',
      device: 'coin',
      yen,
      count: 1,
    });
    this.cash.journal.outcome(id, { ok: true, count: 1 });
    this.inserted += yen;
    this.emit({ type: 'credited', yen, totalYen: this.inserted });
    if (this.inserted >= this.amountDueYen) this.emit({ type: 'paid', totalYen: this.inserted });
  }
  bill(yen: Denomination) {
    const id = this.cash.journal.intent({
      transactionId: this.txId,
      kind: 'accept',
      device: 'bill',
      yen,
      count: 1,
    });
    this.cash.journal.outcome(id, { ok: true, count: 1 });
    this.inserted += yen;
    this.escrow += yen;
    this.emit({ type: 'escrowed', yen, totalYen: this.inserted });
    if (this.inserted >= this.amountDueYen) this.emit({ type: 'paid', totalYen: this.inserted });
  }
  private stackOrReturn(kind: 'stack' | 'return') {
    if (!this.escrow) return;
    const id = this.cash.journal.intent({
      transactionId: this.txId,
      kind,
      device: 'bill',
      yen: this.escrow,
      count: 1,
    });
    this.cash.journal.outcome(id, { ok: true, count: 1 });
  }
  async commit() {
    this.stackOrReturn('stack');
    const change = this.inserted - this.amountDueYen;
    return change > 0
      ? this.cash.payout(change, this.txId).then((r) => ({ ...r }))
      : { requestedYen: 0, paidYen: 0, paid: {}, shortYen: 0 };
  }
  async cancel() {
    this.stackOrReturn('return');
    const coins = this.inserted - this.escrow;
    return coins > 0
      ? this.cash.payout(coins, this.txId)
      : { requestedYen: 0, paidYen: 0, paid: {}, shortYen: 0 };
  }
}
