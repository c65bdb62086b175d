// One payment for one amount due. Coins are credited as they fall; the bill that completes the
// payment waits in escrow until the issuance is confirmed (commit) or abandoned (cancel). The
// validator has one escrow slot, so a bill that does not complete the payment is stacked at once
// and, like coins, refunded from the hoppers on cancel.
import type { Denomination, PaymentEvent, PaymentSessionPort, PayoutResult } from '../core/ports.js';
import type { AcceptorEvent } from '../../drivers/payment/interface.js';
import type { CashJournal } from './cash-journal.js';

/** What a session needs from the cash bay; the port implements it. */
export interface SessionBay {
  journal: CashJournal;
  canMakeChange(yen: number): boolean;
  /** Sets which coins and bills are accepted right now. */
  setAcceptance(coins: number[], bills: number[]): Promise<void>;
  acceptCoins: readonly number[];
  acceptBills: readonly number[];
  routeBill(action: 'stack' | 'return'): Promise<{ ok: boolean; reason?: string }>;
  /** Pays yen from the hoppers, journaling each hopper movement under `kind`. */
  dispense(yen: number, transactionId: string, kind: 'change' | 'refund'): Promise<PayoutResult>;
  ended(session: CashSession): void;
}

type State = 'collecting' | 'paid' | 'settling' | 'done';

