// Upgrades that never lose work. Before the journal's migrations run on a journal made by an older
// version: refuse while a transaction is open or cash is in escrow (the older version's recovery
// understands its own half-finished work; the new one might not), then take a verified backup. A
// journal migrated by a newer version is refused outright. Rollback (rollback.ts) restores the
// pre-upgrade backup.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { migrationPlan, type Db, type MigrationPlan } from '../core/journal/db.js';
import { Journal } from '../core/journal/journal.js';
import { MIGRATIONS } from '../core/journal/migrations.js';
import { backupJournalSync, defaultBackupDir } from './backup.js';
import { JournalNewerThanApp, UpgradeRefused } from './errors.js';

export interface UpgradeRecord {
  from: number;
  to: number;
  migrations: string[];
  backup: string;
}

/**
 * Unfinished work that must not cross an upgrade: open transactions, cash in escrow or a cash
 * movement whose result is unknown, IOU slips the resident never got, registry messages not yet
 * delivered. Reads only; the key is not needed.
 */
export function upgradeBlockers(db: Db, kioskId: string): string[] {
  const tables = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (r) => r.name,
    ),
  );
  if (!tables.has('transactions') || !tables.has('cash_movements')) return [];
  const j = new Journal(db, Buffer.alloc(32), kioskId);
  const reasons: string[] = [];
  const open = j.openTransactions();
  if (open.length) reasons.push(`${open.length} open transaction(s): ${open.map((t) => t.id).join(', ')}`);
  const escrowYen = j.cashBalance().escrowYen;
  if (escrowYen > 0) reasons.push(`¥${escrowYen} in escrow`);
  const unknown = db
    .prepare(
      "SELECT COUNT(*) AS n FROM cash_movements c WHERE phase = 'intent' AND NOT EXISTS (SELECT 1 FROM cash_movements o WHERE o.intent_id = c.id)",
    )
    .get() as { n: number };
  if (unknown.n) reasons.push(`${unknown.n} cash movement(s) with no recorded result`);
  if (tables.has('print_jobs')) {
    const iou = db
      .prepare("SELECT COUNT(*) AS n FROM print_jobs WHERE kind = 'iou' AND status != 'done'")
      .get() as { n: number };
    if (iou.n) reasons.push(`${iou.n} IOU slip(s) not printed`);
  }
  if (tables.has('registry_outbox')) {
    const pending = db
      .prepare(
        "SELECT kind, COUNT(*) AS n FROM registry_outbox WHERE state = 'pending' AND kind != 'heartbeat' GROUP BY kind ORDER BY kind",
      )
      .all() as { kind: string; n: number }[];
    if (pending.length)
      reasons.push(
        `registry messages not yet delivered: ${pending.map((p) => `${p.n} ${p.kind}`).join(', ')}`,
      );
    const dead = db
      .prepare("SELECT COUNT(*) AS n FROM registry_outbox WHERE state = 'dead' AND kind != 'heartbeat'")
      .get() as { n: number };
    if (dead.n)
      reasons.push(
        `${dead.n} registry message(s) the registry refused (to be settled with the registry first)`,
      );
  }
  return reasons;
}

export function guardMigrations(
  db: Db,
  plan: MigrationPlan,
  ctx: { journalPath: string; keyPath: string; kioskId: string; now?: Date },
): UpgradeRecord | null {
  const from = Math.max(0, ...plan.applied);
  if (plan.unknown.length) throw new JournalNewerThanApp(from, plan.latest);
  // A new journal has nothing to protect.
  if (!plan.pending.length || !plan.applied.length) return null;
  const blockers = upgradeBlockers(db, ctx.kioskId);
  if (blockers.length) throw new UpgradeRefused(blockers);
  const backup = backupJournalSync(db, {
    journalPath: ctx.journalPath,
    keyPath: ctx.keyPath,
    kioskId: ctx.kioskId,
    dir: defaultBackupDir(ctx.journalPath),
    reason: 'pre-upgrade',
    ...(ctx.now ? { now: ctx.now } : {}),
  });
  if (!backup.manifest.verified)
    throw new UpgradeRefused([
      `the journal does not verify (backup ${backup.path}): ${backup.manifest.problems.slice(0, 3).join('; ')}`,
    ]);
  return {
    from,
    to: plan.latest,
    migrations: plan.pending.map((m) => `v${m.version} ${m.name}`),
    backup: backup.name,
  };
}

export interface UpgradeCheck {
  journalVersion: number;
  appVersion: number;
  pending: string[];
  unknown: number[];
  blockers: string[];
  ok: boolean;
}

/** What starting this version would do to the journal, without migrating it. */
export function upgradeCheck(journalPath: string, kioskId: string): UpgradeCheck {
  if (!existsSync(journalPath)) {
    const latest = Math.max(...MIGRATIONS.map((m) => m.version));
    return { journalVersion: 0, appVersion: latest, pending: [], unknown: [], blockers: [], ok: true };
  }
  const db = new Database(journalPath, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const plan = migrationPlan(db, MIGRATIONS);
    // Whatever the migrations: an upgrade restarts the kiosk, and unfinished work must be settled first.
    const blockers = plan.applied.length ? upgradeBlockers(db, kioskId) : [];
    const problems = [
      ...blockers,
      ...(plan.unknown.length
        ? [`journal has schema versions this build does not know: ${plan.unknown.join(', ')}`]
        : []),
    ];
    return {
      journalVersion: Math.max(0, ...plan.applied),
      appVersion: plan.latest,
      pending: plan.pending.map((m) => `v${m.version} ${m.name}`),
      unknown: plan.unknown,
      blockers,
      ok: problems.length === 0,
    };
  } finally {
    db.close();
  }
}
