import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openJournalDb } from '../../src/core/journal/db.js';
import { Journal } from '../../src/core/journal/journal.js';
import { loadOrCreateKey } from '../../src/core/journal/keys.js';
import { defaultJournalKeyPath } from '../../src/config/load.js';
import { verifyJournal } from '../../src/core/journal/verify.js';
import { defaultBackupDir, verifyBackup } from '../../src/ops/backup.js';
import { PruneRefused } from '../../src/ops/errors.js';
import { prunePlan, pruneJournal } from '../../src/ops/prune.js';
import { verifyWithRetention } from '../../src/ops/verify.js';
import { KIOSK, sale, tempJournalPath } from './helpers.js';

const NOW = new Date('2026-11-26T03:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
const tokyo = (d: Date) => new Date(d.getTime() + 9 * 3600_000).toISOString().slice(0, 10);

/** Sales on old days and one recent: day 500 reconciled (一致) and collected, 450 reconciled but not collected, 440 不一致, 430 a sale after its report, 420 no report. */
function history() {
  const path = tempJournalPath();
  let clock = daysAgo(500);
  const db = openJournalDb(path);
  const j = new Journal(db, loadOrCreateKey(defaultJournalKeyPath(path)), KIOSK, () => clock);
  const old = [sale(j), sale(j)];
  j.technicianAction({
    technician: 'T-01',
    role: 'operator',
    action: 'dailyReport',
    detail: { date: tokyo(clock), printed: true, issuances: 2, feeYen: 600, matches: true },
  });
  const lastCash = (db.prepare('SELECT MAX(id) AS id FROM cash_movements').get() as { id: number }).id;
  j.setState('cash.lastCollectionId', lastCash);
  clock = daysAgo(450);
  const uncollected = sale(j);
  j.technicianAction({
    technician: 'T-01',
    role: 'operator',
    action: 'dailyReport',
    detail: { date: tokyo(clock), printed: false, issuances: 1, feeYen: 300, matches: true },
  });
  clock = daysAgo(440);
  // 不一致: the day's report did not match the registry.
  const mismatched = sale(j);
  j.technicianAction({
    technician: 'T-01',
    role: 'operator',
    action: 'dailyReport',
    detail: { date: tokyo(clock), printed: true, issuances: 1, feeYen: 300, matches: false },
  });
  clock = daysAgo(430);
  // A matching report, then another sale the same day: the report no longer covers the day.
  const beforeReport = sale(j);
  j.technicianAction({
    technician: 'T-01',
    role: 'operator',
    action: 'dailyReport',
    detail: { date: tokyo(clock), printed: true, issuances: 1, feeYen: 300, matches: true },
  });
  clock = new Date(clock.getTime() + 60_000);
  const afterReport = sale(j);
  clock = daysAgo(420);
  const unreconciled = sale(j);
  clock = daysAgo(3);
  const recent = sale(j);
  clock = NOW;
  return { path, j, old, uncollected, unreconciled, recent, mismatched, beforeReport, afterReport };
}

describe('retention', () => {
  it('prunes only reconciled, collected days past retentionDays, after a verified backup', async () => {
    const { path, j, old, uncollected, unreconciled, recent, mismatched, beforeReport, afterReport } =
      history();
    const plan = prunePlan(j, 400, NOW);
    expect(plan.eligible.sort()).toEqual([...old].sort());
    expect(plan.held).toEqual(
      expect.arrayContaining([
        { id: uncollected, reason: 'cashNotCollected' },
        { id: unreconciled, reason: 'notReconciled' },
        { id: mismatched, reason: 'notReconciled' },
        { id: beforeReport, reason: 'notReconciled' },
        { id: afterReport, reason: 'notReconciled' },
      ]),
    );
    expect(plan.held.map((h) => h.id)).not.toContain(recent);

    const dry = await pruneJournal(j, {
      journalPath: path,
      backupDir: defaultBackupDir(path),
      retentionDays: 400,
      now: NOW,
      dryRun: true,
    });
    expect(dry.pruned).toBe(0);
    expect(j.transaction(old[0]!)).toBeDefined();

    const r = await pruneJournal(j, {
      journalPath: path,
      backupDir: defaultBackupDir(path),
      retentionDays: 400,
      now: NOW,
    });
    expect(r.pruned).toBe(2);
    for (const id of old) {
      expect(j.transaction(id)).toBeUndefined();
      expect(j.steps(id)).toEqual([]);
      expect(j.cashRows(id)).toEqual([]);
    }
    for (const id of [uncollected, unreconciled, recent]) expect(j.transaction(id)).toBeDefined();

    // Plain verification sees deleted rows; the retention-aware one knows they were pruned.
    expect(verifyJournal(j).ok).toBe(false);
    expect(verifyWithRetention(j)).toMatchObject({ ok: true });
    // The pre-prune backup still holds them and verifies.
    expect(verifyBackup(r.backup!.path, defaultJournalKeyPath(path)).ok).toBe(true);
    const b = new Database(join(r.backup!.path, 'journal.sqlite3'), { readonly: true });
    expect((b.prepare('SELECT COUNT(*) AS n FROM transactions').get() as { n: number }).n).toBe(8);
    b.close();

    // A row deleted outside of pruning is still caught.
    j.db.prepare('DELETE FROM steps WHERE tx_id = ?').run(recent);
    expect(verifyWithRetention(j).problems.join('\n')).toMatch(
      /steps row \d+: deleted \(audited, now missing, not pruned\)/,
    );
    j.db.close();
  });

  it('refuses to prune a journal that does not verify', async () => {
    const { path, j } = history();
    j.db.prepare('UPDATE transactions SET fee_yen = 1 WHERE rowid = 1').run();
    await expect(
      pruneJournal(j, { journalPath: path, backupDir: defaultBackupDir(path), retentionDays: 400, now: NOW }),
    ).rejects.toThrow(PruneRefused);
    j.db.close();
  });
});