export class CashSession implements PaymentSessionPort {
  private readonly listeners = new Set<(e: PaymentEvent) => void>();
  private state: State = 'collecting';
  /** Yen taken for good so far: coins credited plus bills already stacked. */
  private takenYen = 0;
  private escrow: { yen: number } | null = null;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    readonly amountDueYen: number,
    readonly transactionId: string,
    private readonly bay: SessionBay,
  ) {}

  onEvent(listener: (e: PaymentEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  insertedYen(): number {
    return this.takenYen + (this.escrow?.yen ?? 0);
  }

  get active(): boolean {
    return this.state === 'collecting' || this.state === 'paid';
  }

  private emit(e: PaymentEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Runs one step at a time: device events, commit and cancel never interleave. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.lock.then(fn, fn);
    this.lock = p.catch(() => undefined);
    return p;
  }

  /** Opens acceptance for what can still be taken without making change impossible. */
  async start(): Promise<void> {
    await this.updateAcceptance();
  }

  private async updateAcceptance(): Promise<void> {
    if (this.state !== 'collecting') return this.bay.setAcceptance([], []);
    const inserted = this.insertedYen();
    const coins = this.bay.acceptCoins.filter((v) => this.bay.canMakeChange(Math.max(0, inserted + v - this.amountDueYen)));
    // Bills stay enabled: refusal happens at escrow, where the screen can say why.
    await this.bay.setAcceptance(coins, this.escrow ? [] : [...this.bay.acceptBills]);
  }

  private journalNow(kind: 'accept' | 'stack' | 'return', device: string, yen: number, ok: boolean, detail?: string): void {
    const id = this.bay.journal.intent({ transactionId: this.transactionId, kind, device, yen, count: 1 });
    this.bay.journal.outcome(id, { ok, count: ok ? 1 : 0, ...(detail ? { detail } : {}) });
  }

  private async route(action: 'stack' | 'return', yen: number): Promise<boolean> {
    const kind = action === 'stack' ? 'stack' : 'return';
    const id = this.bay.journal.intent({ transactionId: this.transactionId, kind, device: 'bill', yen, count: 1 });
    let r: { ok: boolean; reason?: string };
    try {
      r = await this.bay.routeBill(action);
    } catch (e) {
      r = { ok: false, reason: (e as Error).message };
    }
    this.bay.journal.outcome(id, { ok: r.ok, count: r.ok ? 1 : 0, ...(r.reason ? { detail: r.reason } : {}) });
    return r.ok;
  }

  private checkPaid(): void {
    if (this.state === 'collecting' && this.insertedYen() >= this.amountDueYen) {
      this.state = 'paid';
      this.emit({ type: 'paid', totalYen: this.insertedYen() });
    }
  }

  /** A device event read by the port's poll loop. */
  handle(ev: AcceptorEvent): Promise<void> {
    return this.serial(async () => {
      switch (ev.type) {
        case 'credited':
          this.journalNow('accept', 'coin', ev.yen, true);
          this.takenYen += ev.yen;
          this.emit({ type: 'credited', yen: ev.yen as Denomination, totalYen: this.insertedYen() });
          this.checkPaid();
          return this.updateAcceptance();
        case 'escrowed':
          return this.onEscrow(ev.yen);
        case 'returned':
          // Unasked (escrow timeout, reset): the resident has the bill back.
          if (this.escrow) {
            this.journalNow('return', 'bill', this.escrow.yen, true, 'returned by the validator');
            this.escrow = null;
            if (this.state === 'paid') this.state = 'collecting';
            this.emit({ type: 'fault', device: 'bill', kind: 'escrowReturned' });
            return this.updateAcceptance();
          }
          return;
        case 'rejected':
          this.emit({ type: 'rejected', reason: ev.reason });
          return;
        case 'stacked':
          return; // our own stack commands; already journaled by route()
        case 'fraud':
        case 'jam':
        case 'lostEvents':
        case 'reset':
        case 'offline':
        case 'cashBoxFull':
          if (ev.type === 'reset' && ev.device === 'bill' && this.escrow) {
            this.journalNow('return', 'bill', this.escrow.yen, true, 'validator reset returns its escrow');
            this.escrow = null;
            if (this.state === 'paid') this.state = 'collecting';
          }
          this.emit({ type: 'fault', device: ev.device, kind: ev.type });
          return this.updateAcceptance();
        case 'cashBoxOk':
          return;
      }
    });
  }

  private async onEscrow(yen: number): Promise<void> {
    const d = yen as Denomination;
    this.journalNow('accept', 'bill', yen, true);
    const owed = this.amountDueYen - this.insertedYen();
    const refuse = async (why: 'refusedNoChange' | 'notNeeded') => {
      await this.route('return', yen);
      if (why === 'refusedNoChange') this.emit({ type: 'refusedNoChange', yen: d });
      else this.emit({ type: 'rejected', reason: 'notNeeded' });
    };
    if (this.state !== 'collecting' || this.escrow) return refuse('notNeeded');
    if (yen >= owed) {
      // The completing bill: keep it in escrow, but only if its change can be paid.
      if (!this.bay.canMakeChange(yen - owed)) return refuse('refusedNoChange');
      this.escrow = { yen };
      this.emit({ type: 'escrowed', yen: d, totalYen: this.insertedYen() });
      this.checkPaid();
      return this.updateAcceptance();
    }
    // Not enough on its own: stack it to free the escrow slot, if it could be refunded in coins.
    if (!this.bay.canMakeChange(this.takenYen + yen)) return refuse('refusedNoChange');
    if (await this.route('stack', yen)) {
      this.takenYen += yen;
      this.emit({ type: 'credited', yen: d, totalYen: this.insertedYen() });
    } else {
      this.emit({ type: 'fault', device: 'bill', kind: 'stackFailed' });
    }
    return this.updateAcceptance();
  }

  commit(): Promise<PayoutResult> {
    return this.serial(async () => {
      if (this.state !== 'paid') throw new Error(`cannot commit a payment in state ${this.state} (inserted ¥${this.insertedYen()} of ¥${this.amountDueYen})`);
      this.state = 'settling';
      await this.bay.setAcceptance([], []);
      if (this.escrow) {
        const { yen } = this.escrow;
        // A bill that will not stack is still the resident's payment: it is in the machine.
        if (!(await this.route('stack', yen))) this.emit({ type: 'fault', device: 'bill', kind: 'stackFailed' });
        this.takenYen += yen;
        this.escrow = null;
      }
      const change = this.takenYen - this.amountDueYen;
      const result = await this.bay.dispense(change, this.transactionId, 'change');
      return this.finish(result);
    });
  }

  cancel(): Promise<PayoutResult> {
    return this.serial(async () => {
      if (!this.active) throw new Error(`cannot cancel a payment in state ${this.state}`);
      this.state = 'settling';
      await this.bay.setAcceptance([], []);
      let billBack = 0;
      let billOwed = 0;
      if (this.escrow) {
        const { yen } = this.escrow;
        if (await this.route('return', yen)) billBack = yen;
        else {
          billOwed = yen; // jammed on its way out: owed, never silently kept
          this.emit({ type: 'fault', device: 'bill', kind: 'returnFailed' });
        }
        this.escrow = null;
      }
      const coins = await this.bay.dispense(this.takenYen, this.transactionId, 'refund');
      const paid = { ...coins.paid };
      if (billBack) paid[billBack as Denomination] = (paid[billBack as Denomination] ?? 0) + 1;
      return this.finish({
        requestedYen: coins.requestedYen + billBack + billOwed,
        paidYen: coins.paidYen + billBack,
        paid,
        shortYen: coins.shortYen + billOwed,
      });
    });
  }

  private finish(r: PayoutResult): PayoutResult {
    this.state = 'done';
    if (r.shortYen > 0) this.emit({ type: 'fault', device: 'hopper', kind: 'payoutShort' });
    this.bay.ended(this);
    return r;
  }
}
