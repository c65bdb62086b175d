// Start-up recovery: every transaction the journal still has open is resolved by rule, from what
// the journal (and, where the journal may be behind, the registry) proves happened. Nobody can be
// assumed to be at the machine after a restart, so recovery hands nothing to whoever stands
// there: it prints nothing and pays nothing out. What the resident is owed is recorded (an IOU
// for money, an owed certificate by issuance number, both redeemable at the counter). When that is
// all and the session's card is known, it becomes a claim the same card and PIN may collect for a
// while (src/core/reclaim.ts); otherwise, and after that, a technician is called.
//
//   printed (every copy)              → keep the fee, finalize; change owed → IOU
//   paid, not (fully) printed         → certificate owed (issuance left for the counter); change owed → IOU
//   a copy printed, its money given back → certificate owed, never voided; the fee flagged as not collected
//   money taken, not paid / no issuance → void the issuance; all money taken → IOU
//   issued, no money                  → void
//   the registry finalized what the journal thinks unprinted (a cut WAL) → finalized, never "voided"
//   a bill still in escrow            → stacked (kept in the machine, never pushed into an empty bezel)
//   a cash movement of unknown outcome → the kiosk goes out of service for a technician count
//   a print job left pending          → closed as failed (interrupted): its copy counts as not printed
import type { StepName } from './steps.js';
import type { EngineDeps } from './effects.js';
import type { Journal, TxRow } from './journal/journal.js';

/** The same devices, registry and journal as the engine; recovery needs no card. */
export type RecoveryDeps = Omit<EngineDeps, 'card' | 'crashPoint'>;

export type RecoveryOutcome = 'finalized' | 'owed' | 'voided' | 'closed';

export interface RecoveryResult {
  txId: string;
  outcome: RecoveryOutcome;
  /** Always 0 at start-up: nothing is paid out with nobody known to be there. */
  refundedYen: number;
  changeYen: number;
  /** Money owed to the resident, recorded as an IOU. */
  shortYen: number;
  /** The issuance whose certificate is owed (printed at the counter), or null. */
  owedCertificate: string | null;
  /** Something needs a technician (unknown cash outcome, IOU, owed certificate): the kiosk goes out of service. */
  needsTechnician: string | null;
  /**
   * What the resident may come back for with the same card and its PIN (src/core/reclaim.ts), when
   * nothing but an IOU or an owed certificate is wrong and the card is known by its keyed hash.
   */
  claim: RecoveredClaim | null;
}

export interface RecoveredClaim {
  cardHash: string;
  owedYen: number;
  issuanceId: string | null;
  copiesOwed: number;
}

/** The keyed hash of the card the session read (journaled with card.read or card.readCertificate). */
function cardHashOf(journal: Journal, txId: string): string | null {
  for (const s of journal.steps(txId).reverse()) {
    if ((s.step !== 'card.read' && s.step !== 'card.readCertificate') || s.phase !== 'done' || !s.detail)
      continue;
    const hash = (JSON.parse(s.detail) as { cardHash?: string | null }).cardHash;
    if (hash) return hash;
  }
  return null;
}

function has(journal: Journal, txId: string, step: StepName, phase: 'intent' | 'done') {
  return journal.steps(txId).some((s) => s.step === step && s.phase === phase);
}

/** The issuance id from the registry.issue step when the crash came before it reached the transaction row. */
function issuedId(journal: Journal, txId: string): string | null {
  const done = journal.steps(txId).find((s) => s.step === 'registry.issue' && s.phase === 'done');
  return done?.detail ? ((JSON.parse(done.detail) as { issuanceId?: string }).issuanceId ?? null) : null;
}

/** A bill the validator may still hold is kept: stacked, or journaled as given back if it no longer holds it. */
async function keepEscrow(deps: RecoveryDeps, tx: TxRow): Promise<void> {
  const { journal, cash } = deps;
  const bal = journal.cashBalance(tx.id);
  if (bal.escrowYen <= 0) return;
  const r = await cash.settleEscrow(tx.id, bal.escrowYen, 'stack');
  if (r === 'empty') {
    const id = journal.intent({
      transactionId: tx.id,
      kind: 'return',
      device: 'bill',
      yen: bal.escrowYen,
      count: 1,
    });
    journal.outcome(id, { ok: true, count: 1, detail: 'returned by the validator while the kiosk was down' });
  }
}

/** Records money owed to the resident: redeemable at the counter with the transaction or issuance reference. */
export function recordIou(journal: Journal, txId: string, owedYen: number, reference: string | null): void {
  journal.audit('cash', 'iou', txId, {
    owedYen,
    reference: reference ?? txId.slice(0, 8).toUpperCase(),
    printed: false,
  });
}

