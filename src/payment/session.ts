// One payment for one amount due. Coins are credited as they fall; the bill that completes the
// payment waits in escrow until the issuance is confirmed (commit) or abandoned (cancel). The
// validator has one escrow slot, so a bill that does not complete the payment is stacked at once
// and, like coins, refunded from the hoppers on cancel. The validator's word decides where a bill
// is: a route that failed or went unanswered leaves it in escrow, never counted as taken.
import type { Denomination, PaymentEvent, PaymentSessionPort, PayoutResult } from '../core/ports.js';
import type { AcceptorEvent } from '../../drivers/payment/interface.js';
import type { CashJournal } from './cash-journal.js';

/**
 * Where a routed bill ended up, as the validator tells it: "done" (route acknowledged), "stacked" /
 * "returned" (its events say so), "held" (still in escrow: route failed), "unknown" (no answer at all).
 */
export type RouteOutcome = 'done' | 'stacked' | 'returned' | 'held' | 'unknown';

/** What a session needs from the cash bay; the port implements it. */
export interface SessionBay {
  journal: CashJournal;
  canMakeChange(yen: number): boolean;
  /** Sets which coins and bills are accepted right now. */
  setAcceptance(coins: number[], bills: number[]): Promise<void>;
  acceptCoins: readonly number[];
  acceptBills: readonly number[];
  /** Whether the validator holds bills in escrow (its operating mode as last read from it). */
  billEscrow(): boolean;
  routeBill(action: 'stack' | 'return'): Promise<RouteOutcome>;
  /** Pays yen from the hoppers, journaling each hopper movement under `kind`. */
  dispense(yen: number, transactionId: string, kind: 'change' | 'refund'): Promise<PayoutResult>;
  /** The validator holds a bill of this payment that the session could not settle. */
  leftInEscrow(transactionId: string, yen: number): void;
  ended(session: CashSession): void;
}

type State = 'collecting' | 'paid' | 'settling' | 'done';

export class CashSession implements PaymentSessionPort {
  private readonly listeners = new Set<(e: PaymentEvent) => void>();
  private state: State = 'collecting';
  /** Yen taken for good so far: coins credited plus bills stacked. */
  private takenYen = 0;
  /** The bill the validator holds for us; `counts` is false for a refused bill that would not go back. */
  private escrow: { yen: number; counts: boolean } | null = null;
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
    return this.takenYen + (this.escrow?.counts ? this.escrow.yen : 0);
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

  /** Could this piece be taken now, its change (if it completes) or its refund (if not) payable? */
  private wouldTake(yen: number): boolean {
    const inserted = this.insertedYen();
    const owed = this.amountDueYen - inserted;
    return yen >= owed ? this.bay.canMakeChange(yen - owed) : this.bay.canMakeChange(this.takenYen + yen);
  }

  /** Denominations that would be accepted now (told to the resident when a bill is refused). */
  works(): Denomination[] {
    if (this.state !== 'collecting') return [];
    const coins = this.bay.acceptCoins.filter((v) => this.wouldTake(v));
    const bills = this.escrow ? [] : this.bay.acceptBills.filter((v) => this.wouldTake(v));
    return [...coins, ...bills] as Denomination[];
  }

  private async updateAcceptance(): Promise<void> {
    if (this.state !== 'collecting') return this.bay.setAcceptance([], []);
    const coins = this.bay.acceptCoins.filter((v) => this.wouldTake(v));
    // With escrow, bills stay enabled and are refused at escrow, where the screen can say why;
    // without it a bill is in the cash box the moment it is read, so only payable ones are enabled.
    const bills = this.escrow
      ? []
      : this.bay.billEscrow()
        ? [...this.bay.acceptBills]
        : this.bay.acceptBills.filter((v) => this.wouldTake(v));
    await this.bay.setAcceptance(coins, bills);
  }

  private journalNow(
    kind: 'accept' | 'stack' | 'return',
    device: string,
    yen: number,
    ok: boolean,
    detail?: string,
  ): void {
    const id = this.bay.journal.intent({ transactionId: this.transactionId, kind, device, yen, count: 1 });
    this.bay.journal.outcome(id, { ok, count: ok ? 1 : 0, ...(detail ? { detail } : {}) });
  }

