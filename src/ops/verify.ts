// Journal verification that knows about retention: rows pruned by `journal prune` are listed in a
// 'retention/prune' audit record (chained and head-anchored like every audit row, so it cannot be
// forged without the journal key); only those rows may be missing. Everything else is verifyJournal.
import type { Journal } from '../core/journal/journal.js';
import type { VerifyReport } from '../core/journal/verify.js';

export interface PruneRecord {
  cutoff: string;
  backup: string | null;
  rows: Record<string, Array<number | string>>;
}

/** Every `table:id` a prune record says was deleted on purpose. */
export function prunedRows(journal: Journal): Set<string> {
  const out = new Set<string>();
  for (const r of journal.db
    .prepare("SELECT detail FROM audit_log WHERE category = 'retention' AND event = 'prune' ORDER BY id")
    .iterate() as IterableIterator<{ detail: string }>) {
    const rec = JSON.parse(r.detail) as PruneRecord;
    for (const [table, ids] of Object.entries(rec.rows)) for (const id of ids) out.add(`${table}:${id}`);
  }
  return out;
}

export function verifyWithRetention(journal: Journal): VerifyReport {
  const chain = journal.verifyAudit();
  const pruned = prunedRows(journal);
  const mirrors = journal
    .verifyMirrors()
    .filter((m) => !(m.problem === 'deleted' && pruned.has(`${m.table}:${m.id}`)));
  const problems = [
    ...chain.problems.map(
      (p) => `audit_log${p.id === null ? '' : ` row ${p.id}`}: ${p.problem}: ${p.message}`,
    ),
    ...mirrors.map(
      (m) =>
        `${m.table} row ${m.id}: ${m.problem}${m.problem === 'edited' ? ' (differs from its audited copy)' : m.problem === 'deleted' ? ' (audited, now missing, not pruned)' : ' (no audited copy)'}`,
    ),
  ];
  return { ok: problems.length === 0, auditRows: chain.rows, problems };
}
