import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { openJournal } from '../../src/ops/open-journal.js';
import { verifyJournal } from '../../src/core/journal/verify.js';
import { silentLogger } from '../../src/log/logger.js';
import {
  backupJournal,
  defaultBackupDir,
  journalKeyPath,
  listBackups,
  pruneBackups,
  sha256File,
  verifyBackup,
} from '../../src/ops/backup.js';
import { RestoreRefused } from '../../src/ops/errors.js';
import { backupDue, runDailyBackup } from '../../src/ops/kiosk-ops.js';
import { restoreJournal } from '../../src/ops/restore.js';
import { dump, KIOSK, sale, tempJournalPath } from './helpers.js';

function liveJournal() {
  const path = tempJournalPath();
  const j = openJournal(path, KIOSK);
  // Keep every commit in the -wal file, as on a busy kiosk between checkpoints.
  j.db.pragma('wal_autocheckpoint = 0');
  for (let i = 0; i < 5; i++) sale(j);
  return { path, j, dir: defaultBackupDir(path) };
}

describe('journal backups', () => {
  it('takes an online backup of a live WAL journal that holds every committed row (a file copy would not)', async () => {
    const { path, j, dir } = liveJournal();
    expect(existsSync(`${path}-wal`)).toBe(true);
    const r = await backupJournal(j.db, { journalPath: path, kioskId: KIOSK, dir, reason: 'manual' });
    expect(r.manifest).toMatchObject({ reason: 'manual', verified: true, withKey: false, problems: [] });
    // The key that signs the chain is never in a backup.
    const key = readFileSync(journalKeyPath(path), 'utf8').trim();
    expect(readdirSync(r.path)).toEqual(['journal.sqlite3', 'manifest.json']);
    expect(readFileSync(join(r.path, 'journal.sqlite3')).includes(key)).toBe(false);
    const b = new Database(join(r.path, 'journal.sqlite3'), { readonly: true });
    expect(b.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(dump(b)).toEqual(dump(j.db));
    b.close();

    // Why never a file copy: the main file alone lacks the transactions still in the -wal file.
    const copy = join(mkdtempSync(join(tmpdir(), 'madoguchi-copy-')), 'copy.sqlite3');
    copyFileSync(path, copy);
    const c = new Database(copy, { readonly: true });
    const copied = (() => {
      try {
        return (c.prepare('SELECT COUNT(*) AS n FROM transactions').get() as { n: number }).n;
      } catch {
        return 0;
      }
    })();
    c.close();
    expect(copied).toBeLessThan(5);
    j.db.close();
  });

  it('restores a backup: the hash chain, head anchor and mirrors verify, the replaced journal is kept', async () => {
    const { path, j, dir } = liveJournal();
    const r = await backupJournal(j.db, { journalPath: path, kioskId: KIOSK, dir, reason: 'manual' });
    const backedUp = dump(j.db);
    sale(j); // work after the backup: it stays in the replaced journal
    j.db.close();

    expect(verifyBackup(r.path, journalKeyPath(path))).toMatchObject({ ok: true, problems: [] });
    const ownKey = readFileSync(journalKeyPath(path), 'utf8');
    const res = restoreJournal({ journalPath: path, backupPath: r.path, kioskId: KIOSK });
    expect(res.problems).toEqual([]);
    expect(res.auditRows).toBe(r.manifest.auditRows);
    expect(res.movedAside).not.toBeNull();

    const restored = openJournal(path, KIOSK);
    expect(verifyJournal(restored)).toMatchObject({ ok: true });
    expect(restored.verifyAudit().problems).toEqual([]);
    expect(dump(restored.db)).toEqual(backedUp);
    restored.db.close();
    // Nothing is lost: the journal that was replaced is kept; the kiosk keeps its key, and no copy of it lands in the data directory.
    const kept = new Database(join(res.movedAside!, 'journal.sqlite3'), { readonly: true });
    expect((kept.prepare('SELECT COUNT(*) AS n FROM transactions').get() as { n: number }).n).toBe(6);
    kept.close();
    expect(readFileSync(journalKeyPath(path), 'utf8')).toBe(ownKey);
    expect(existsSync(join(res.movedAside!, 'keys'))).toBe(false);
  });

  it('refuses a backup whose file changed, and a journal in use (-wal present) unless forced', async () => {
    const { path, j, dir } = liveJournal();
    const r = await backupJournal(j.db, { journalPath: path, kioskId: KIOSK, dir, reason: 'manual' });
    // The kiosk is still running: -wal exists.
    expect(() => restoreJournal({ journalPath: path, backupPath: r.path, kioskId: KIOSK })).toThrow(
      /-wal exists/,
    );
    j.db.close();

    // Edit a row in the backup (triggers off, as an attacker would), keeping the file valid SQLite.
    const tampered = join(dir, 'tampered');
    rmSync(tampered, { recursive: true, force: true });
    cpSync(r.path, tampered, { recursive: true });
    const t = new Database(join(tampered, 'journal.sqlite3'));
    t.exec('UPDATE transactions SET fee_yen = 0 WHERE rowid = 1');
    t.close();
    expect(verifyBackup(tampered, journalKeyPath(path)).ok).toBe(false);
    expect(() => restoreJournal({ journalPath: path, backupPath: tampered, kioskId: KIOSK })).toThrow(
      RestoreRefused,
    );
    // The same edit with the manifest hash fixed up is still caught by the hash chain and mirrors.
    const m = JSON.parse(readFileSync(join(tampered, 'manifest.json'), 'utf8')) as { sha256: string };
    m.sha256 = sha256File(join(tampered, 'journal.sqlite3'));
    writeFileSync(join(tampered, 'manifest.json'), JSON.stringify(m));
    const check = verifyBackup(tampered, journalKeyPath(path));
    expect(check.ok).toBe(false);
    expect(check.problems.join('\n')).toMatch(/transactions row .*edited/);
  });

  it('verifies a backup only with a key at hand; a restore on a machine without the key asks for it and never makes one', async () => {
    const { path, j, dir } = liveJournal();
    const r = await backupJournal(j.db, { journalPath: path, kioskId: KIOSK, dir, reason: 'manual' });
    j.db.close();
    const keyPath = journalKeyPath(path);
    expect(() => verifyBackup(r.path)).toThrow(/no journal key to verify backup .*--key FILE/);
    expect(verifyBackup(r.path, keyPath).ok).toBe(true);
    // With a different key, the head anchor is reported forged.
    const wrong = join(mkdtempSync(join(tmpdir(), 'k-')), 'journal.key');
    writeFileSync(wrong, Buffer.alloc(32, 7).toString('base64'));
    expect(verifyBackup(r.path, wrong).problems.join()).toMatch(/head-forged/);

    // The machine was replaced: the data came back, the key is on the technician's medium (any mode there).
    const carried = join(mkdtempSync(join(tmpdir(), 'usb-')), 'journal.key');
    renameSync(keyPath, carried);
    chmodSync(carried, 0o644);
    expect(() =>
      restoreJournal({ journalPath: path, backupPath: r.path, kioskId: KIOSK, force: true }),
    ).toThrow(/no journal key at .*--key FILE.*never makes a new key/);
    expect(existsSync(keyPath)).toBe(false);
    expect(() =>
      restoreJournal({ journalPath: path, backupPath: r.path, kioskId: KIOSK, force: true, keyFile: wrong }),
    ).toThrow(/does not verify with the key .*head-forged/);
    expect(existsSync(keyPath)).toBe(false);
    const res = restoreJournal({
      journalPath: path,
      backupPath: r.path,
      kioskId: KIOSK,
      force: true,
      keyFile: carried,
    });
    expect(res.problems).toEqual([]);
    // The key handed over is now the kiosk's, readable by its owner only.
    expect(readFileSync(keyPath, 'utf8')).toBe(readFileSync(carried, 'utf8'));
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
  });

  it('keeps backups for keepDays, never deleting the newest', async () => {
    const { path, j, dir } = liveJournal();
    const day = (d: number) => new Date(Date.parse('2026-11-01T00:00:00Z') + d * 86_400_000);
    for (const d of [0, 1, 2, 10])
      await backupJournal(j.db, { journalPath: path, kioskId: KIOSK, dir, reason: 'daily', now: day(d) });
    expect(pruneBackups(dir, 7, day(11)).length).toBe(3);
    expect(listBackups(dir).map((b) => b.manifest?.createdAt)).toEqual([day(10).toISOString()]);
    expect(pruneBackups(dir, 1, day(100))).toEqual([]);
    expect(listBackups(dir)).toHaveLength(1);
    j.db.close();
  });

  it('takes the daily backup once per Tokyo day, after the configured hour', async () => {
    expect(backupDue(null, new Date('2026-11-26T17:00:00Z'), 3)).toBe(false); // 02:00 JST
    expect(backupDue(null, new Date('2026-11-26T18:30:00Z'), 3)).toBe(true); // 03:30 JST
    expect(backupDue('2026-11-26T18:30:00Z', new Date('2026-11-27T05:00:00Z'), 3)).toBe(false); // same JST day
    expect(backupDue('2026-11-26T18:30:00Z', new Date('2026-11-27T18:10:00Z'), 3)).toBe(true);

    const { path, j } = liveJournal();
    const config = parseConfig({ journal: { backup: { keepDays: 2 } } });
    const at = (iso: string) =>
      runDailyBackup({ config, journalPath: path, journal: j, log: silentLogger, now: new Date(iso) });
    expect(await at('2026-11-26T18:30:00Z')).not.toBeNull();
    expect(await at('2026-11-26T20:00:00Z')).toBeNull();
    expect(await at('2026-11-27T18:30:00Z')).not.toBeNull();
    expect(await at('2026-11-30T18:30:00Z')).not.toBeNull();
    expect(listBackups(defaultBackupDir(path)).map((b) => b.manifest?.createdAt)).toEqual([
      '2026-11-30T18:30:00.000Z',
    ]);
    j.db.close();
  });

  it("refuses another kiosk's backup unless a technician overrides with a reason (journaled), and one no key at hand verifies always", async () => {
    // This kiosk's journal and key.
    const { path, j } = liveJournal();
    j.db.close();
    const ownKey = readFileSync(journalKeyPath(path), 'utf8');
    // A journal of another machine, with its own key.
    const other = liveJournal();
    const foreign = await backupJournal(other.j.db, {
      journalPath: other.path,
      kioskId: 'K-OTHER',
      dir: other.dir,
      reason: 'manual',
    });
    const sameIdOtherKey = await backupJournal(other.j.db, {
      journalPath: other.path,
      kioskId: KIOSK,
      dir: other.dir,
      reason: 'manual',
      now: new Date(Date.now() + 1000),
    });
    other.j.db.close();
    const otherKey = journalKeyPath(other.path);
    expect(() =>
      restoreJournal({ journalPath: path, backupPath: foreign.path, kioskId: KIOSK, force: true }),
    ).toThrow(/of kiosk K-OTHER, not of this kiosk/);
    // A backup this kiosk's key does not verify is refused, override or not.
    for (const override of [undefined, { reason: 'trust me' }])
      expect(() =>
        restoreJournal({
          journalPath: path,
          backupPath: sameIdOtherKey.path,
          kioskId: KIOSK,
          force: true,
          ...(override ? { override } : {}),
        }),
      ).toThrow(/does not verify with this kiosk's journal key/);
    expect(readFileSync(journalKeyPath(path), 'utf8')).toBe(ownKey);

    // The other machine's journal with the key it was written with, for a stated reason.
    const res = restoreJournal({
      journalPath: path,
      backupPath: foreign.path,
      kioskId: KIOSK,
      force: true,
      keyFile: otherKey,
      override: { reason: 'main board replaced, journal moved from the old unit' },
    });
    expect(res.problems).toEqual([]);
    expect(readFileSync(journalKeyPath(path), 'utf8')).toBe(readFileSync(otherKey, 'utf8'));
    // The key it replaced is kept beside it, not deleted.
    const dirOfKey = join(journalKeyPath(path), '..');
    const aside = readdirSync(dirOfKey).filter((n) => n.startsWith('journal.key.replaced-'));
    expect(aside.map((n) => readFileSync(join(dirOfKey, n), 'utf8'))).toEqual([ownKey]);
    const restored = openJournal(path, KIOSK);
    const row = restored.db
      .prepare("SELECT technician, action, detail FROM technician_actions WHERE action = 'restoreOverride'")
      .get() as { technician: string; detail: string };
    expect(JSON.parse(row.detail)).toMatchObject({
      reason: 'main board replaced, journal moved from the old unit',
      refusal: expect.stringMatching(/K-OTHER/),
    });
    restored.db.close();
  });
});