  /**
   * Routes the held bill and journals where it really went: a stack that the device reports as a
   * return is journaled as a return, and a route with no clear answer leaves the bill in escrow.
   */
  private async route(action: 'stack' | 'return', yen: number): Promise<'stacked' | 'returned' | 'held'> {
    const id = this.bay.journal.intent({
      transactionId: this.transactionId,
      kind: action,
      device: 'bill',
      yen,
      count: 1,
    });
    let r: RouteOutcome;
    try {
      r = await this.bay.routeBill(action);
    } catch {
      r = 'unknown';
    }
    const where = r === 'done' ? (action === 'stack' ? 'stacked' : 'returned') : r === 'unknown' ? 'held' : r;
    const ok = (where === 'stacked' && action === 'stack') || (where === 'returned' && action === 'return');
    this.bay.journal.outcome(id, {
      ok,
      count: ok ? 1 : 0,
      ...(ok
        ? {}
        : {
            detail:
              r === 'unknown'
                ? 'no answer: bill left in escrow'
                : r === 'held'
                  ? 'failed to route: bill still in escrow'
                  : `validator ${where} it`,
          }),
    });
    if (!ok && where !== 'held')
      this.journalNow(where === 'stacked' ? 'stack' : 'return', 'bill', yen, true, `validator ${where} it`);
    return where;
  }

  private checkPaid(): void {
    if (this.state === 'collecting' && this.insertedYen() >= this.amountDueYen) {
      this.state = 'paid';
      this.emit({ type: 'paid', totalYen: this.insertedYen() });
    }
  }

  private take(yen: number): void {
    this.takenYen += yen;
    this.emit({ type: 'credited', yen: yen as Denomination, totalYen: this.insertedYen() });
    this.checkPaid();
  }

  private droppedEscrow(yen: number): void {
    this.escrow = null;
    if (this.state === 'paid' && this.insertedYen() < this.amountDueYen) this.state = 'collecting';
    this.emit({ type: 'returned', yen: yen as Denomination, totalYen: this.insertedYen() });
  }

