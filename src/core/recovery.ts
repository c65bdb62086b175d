// Start-up recovery: every transaction the journal still has open is resolved by rule, from what
// the journal proves happened. Money is never kept for a certificate that was not printed, and a
// printed certificate is never left unfinalized.
//
//   printed (every copy)           → settle the money (stack escrow, pay change owed), finalize
//   paid, not (fully) printed      → reprint if the registry authorizes it, else void and refund
//   money taken, no issuance       → refund (escrowed bill returned, coins paid back)
//   issued, not paid               → void
//   a cash movement of unknown outcome → the kiosk goes out of service for a technician count
import type { StepName } from './steps.js';
import type { EngineDeps } from './effects.js';
import type { Journal, TxRow } from './journal/journal.js';

/** The same devices, registry and journal as the engine; recovery needs no card. */
export type RecoveryDeps = Omit<EngineDeps, 'card' | 'crashPoint'>;

export type RecoveryOutcome = 'finalized' | 'reprinted' | 'refunded' | 'voided' | 'closed';

export interface RecoveryResult {
  txId: string;
  outcome: RecoveryOutcome;
  refundedYen: number;
  changeYen: number;
  shortYen: number;
  /** Something needs a technician (unknown cash outcome, IOU): the kiosk goes out of service. */
  needsTechnician: string | null;
}

function has(journal: Journal, txId: string, step: StepName, phase: 'intent' | 'done') {
  return journal.steps(txId).some((s) => s.step === step && s.phase === phase);
}

/** The issuance id from the registry.issue step when the crash came before it reached the transaction row. */
function issuedId(journal: Journal, txId: string): string | null {
  const done = journal.steps(txId).find((s) => s.step === 'registry.issue' && s.phase === 'done');
  return done?.detail ? ((JSON.parse(done.detail) as { issuanceId?: string }).issuanceId ?? null) : null;
}

async function settleMoney(deps: RecoveryDeps, tx: TxRow, keepYen: number): Promise<{ paidYen: number; shortYen: number; unpaidYen: number }> {
  const { journal, cash } = deps;
  const bal = journal.cashBalance(tx.id);
  if (bal.escrowYen > 0) {
    // Keep the bill when the certificate was printed, give it back otherwise. A validator that no
    // longer holds it gave it back on its own (escrow timeout or reset): journal that.
    const r = await cash.settleEscrow(tx.id, bal.escrowYen, keepYen > 0 ? 'stack' : 'return');
    if (r === 'empty') {
      const id = journal.intent({ transactionId: tx.id, kind: 'return', device: 'bill', yen: bal.escrowYen, count: 1 });
      journal.outcome(id, { ok: true, count: 1, detail: 'returned by the validator while the kiosk was down' });
    }
  }
  const net = journal.cashBalance(tx.id).netYen;
  // A printed certificate whose bill went back: the fee was not collected. Recorded, never hidden.
  const unpaidYen = Math.max(0, keepYen - net);
  const owed = net - keepYen;
  if (owed <= 0) return { paidYen: 0, shortYen: 0, unpaidYen };
  const r = await cash.payout(owed, tx.id);
  return { paidYen: r.paidYen, shortYen: r.shortYen, unpaidYen };
}

async function iou(deps: RecoveryDeps, txId: string, owedYen: number) {
  const id = deps.journal.printIntent({ txId, kind: 'iou' });
  try {
    await deps.receiptPrinter.printIou({ kioskId: deps.kioskId, transactionRef: txId, at: new Date(), owedYen });
    deps.journal.printOutcome(id, true);
  } catch {
    deps.journal.printOutcome(id, false);
  }
  deps.journal.audit('cash', 'iou', txId, { owedYen });
}