export async function recoverTransaction(deps: RecoveryDeps, tx: TxRow): Promise<RecoveryResult> {
  const { journal, registry } = deps;
  const result: RecoveryResult = {
    txId: tx.id,
    outcome: 'closed',
    refundedYen: 0,
    changeYen: 0,
    shortYen: 0,
    owedCertificate: null,
    needsTechnician: null,
    claim: null,
  };
  journal.step(tx.id, 'recovery', 'intent');

  const unknownCash = journal.openCashIntents(tx.id);
  if (unknownCash.length) {
    // A movement started and its result is unknown: counting the cash is a technician's job.
    result.needsTechnician = `unknown outcome of ${unknownCash.map((c) => `${c.kind} ¥${c.yen}×${c.count}`).join(', ')}`;
    for (const c of unknownCash)
      journal.outcome(c.id, {
        ok: false,
        count: 0,
        detail: 'outcome unknown after restart; technician count needed',
      });
  }
  // Every print job gets its true outcome: one left pending was interrupted, its copy not printed.
  for (const j of journal.printJobs(tx.id).filter((p) => p.status === 'pending'))
    journal.printOutcome(j.id, false, { detail: { interrupted: true } });

  const copies = tx.copies ?? 0;
  const fee = tx.fee_yen ?? 0;
  const printed = journal
    .printJobs(tx.id)
    .filter((j) => j.kind === 'certificate' && j.status === 'done').length;
  const before = journal.cashBalance(tx.id);
  const paid = fee > 0 && before.netYen + before.escrowYen >= fee;
  const issuanceId = tx.issuance_id ?? issuedId(journal, tx.id);

  await keepEscrow(deps, tx);
  const net = journal.cashBalance(tx.id).netYen;

  // Only an IOU or an owed certificate may be handed to the resident who comes back; anything else
  // (an unknown cash movement, an uncollected fee, a journal behind the registry) waits for a technician.
  let troubled = result.needsTechnician !== null;
  let keep = 0;
  let copiesOwed = 0;
  if (issuanceId && copies > 0 && printed >= copies) {
    keep = fee;
    result.outcome = 'finalized';
  } else if (issuanceId && (paid || printed > 0)) {
    // Paid, not printed: the certificate is owed. The issuance stays open for the counter to print.
    // A copy already out is never voided, even when its money went back (a journal failure cancelled
    // the payment): the fee is then flagged as not collected for the technician.
    keep = fee;
    result.outcome = 'owed';
    result.owedCertificate = issuanceId;
    copiesOwed = copies - printed;
    journal.audit('recovery', 'certificateOwed', tx.id, { issuanceId, copiesOwed });
    result.needsTechnician ??= `certificate owed (issuance ${issuanceId})`;
  } else if (issuanceId || has(journal, tx.id, 'registry.issue', 'intent')) {
    // Not paid: void by the request's Idempotency-Key, which also finds an issuance the journal
    // never heard of, and tells whether the registry had already finalized it.
    if (!has(journal, tx.id, 'registry.voidByKey', 'done') && !has(journal, tx.id, 'registry.void', 'done')) {
      journal.step(tx.id, 'registry.voidByKey', 'intent', { issuanceId });
      const r = await registry.voidByIdempotencyKey(journal.idempotencyKey(tx.id), 'recovered');
      journal.step(tx.id, 'registry.voidByKey', 'done', { found: r.found, state: r.state });
      if (r.state === 'finalized') {
        // The registry is ahead of the journal (its tail was lost): the certificate was printed.
        journal.audit('recovery', 'journalBehindRegistry', tx.id, { issuanceId });
        keep = fee;
        result.outcome = 'finalized';
        result.needsTechnician ??= 'journal behind the registry';
        troubled = true;
      } else result.outcome = r.found ? 'voided' : 'closed';
    } else result.outcome = 'voided';
  }

  if (result.outcome === 'finalized' && !has(journal, tx.id, 'registry.finalize', 'done') && issuanceId) {
    journal.step(tx.id, 'registry.finalize', 'intent', { issuanceId });
    await registry.finalize(issuanceId);
    journal.step(tx.id, 'registry.finalize', 'done');
  }
  if (keep > 0 && net < keep) {
    journal.audit('cash', 'feeNotCollected', tx.id, { unpaidYen: keep - net });
    result.needsTechnician ??= `fee of ¥${keep - net} not collected`;
    troubled = true;
  }
  const owedYen = Math.max(0, net - keep);
  if (owedYen > 0) {
    recordIou(journal, tx.id, owedYen, issuanceId);
    result.shortYen = owedYen;
    if (result.outcome === 'closed' || result.outcome === 'voided') result.outcome = 'owed';
    result.needsTechnician ??= `IOU ¥${owedYen}`;
  }
  const cardHash = cardHashOf(journal, tx.id);
  if (!troubled && cardHash && (owedYen > 0 || copiesOwed > 0))
    result.claim = { cardHash, owedYen, issuanceId: copiesOwed > 0 ? issuanceId : null, copiesOwed };
  journal.step(tx.id, 'recovery', 'done', {
    outcome: result.outcome,
    owedYen,
    owedCertificate: result.owedCertificate,
  });
  journal.close(tx.id, 'recovered', result.outcome);
  journal.audit('recovery', result.outcome, tx.id, {
    owedYen,
    needsTechnician: result.needsTechnician !== null,
  });
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
      results.push({
        txId: tx.id,
        outcome: 'closed',
        refundedYen: 0,
        changeYen: 0,
        shortYen: 0,
        owedCertificate: null,
        claim: null,
        needsTechnician: `recovery failed: ${(e as { kind?: string }).kind ?? 'error'}`,
      });
    }
  }
  return results;
}
