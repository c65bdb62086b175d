// Retention: closed transactions older than journal.retentionDays are deleted from the journal's
// tables, but only once their day is reconciled — a 日計表 (dailyReport) that matched the registry
// (一致) was made for it after the day's last transaction closed, the cash
// they moved was collected since, and the registry outbox holds nothing for them. A verified backup
// is taken first, and the deleted rows are listed in a 'retention/prune' audit record so that
// `journal verify` tells pruned rows from deleted ones. The audit log itself is append-only and is
// never pruned.
import type { Journal } from '../core/journal/journal.js';
import { tokyoDay } from '../technician/reports.js';
import { backupJournal, type BackupResult } from './backup.js';
import { PruneRefused } from './errors.js';
import { verifyWithRetention, type PruneRecord } from './verify.js';

export type HoldReason = 'notReconciled' | 'cashNotCollected' | 'registryPending';

export interface PrunePlan {
  cutoff: string;
  eligible: string[];
  held: Array<{ id: string; reason: HoldReason }>;
}

export function prunePlan(journal: Journal, retentionDays: number, now = new Date()): PrunePlan {
  const db = journal.db;
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  // Per day, when a 日計表 last matched the registry (一致); a mismatch or an unavailable registry does not count.
  const matchedAt = new Map<string, string>();
  for (const r of db
    .prepare("SELECT detail, at FROM technician_actions WHERE action = 'dailyReport' ORDER BY id")
    .all() as { detail: string | null; at: string }[]) {
    const d = r.detail ? (JSON.parse(r.detail) as { date?: unknown; matches?: unknown }) : {};
    if (typeof d.date === 'string' && d.matches === true) matchedAt.set(d.date, r.at);
  }
  const dayEnds = new Map<string, string>();
  for (const r of db
    .prepare('SELECT started_at, COALESCE(closed_at, started_at) AS end FROM transactions')
    .all() as { started_at: string; end: string }[]) {
    const day = tokyoDay(new Date(r.started_at));
    if ((dayEnds.get(day) ?? '') < r.end) dayEnds.set(day, r.end);
  }
  /** The day's report matched the registry after the day's last transaction had closed. */
  const reconciled = (day: string) => {
    const at = matchedAt.get(day);
    return at !== undefined && at >= (dayEnds.get(day) ?? '');
  };
  const collectedThrough = journal.getState<number>('cash.lastCollectionId') ?? 0;
  const hasOutbox = !!db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'registry_outbox'")
    .get();
  const outboxHas = hasOutbox
    ? db.prepare('SELECT 1 FROM registry_outbox WHERE issuance_id = ? LIMIT 1')
    : null;
  const lastCash = db.prepare('SELECT MAX(id) AS id FROM cash_movements WHERE tx_id = ?');
  const plan: PrunePlan = { cutoff, eligible: [], held: [] };
  const rows = db
    .prepare(
      "SELECT id, started_at, issuance_id FROM transactions WHERE status != 'open' AND closed_at IS NOT NULL AND closed_at < ? ORDER BY started_at",
    )
    .all(cutoff) as Array<{ id: string; started_at: string; issuance_id: string | null }>;
  for (const t of rows) {
    const cashId = (lastCash.get(t.id) as { id: number | null }).id;
    if (!reconciled(tokyoDay(new Date(t.started_at)))) plan.held.push({ id: t.id, reason: 'notReconciled' });
    else if (cashId !== null && cashId > collectedThrough)
      plan.held.push({ id: t.id, reason: 'cashNotCollected' });
    else if (t.issuance_id && outboxHas?.get(t.issuance_id))
      plan.held.push({ id: t.id, reason: 'registryPending' });
    else plan.eligible.push(t.id);
  }
  return plan;
}

export interface PruneResult extends PrunePlan {
  pruned: number;
  backup: BackupResult | null;
}

const CHUNK = 200;

export async function pruneJournal(
  journal: Journal,
  o: {
    journalPath: string;
    backupDir: string;
    retentionDays: number;
    keyPath?: string;
    now?: Date;
    dryRun?: boolean;
  },
): Promise<PruneResult> {
  const now = o.now ?? new Date();
  const report = verifyWithRetention(journal);
  if (!report.ok)
    throw new PruneRefused(
      `the journal does not verify; nothing is pruned from a journal under question:\n  ${report.problems.slice(0, 5).join('\n  ')}`,
    );
  const plan = prunePlan(journal, o.retentionDays, now);
  if (o.dryRun || plan.eligible.length === 0) return { ...plan, pruned: 0, backup: null };
  const backup = await backupJournal(journal.db, {
    journalPath: o.journalPath,
    kioskId: journal.kioskId,
    dir: o.backupDir,
    reason: 'pre-prune',
    now,
    ...(o.keyPath === undefined ? {} : { keyPath: o.keyPath }),
  });
  if (!backup.manifest.verified)
    throw new PruneRefused(`the pre-prune backup ${backup.path} does not verify`);
  const db = journal.db;
  const ids = (table: string, txIds: string[]) =>
    (
      db
        .prepare(`SELECT id FROM ${table} WHERE tx_id IN (${txIds.map(() => '?').join(',')}) ORDER BY id`)
        .all(...txIds) as { id: number }[]
    ).map((r) => r.id);
  db.transaction(() => {
    for (let i = 0; i < plan.eligible.length; i += CHUNK) {
      const txIds = plan.eligible.slice(i, i + CHUNK);
      const marks = txIds.map(() => '?').join(',');
      const rows: PruneRecord['rows'] = {
        steps: ids('steps', txIds),
        cash_movements: ids('cash_movements', txIds),
        print_jobs: ids('print_jobs', txIds),
        transactions: txIds,
      };
      for (const table of ['steps', 'cash_movements', 'print_jobs'])
        db.prepare(`DELETE FROM ${table} WHERE tx_id IN (${marks})`).run(...txIds);
      db.prepare(`DELETE FROM transactions WHERE id IN (${marks})`).run(...txIds);
      const record: PruneRecord = { cutoff: plan.cutoff, backup: backup.name, rows };
      journal.audit('retention', 'prune', null, record);
    }
  })();
  return { ...plan, pruned: plan.eligible.length, backup };
}