  /** A device event read by the port's poll loop. */
  handle(ev: AcceptorEvent): Promise<void> {
    return this.serial(async () => {
      switch (ev.type) {
        case 'credited':
          if (ev.device === 'bill') {
            // Escrow off: the validator stacked it at once.
            this.journalNow('accept', 'bill', ev.yen, true);
            this.journalNow('stack', 'bill', ev.yen, true, 'stacked by the validator (escrow off)');
          } else this.journalNow('accept', 'coin', ev.yen, true);
          if (this.active) this.take(ev.yen);
          else this.takenYen += ev.yen; // settling: still refunded or counted by commit/cancel
          return this.updateAcceptance();
        case 'escrowed':
          return this.onEscrow(ev.yen);
        case 'stacked':
          // The validator stacked the held bill on its own: it is taken.
          if (this.escrow && this.escrow.yen === ev.yen) {
            this.journalNow('stack', 'bill', ev.yen, true, 'stacked by the validator');
            this.escrow = null;
            this.take(ev.yen);
            return this.updateAcceptance();
          }
          return;
        case 'returned':
          // Unasked (escrow timeout, power cycle): the resident has the bill back.
          if (this.escrow) {
            const { yen } = this.escrow;
            this.journalNow('return', 'bill', yen, true, 'returned by the validator');
            this.droppedEscrow(yen);
            return this.updateAcceptance();
          }
          return;
        case 'rejected': {
          // A coin handed back because it was inhibited for want of change: the screen says which
          // and what works, as for a refused bill. The coin is the one the device names, else the
          // only coin inhibited for that reason.
          if (ev.device === 'coin' && ev.reason === 'inhibitedCoin' && this.state === 'collecting') {
            const unpayable = this.bay.acceptCoins.filter((v) => !this.wouldTake(v));
            const coin = ev.yen ?? (unpayable.length === 1 ? unpayable[0] : undefined);
            if (coin !== undefined && unpayable.includes(coin as Denomination)) {
              this.emit({ type: 'refusedNoChange', yen: coin as Denomination, works: this.works() });
              return;
            }
          }
          this.emit({ type: 'rejected', reason: ev.reason });
          return;
        }
        case 'reset':
          // A power dip: the port restores the operating mode and acceptance; the payment goes on.
          return this.updateAcceptance();
        case 'fraud':
        case 'jam':
        case 'lostEvents':
        case 'offline':
        case 'cashBoxFull':
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
      const where = await this.route('return', yen);
      if (where === 'held') this.escrow = { yen, counts: false };
      else if (where === 'stacked') this.takenYen += yen; // the device kept it: refunded on cancel
      if (why === 'refusedNoChange') this.emit({ type: 'refusedNoChange', yen: d, works: this.works() });
      else this.emit({ type: 'rejected', reason: 'notNeeded' });
      return this.updateAcceptance();
    };
    if (this.state !== 'collecting' || this.escrow) return refuse('notNeeded');
    if (yen >= owed) {
      // The completing bill: keep it in escrow, but only if its change can be paid.
      if (!this.bay.canMakeChange(yen - owed)) return refuse('refusedNoChange');
      this.escrow = { yen, counts: true };
      this.emit({ type: 'escrowed', yen: d, totalYen: this.insertedYen() });
      this.checkPaid();
      return this.updateAcceptance();
    }
    // Not enough on its own: stack it to free the escrow slot, if it could be refunded in coins.
    if (!this.bay.canMakeChange(this.takenYen + yen)) return refuse('refusedNoChange');
    const where = await this.route('stack', yen);
    if (where === 'stacked') this.take(yen);
    else if (where === 'held') {
      // Still in escrow as the validator says: counted as inserted, not taken; the payment goes on.
      this.escrow = { yen, counts: true };
      this.emit({ type: 'escrowed', yen: d, totalYen: this.insertedYen() });
      this.checkPaid();
    } else this.emit({ type: 'returned', yen: d, totalYen: this.insertedYen() });
    return this.updateAcceptance();
  }

  /** Settles a bill still in escrow toward `want`; returns yen taken (stacked) by the device. */
  private async settleEscrow(
    want: 'stack' | 'return',
  ): Promise<{ taken: number; back: number; stuck: number }> {
    const held = this.escrow;
    if (!held) return { taken: 0, back: 0, stuck: 0 };
    const action = held.counts ? want : 'return';
    let where = await this.route(action, held.yen);
    if (where === 'held') where = await this.route(action, held.yen); // one more try, as the device stays in escrow
    if (where === 'held' && action === 'stack') where = await this.route('return', held.yen); // hand it back rather than keep it unpaid
    this.escrow = null;
    if (where === 'stacked') return { taken: held.yen, back: 0, stuck: 0 };
    if (where === 'returned') return { taken: 0, back: held.yen, stuck: 0 };
    this.bay.leftInEscrow(this.transactionId, held.yen);
    return { taken: 0, back: 0, stuck: held.yen };
  }

  commit(): Promise<PayoutResult> {
    return this.serial(async () => {
      if (this.state !== 'paid')
        throw new Error(
          `cannot commit a payment in state ${this.state} (inserted ¥${this.insertedYen()} of ¥${this.amountDueYen})`,
        );
      this.state = 'settling';
      await this.bay.setAcceptance([], []);
      const bill = await this.settleEscrow('stack');
      this.takenYen += bill.taken;
      if (bill.back || bill.stuck) this.emit({ type: 'fault', device: 'bill', kind: 'stackFailed' });
      const change = Math.max(0, this.takenYen - this.amountDueYen);
      const coins = await this.bay.dispense(change, this.transactionId, 'change');
      // A bill stuck in the validator is the resident's, in the machine: owed like unpaid change.
      const result = {
        ...coins,
        requestedYen: coins.requestedYen + bill.stuck,
        shortYen: coins.shortYen + bill.stuck,
      };
      const uncollected = Math.max(0, this.amountDueYen - this.takenYen);
      return this.finish(uncollected > 0 ? { ...result, uncollectedYen: uncollected } : result);
    });
  }

  cancel(): Promise<PayoutResult> {
    return this.serial(async () => {
      if (!this.active) throw new Error(`cannot cancel a payment in state ${this.state}`);
      this.state = 'settling';
      await this.bay.setAcceptance([], []);
      const bill = await this.settleEscrow('return');
      this.takenYen += bill.taken; // the device stacked it instead: refunded in coins
      // A bill that will not come back is owed, never silently kept.
      const billOwed = bill.stuck;
      const billBack = bill.back;
      if (bill.stuck) this.emit({ type: 'fault', device: 'bill', kind: 'returnFailed' });
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
    if (r.shortYen > 0) {
      // The IOU: exactly what the devices did not pay, on record before the slip is printed.
      const id = this.bay.journal.intent({
        transactionId: this.transactionId,
        kind: 'iou',
        device: 'kiosk',
        yen: r.shortYen,
        count: 1,
      });
      this.bay.journal.outcome(id, {
        ok: true,
        count: 1,
        detail: `paid ¥${r.paidYen} of ¥${r.requestedYen}`,
      });
      this.emit({ type: 'fault', device: 'hopper', kind: 'payoutShort' });
    }
    this.bay.ended(this);
    return r;
  }
}
