// Upgrades that never lose work. Before the journal's migrations run on a journal made by an older
// version: refuse while a transaction is open or cash is in escrow (the older version's recovery
// understands its own half-finished work; the new one might not), then take a verified backup. A
// journal migrated by a newer version is refused outright. Rollback restores the pre-upgrade backup,
// and only while nothing has been journaled since the upgrade.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { migrationPlan, type Db, type MigrationPlan } from '../core/journal/db.js';
import { Journal } from '../core/journal/journal.js';
import { MIGRATIONS } from '../core/journal/migrations.js';
import { backupJournalSync, defaultBackupDir, listBackups, verifyBackup } from './backup.js';
import { JournalNewerThanApp, RestoreRefused, UpgradeRefused } from './errors.js';
import { restoreJournal } from './restore.js';

export interface UpgradeRecord {
  from: number;
  to: number;
  migrations: string[];
  backup: string;
}

/** Unfinished work that must not cross a schema upgrade. Reads only; the key is not needed. */
export function upgradeBlockers(db: Db, kioskId: string): string[] {
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
  if (!tables.has('transactions') || !tables.has('cash_movements')) return [];
  const j = new Journal(db, Buffer.alloc(32), kioskId);
  const reasons: string[] = [];
  const open = j.openTransactions();
  if (open.length) reasons.push(`${open.length} open transaction(s): ${open.map((t) => t.id).join(', ')}`);
  const escrowYen = j.cashBalance().escrowYen;
  if (escrowYen > 0) reasons.push(`¥${escrowYen} in escrow`);
  return reasons;
}

export function guardMigrations(db: Db, plan: MigrationPlan, ctx: { journalPath: string; kioskId: string; now?: Date }): UpgradeRecord | null {
  const from = Math.max(0, ...plan.applied);
  if (plan.unknown.length) throw new JournalNewerThanApp(from, plan.latest);
  // A new journal has nothing to protect.
  if (!plan.pending.length || !plan.applied.length) return null;
  const blockers = upgradeBlockers(db, ctx.kioskId);
  if (blockers.length) throw new UpgradeRefused(blockers);
  const backup = backupJournalSync(db, { journalPath: ctx.journalPath, kioskId: ctx.kioskId, dir: defaultBackupDir(ctx.journalPath), reason: 'pre-upgrade', ...(ctx.now ? { now: ctx.now } : {}) });
  if (!backup.manifest.verified) throw new UpgradeRefused([`the journal does not verify (backup ${backup.path}): ${backup.manifest.problems.slice(0, 3).join('; ')}`]);
  return { from, to: plan.latest, migrations: plan.pending.map((m) => `v${m.version} ${m.name}`), backup: backup.name };
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
    const blockers = plan.pending.length && plan.applied.length ? upgradeBlockers(db, kioskId) : [];
    const problems = [...blockers, ...(plan.unknown.length ? [`journal has schema versions this build does not know: ${plan.unknown.join(', ')}`] : [])];
    return { journalVersion: Math.max(0, ...plan.applied), appVersion: plan.latest, pending: plan.pending.map((m) => `v${m.version} ${m.name}`), unknown: plan.unknown, blockers, ok: problems.length === 0 };
  } finally {
    db.close();
  }
}

/**
 * Puts the newest pre-upgrade backup back, so that the previous version can be reinstalled. Refused
 * when anything was journaled after that backup: rolling back would lose it.
 */
export function rollbackUpgrade(journalPath: string, opts: { force?: boolean; now?: Date } = {}) {
  const backup = listBackups(defaultBackupDir(journalPath)).find((b) => b.manifest?.reason === 'pre-upgrade');
  if (!backup?.manifest) throw new RestoreRefused(`no pre-upgrade backup in ${defaultBackupDir(journalPath)}`);
  const check = verifyBackup(backup.path);
  if (!check.ok) throw new RestoreRefused(`pre-upgrade backup ${backup.name} does not verify: ${check.problems.join('; ')}`);
  const db = new Database(journalPath, { fileMustExist: true });
  let head: { last_id: number; last_hash: string } | undefined;
  let upgradeRows = 0;
  try {
    head = db.prepare('SELECT last_id, last_hash FROM audit_head WHERE one = 1').get() as typeof head;
    // The upgrade record itself is the one row allowed after the backup.
    upgradeRows = (db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE id > ? AND NOT (category = 'ops' AND event = 'upgrade')").get(backup.manifest.auditHead?.id ?? 0) as { n: number }).n;
  } finally {
    db.close();
  }
  if (upgradeRows > 0)
    throw new RestoreRefused(
      `${upgradeRows} audit row(s) were journaled after the pre-upgrade backup ${backup.name} (head now ${head?.last_id ?? 0}): a rollback would lose them. Keep this version and report the problem.`,
    );
  return { backup: backup.name, ...restoreJournal({ journalPath, backupPath: backup.path, ...(opts.force ? { force: true } : {}), ...(opts.now ? { now: opts.now } : {}), migrate: false }) };
}
