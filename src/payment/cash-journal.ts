// Every physical cash movement is journaled twice: the intent before it happens and the outcome
// after (the core's CashJournal port). The engine passes a SQLite-backed journal; the in-memory one
// here serves tests and the demo and can compute the cash position, so a test can prove it reconciles.
import type { CashIntent, CashJournal, CashMovementKind, CashOutcome } from '../core/ports.js';

export type { CashMovementKind, CashIntent, CashOutcome, CashJournal };

export interface CashEntry extends CashIntent {
  id: number;
  outcome?: CashOutcome;
}

export interface CashPosition {
  /** Taken from residents: coins accepted plus bills stacked. */
  receivedYen: number;
  /** Bills held in escrow right now. */
  escrowYen: number;
  /** Given back by hoppers (change, refunds, payouts). */
  paidOutYen: number;
  /** Coins gone from each hopper, by denomination. */
  hopperOut: Record<number, number>;
  /** Owed to residents on IOU slips. */
  owedYen: number;
  /** Intents without an outcome: movements whose result is unknown (a crash mid-movement). */
  open: number;
}

export class MemoryCashJournal implements CashJournal {
  readonly entries: CashEntry[] = [];

  intent(m: CashIntent): number {
    const id = this.entries.length + 1;
    this.entries.push({ ...m, id });
    return id;
  }

  outcome(id: number, r: CashOutcome): void {
    const e = this.entries[id - 1];
    if (!e) throw new Error(`cash journal: no intent ${id}`);
    if (e.outcome) throw new Error(`cash journal: intent ${id} already has an outcome`);
    e.outcome = r;
  }

  /** The cash position from the outcomes, optionally for one transaction. */
  position(transactionId?: string): CashPosition {
    const p: CashPosition = {
      receivedYen: 0,
      escrowYen: 0,
      paidOutYen: 0,
      hopperOut: {},
      owedYen: 0,
      open: 0,
    };
    for (const e of this.entries) {
      if (transactionId !== undefined && e.transactionId !== transactionId) continue;
      if (!e.outcome) {
        p.open++;
        continue;
      }
      const yen = e.yen * e.outcome.count;
      switch (e.kind) {
        case 'accept':
          if (e.device === 'bill') p.escrowYen += yen;
          else p.receivedYen += yen;
          break;
        case 'stack':
          p.escrowYen -= yen;
          p.receivedYen += yen;
          break;
        case 'return':
          p.escrowYen -= yen;
          break;
        case 'refund':
        case 'change':
        case 'payout':
          p.paidOutYen += yen;
          p.hopperOut[e.yen] = (p.hopperOut[e.yen] ?? 0) + e.outcome.count;
          break;
        case 'iou':
          p.owedYen += yen;
          break;
        case 'refill':
          p.hopperOut[e.yen] = (p.hopperOut[e.yen] ?? 0) - e.outcome.count;
          break;
      }
    }
    return p;
  }

  /** Net yen kept from residents for a transaction (received minus paid back). */
  netYen(transactionId: string): number {
    const p = this.position(transactionId);
    return p.receivedYen - p.paidOutYen;
  }
}
