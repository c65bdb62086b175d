// The ledger invariant (docs/transaction.md), checked over every closed transaction:
//
//   money:     yen in = fees kept + change paid + refunds paid (coins and returned bills) + IOUs owed
//   issuance:  exactly one of printed-and-finalized, voided, or owed to the resident
//
// An open transaction is not judged (recovery has yet to settle it), nor one whose cash
// movement has an unknown outcome (a technician counts it): both are reported as unresolved.
import type { Journal, TxRow } from './journal.js';

export interface LedgerViolation {
  txId: string;
  problem: string;
}

export interface LedgerReport {
  ok: boolean;
  transactions: number;
  unresolved: number;
  violations: LedgerViolation[];
  /** Totals over the judged transactions, for the report line. */
  yenIn: number;
  feesKept: number;
  paidOut: number;
  iouYen: number;
}

interface TxLedger {
  yenIn: number;
  returned: number;
  paidOut: number;
  iouYen: number;
  feeNotCollected: number;
  unknown: boolean;
}

function auditSum(journal: Journal, txId: string, category: string, event: string, field: string): number {
  let sum = 0;
  for (const r of journal.db
    .prepare('SELECT detail FROM audit_log WHERE tx_id = ? AND category = ? AND event = ?')
    .all(txId, category, event) as { detail: string | null }[]) {
    const d = r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : {};
    if (typeof d[field] === 'number') sum += d[field] as number;
  }
  return sum;
}

function moneyOf(journal: Journal, txId: string): TxLedger {
  const l: TxLedger = { yenIn: 0, returned: 0, paidOut: 0, iouYen: 0, feeNotCollected: 0, unknown: false };
  for (const r of journal.cashRows(txId)) {
    if (r.phase === 'failed' && r.detail?.startsWith('outcome unknown')) l.unknown = true;
    if (r.phase !== 'done') continue;
    const yen = r.yen * r.count;
    if (r.kind === 'accept') l.yenIn += yen;
    else if (r.kind === 'return') l.returned += yen;
    else if (r.kind === 'change' || r.kind === 'refund' || r.kind === 'payout') l.paidOut += yen;
  }
  // An IOU the resident came back for (card and PIN) and was paid is no longer owed.
  l.iouYen =
    auditSum(journal, txId, 'cash', 'iou', 'owedYen') - auditSum(journal, txId, 'cash', 'iouPaid', 'paidYen');
  l.feeNotCollected = auditSum(journal, txId, 'cash', 'feeNotCollected', 'unpaidYen');
  return l;
}

type IssuanceEnd = 'printedAndFinalized' | 'voided' | 'owed';

function issuanceEnds(
  journal: Journal,
  tx: TxRow,
): {
  issued: boolean;
  ends: IssuanceEnd[];
  printed: number;
  finalized: boolean;
  voided: boolean;
  behind: boolean;
} {
  const steps = journal.steps(tx.id);
  const done = (name: string) => steps.filter((s) => s.step === name && s.phase === 'done');
  const voidByKey = done('registry.voidByKey').map((s) =>
    s.detail ? (JSON.parse(s.detail) as { found?: boolean; state?: string | null }) : {},
  );
  const issued =
    tx.issuance_id !== null || done('registry.issue').length > 0 || voidByKey.some((v) => v.found);
  const printed = new Set(
    journal
      .printJobs(tx.id)
      .filter((j) => j.kind === 'certificate' && j.status === 'done')
      .map((j) => j.copy_index),
  ).size;
  const finalized = done('registry.finalize').length > 0;
  const voided =
    done('registry.void').length > 0 || voidByKey.some((v) => v.found && v.state !== 'finalized');
  // Copies owed, less those reprinted for the resident who came back for them.
  const copiesOwed = (event: string, field: string) =>
    (
      journal.db.prepare('SELECT detail FROM audit_log WHERE tx_id = ? AND event = ?').all(tx.id, event) as {
        detail: string | null;
      }[]
    ).reduce(
      (n, r) => n + (((r.detail ? JSON.parse(r.detail) : {}) as Record<string, number>)[field] ?? 0),
      0,
    );
  const owed = copiesOwed('certificateOwed', 'copiesOwed') - copiesOwed('certificateDelivered', 'copies') > 0;
  // Recovery found the registry ahead of a journal that lost its tail: printed, as far as anyone can know.
  const behind = !!journal.db
    .prepare(
      "SELECT 1 FROM audit_log WHERE tx_id = ? AND category = 'recovery' AND event = 'journalBehindRegistry'",
    )
    .get(tx.id);
  const ends: IssuanceEnd[] = [];
  if (finalized && (printed >= (tx.copies ?? 1) || behind)) ends.push('printedAndFinalized');
  if (voided) ends.push('voided');
  if (owed) ends.push('owed');
  return { issued, ends, printed, finalized, voided, behind };
}

/** Checks one closed transaction; returns its problems (empty when it balances). */
export function checkTransaction(
  journal: Journal,
  tx: TxRow,
): { unresolved: boolean; problems: string[]; money: TxLedger; feesKept: number } {
  const problems: string[] = [];
  const money = moneyOf(journal, tx.id);
  const iss = issuanceEnds(journal, tx);
  if (iss.issued) {
    if (iss.ends.length !== 1)
      problems.push(
        `issuance ends ${iss.ends.length ? iss.ends.join(' and ') : 'in none of printed-and-finalized, voided, owed'}`,
      );
    if (iss.finalized && iss.voided) problems.push('issuance both finalized and voided');
    if (iss.printed > 0 && iss.voided)
      problems.push(
        `issuance voided after ${iss.printed} cop${iss.printed === 1 ? 'y was' : 'ies were'} printed`,
      );
    if (iss.finalized && iss.printed < (tx.copies ?? 1) && !iss.behind)
      problems.push(`issuance finalized with ${iss.printed} of ${tx.copies ?? 1} copies printed`);
  }
  const keepsFee =
    iss.ends.includes('printedAndFinalized') || iss.ends.includes('owed') || (iss.finalized && !iss.voided);
  const feesKept = keepsFee ? (tx.fee_yen ?? 0) - money.feeNotCollected : 0;
  if (!money.unknown) {
    const out = feesKept + money.paidOut + money.returned + money.iouYen;
    if (money.yenIn !== out)
      problems.push(
        `yen in ¥${money.yenIn} ≠ fees kept ¥${feesKept} + paid out ¥${money.paidOut} + bills returned ¥${money.returned} + IOUs ¥${money.iouYen}`,
      );
  }
  return { unresolved: money.unknown, problems, money, feesKept };
}

export function checkLedger(journal: Journal): LedgerReport {
  const report: LedgerReport = {
    ok: true,
    transactions: 0,
    unresolved: 0,
    violations: [],
    yenIn: 0,
    feesKept: 0,
    paidOut: 0,
    iouYen: 0,
  };
  for (const tx of journal.db
    .prepare("SELECT * FROM transactions WHERE status != 'open' ORDER BY started_at")
    .all() as TxRow[]) {
    report.transactions++;
    const c = checkTransaction(journal, tx);
    if (c.unresolved) report.unresolved++;
    for (const problem of c.problems) report.violations.push({ txId: tx.id, problem });
    report.yenIn += c.money.yenIn;
    report.feesKept += c.feesKept;
    report.paidOut += c.money.paidOut + c.money.returned;
    report.iouYen += c.money.iouYen;
  }
  report.ok = report.violations.length === 0;
  return report;
}