export async function recoverTransaction(deps: RecoveryDeps, tx: TxRow): Promise<RecoveryResult> {
  const { journal, registry, certificatePrinter, log } = deps;
  const result: RecoveryResult = { txId: tx.id, outcome: 'closed', refundedYen: 0, changeYen: 0, shortYen: 0, needsTechnician: null };
  journal.step(tx.id, 'recovery', 'intent');

  const unknownCash = journal.openCashIntents(tx.id);
  if (unknownCash.length) {
    // A movement started and its result is unknown: counting the cash is a technician's job.
    result.needsTechnician = `unknown outcome of ${unknownCash.map((c) => `${c.kind} ¥${c.yen}×${c.count}`).join(', ')}`;
    for (const c of unknownCash) journal.outcome(c.id, { ok: false, count: 0, detail: 'outcome unknown after restart; technician count needed' });
  }

  const copies = tx.copies ?? 0;
  const fee = tx.fee_yen ?? 0;
  const printed = () => journal.printJobs(tx.id).filter((j) => j.kind === 'certificate' && j.status === 'done').length;
  const bal = journal.cashBalance(tx.id);
  const moneyIn = bal.netYen + bal.escrowYen;
  const paid = fee > 0 && moneyIn >= fee;
  const issuanceId = tx.issuance_id ?? issuedId(journal, tx.id);

  let keep = 0;
  if (issuanceId && copies > 0 && printed() >= copies) {
    keep = fee;
    result.outcome = 'finalized';
  } else if (issuanceId && paid) {
    const auth = await registry.authorizeReprint(issuanceId);
    journal.step(tx.id, 'registry.authorizeReprint', 'done', { authorized: auth.authorized });
    if (auth.authorized) {
      try {
        for (let copy = printed() + 1; copy <= copies; copy++) {
          const job = journal.printIntent({ txId: tx.id, kind: 'certificate', issuanceId, copyIndex: copy });
          const r = await certificatePrinter.printCertificate(auth.document, copy);
          journal.printOutcome(job, true, { printerJob: r.jobId, detail: { pages: r.pages, reprint: true } });
        }
        keep = fee;
        result.outcome = 'reprinted';
      } catch (e) {
        log.warn({ tx: tx.id, err: (e as Error).message }, 'recovery reprint failed; refunding');
        result.needsTechnician ??= 'reprint failed';
      }
    }
  }

  if (keep > 0) {
    const r = await settleMoney(deps, tx, keep);
    result.changeYen = r.paidYen;
    result.shortYen = r.shortYen;
    if (r.unpaidYen > 0) {
      journal.audit('cash', 'feeNotCollected', tx.id, { unpaidYen: r.unpaidYen });
      result.needsTechnician ??= `fee of ¥${r.unpaidYen} not collected`;
    }
    if (!has(journal, tx.id, 'registry.finalize', 'done')) {
      journal.step(tx.id, 'registry.finalize', 'intent', { issuanceId });
      await registry.finalize(issuanceId!);
      journal.step(tx.id, 'registry.finalize', 'done');
    }
  } else {
    const r = await settleMoney(deps, tx, 0);
    result.refundedYen = r.paidYen;
    result.shortYen = r.shortYen;
    if (issuanceId && !has(journal, tx.id, 'registry.void', 'done')) {
      journal.step(tx.id, 'registry.void', 'intent', { issuanceId, reason: 'recovered' });
      await registry.void(issuanceId, 'recovered');
      journal.step(tx.id, 'registry.void', 'done');
      result.outcome = moneyIn > 0 ? 'refunded' : 'voided';
    } else if (!issuanceId && has(journal, tx.id, 'registry.issue', 'intent')) {
      // The registry may have issued before the crash: void by the request's Idempotency-Key.
      journal.step(tx.id, 'registry.voidByKey', 'intent');
      const r = await registry.voidByIdempotencyKey(journal.idempotencyKey(tx.id), 'recovered');
      journal.step(tx.id, 'registry.voidByKey', 'done', { found: r.found, state: r.state });
      result.outcome = moneyIn > 0 ? 'refunded' : r.found ? 'voided' : 'closed';
    } else if (moneyIn > 0) result.outcome = 'refunded';
  }

  if (result.shortYen > 0) {
    await iou(deps, tx.id, result.shortYen);
    result.needsTechnician ??= `IOU ¥${result.shortYen}`;
  }
  journal.step(tx.id, 'recovery', 'done', { outcome: result.outcome, refundedYen: result.refundedYen, changeYen: result.changeYen, shortYen: result.shortYen });
  journal.close(tx.id, 'recovered', result.outcome);
  journal.audit('recovery', result.outcome, tx.id, { refundedYen: result.refundedYen, changeYen: result.changeYen, shortYen: result.shortYen, needsTechnician: result.needsTechnician !== null });
  return result;
}

export async function recoverOpenTransactions(deps: RecoveryDeps): Promise<RecoveryResult[]> {
  const results: RecoveryResult[] = [];
  for (const tx of deps.journal.openTransactions()) {
    try {
      results.push(await recoverTransaction(deps, tx));
    } catch (e) {
      // Stays open: retried at the next start; meanwhile the kiosk is out of service.
      deps.log.error({ tx: tx.id, err: (e as Error).message }, 'recovery failed; transaction stays open');
      results.push({ txId: tx.id, outcome: 'closed', refundedYen: 0, changeYen: 0, shortYen: 0, needsTechnician: `recovery failed: ${(e as { kind?: string }).kind ?? 'error'}` });
    }
  }
  return results;
}
