import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { defaultJournalKeyPath } from '../../src/config/load.js';
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../src/core/journal/db.js';
import { MIGRATIONS } from '../../src/core/journal/migrations.js';
import { openJournal } from '../../src/ops/open-journal.js';
import { defaultBackupDir, listBackups, verifyBackup } from '../../src/ops/backup.js';
import { JournalNewerThanApp, RestoreRefused, UpgradeRefused } from '../../src/ops/errors.js';
import { rollbackUpgrade } from '../../src/ops/rollback.js';
import { upgradeCheck } from '../../src/ops/upgrade.js';
import { verifyWithRetention } from '../../src/ops/verify.js';
import { dump, journalAt, KIOSK, sale, tempJournalPath } from './helpers.js';

const LATEST = Math.max(...MIGRATIONS.map((m) => m.version));

function v1Journal() {
  const path = tempJournalPath();
  const j = journalAt(path, 1);
  const txs = [sale(j), sale(j), sale(j)];
  j.technicianAction({ technician: 'T-01', role: 'operator', action: 'cash.collect', detail: { yen: 3000 } });
  j.setState('outOfService', null);
  const before = dump(j.db);
  j.db.close();
  return { path, txs, before };
}

describe('upgrade of a journal made by an older schema', () => {
  it('migrates v1 to the latest version after a verified backup, and every row survives', () => {
    const { path, before } = v1Journal();
    expect(upgradeCheck(path, KIOSK)).toMatchObject({
      journalVersion: 1,
      appVersion: LATEST,
      ok: true,
      blockers: [],
    });
    expect(upgradeCheck(path, KIOSK).pending.length).toBe(LATEST - 1);

    const j = openJournal(path, KIOSK);
    expect(schemaVersion(j.db)).toBe(LATEST);
    const after = dump(j.db);
    for (const [table, rows] of Object.entries(before)) {
      if (table === 'schema_migrations') expect(after[table]!.slice(0, rows.length)).toEqual(rows);
      else if (table === 'audit_log') expect(after[table]!.slice(0, rows.length)).toEqual(rows);
      else if (table === 'audit_head')
        continue; // moves on with the upgrade record
      else expect(after[table]).toEqual(rows);
    }
    // The upgrade itself is the one new audit row, and the chain still verifies.
    const added = (after.audit_log as Array<{ category: string; event: string; detail: string }>).slice(
      before.audit_log!.length,
    );
    expect(added.map((r) => `${r.category}/${r.event}`)).toEqual(['ops/upgrade', 'journal/mirrorsAdopted']);
    expect(JSON.parse(added[0]!.detail)).toMatchObject({ from: 1, to: LATEST });
    expect(verifyWithRetention(j)).toMatchObject({ ok: true });
    j.db.close();

    const backups = listBackups(defaultBackupDir(path));
    expect(backups.map((b) => b.manifest?.reason)).toEqual(['pre-upgrade']);
    expect(backups[0]!.manifest).toMatchObject({ schemaVersion: 1, verified: true, withKey: false });
    expect(verifyBackup(backups[0]!.path, defaultJournalKeyPath(path)).ok).toBe(true);
    // The backup holds exactly the v1 rows.
    const b = new Database(`${backups[0]!.path}/journal.sqlite3`, { readonly: true });
    expect(dump(b)).toEqual(before);
    b.close();

    // A second start has nothing to migrate and takes no further backup.
    openJournal(path, KIOSK).db.close();
    expect(listBackups(defaultBackupDir(path))).toHaveLength(1);
  });

  it('refuses to migrate while a transaction is open, leaving the journal untouched', () => {
    const path = tempJournalPath();
    const j = journalAt(path, 1);
    sale(j);
    const open = sale(j, { close: false });
    const before = dump(j.db);
    j.db.close();
    expect(upgradeCheck(path, KIOSK)).toMatchObject({ ok: false });
    expect(upgradeCheck(path, KIOSK).blockers[0]).toContain(open);
    expect(() => openJournal(path, KIOSK)).toThrow(UpgradeRefused);
    const db = new Database(path);
    expect(schemaVersion(db)).toBe(1);
    expect(dump(db)).toEqual(before);
    db.close();
    expect(existsSync(defaultBackupDir(path))).toBe(false);
  });

  it('refuses to migrate while cash is in escrow', () => {
    const path = tempJournalPath();
    const j = journalAt(path, 1);
    const tx = sale(j, { escrowOnly: true, close: false });
    j.close(tx, 'failed', 'crashed with a bill in escrow');
    expect(j.cashBalance().escrowYen).toBe(1000);
    j.db.close();
    const e = (() => {
      try {
        openJournal(path, KIOSK);
      } catch (err) {
        return err as UpgradeRefused;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(UpgradeRefused);
    expect(e!.kind).toBe('upgradeRefused');
    expect(e!.reasons).toEqual(['¥1000 in escrow']);
  });

  it('refuses a journal migrated by a newer version', () => {
    const path = tempJournalPath();
    const j = openJournal(path, KIOSK);
    j.db
      .prepare(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from the future', '2030-01-01')",
      )
      .run();
    j.db.close();
    expect(() => openJournal(path, KIOSK)).toThrow(JournalNewerThanApp);
    expect(upgradeCheck(path, KIOSK)).toMatchObject({ ok: false, unknown: [99] });
  });

  it('rolls back to the pre-upgrade backup while nothing new was journaled, and refuses after', () => {
    const { path, before } = v1Journal();
    openJournal(path, KIOSK).db.close();
    const r = rollbackUpgrade(path);
    expect(r.manifest.schemaVersion).toBe(1);
    expect(r.movedAside).not.toBeNull();
    const db = new Database(path);
    expect(dump(db)).toEqual(before);
    db.close();

    // Upgrade again, then sell: now a rollback would lose that sale.
    const j = openJournal(path, KIOSK);
    sale(j);
    j.db.close();
    expect(() => rollbackUpgrade(path)).toThrow(RestoreRefused);
  });

  it('the check reports every blocker from the journal, also when no migration is pending', () => {
    const path = tempJournalPath();
    const j = openJournal(path, KIOSK);
    const open = sale(j, { close: false });
    const iouTx = sale(j);
    j.printOutcome(j.printIntent({ txId: iouTx, kind: 'iou' }), false);
    j.intent({ transactionId: iouTx, kind: 'refund', device: 'hopper.100', yen: 100, count: 2 });
    j.db
      .prepare(
        "INSERT INTO registry_outbox (kind, issuance_id, payload, created_at) VALUES ('finalize', 'ISS-x', '{}', '2026-11-30T00:00:00Z'), ('heartbeat', NULL, '{}', '2026-11-30T00:00:00Z')",
      )
      .run();
    j.db.close();
    const c = upgradeCheck(path, KIOSK);
    expect(c.pending).toEqual([]);
    expect(c.ok).toBe(false);
    expect(c.blockers).toEqual([
      `1 open transaction(s): ${open}`,
      '1 cash movement(s) with no recorded result',
      '1 IOU slip(s) not printed',
      'registry messages not yet delivered: 1 finalize',
    ]);
  });

  it("rolls back after the manual's own steps: the upgrade, the check, a technician's login and status", () => {
    const { path, before } = v1Journal();
    const j = openJournal(path, KIOSK);
    // What docs/OPERATIONS.md's upgrade steps journal on the new version before it serves anyone.
    j.technicianAction({ technician: 'T-01', role: 'engineer', action: 'login', detail: { method: 'card' } });
    j.technicianAction({ technician: 'T-01', role: 'engineer', action: 'status' });
    j.setState('outOfService', { message: '点検中' });
    j.db.close();
    const r = rollbackUpgrade(path);
    // The upgrade record, the first copy of the kiosk state's rows, two technician actions, the state.
    expect(r.setAside).toBe(5);
    const db = new Database(path);
    expect(dump(db)).toEqual(before);
    db.close();
  });
});
