// Restores a journal backup. The backup is checked first (file hash, integrity, hash chain with its
// key); the current journal, its -wal/-shm and its key are moved aside, never deleted, into
// <journal dir>/replaced/<time>/. Copying the backup's file is safe where copying the live journal is
// not: a backup is a closed, self-contained rollback-journal database with no -wal.
import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openJournal } from './open-journal.js';
import { BACKUP_DB, BACKUP_KEY, fsyncPath, journalKeyPath, sha256File, verifyBackup, type BackupManifest } from './backup.js';
import { RestoreRefused } from './errors.js';
import { verifyWithRetention } from './verify.js';

export interface RestoreOptions {
  journalPath: string;
  backupPath: string;
  /** Restore even though the journal has a -wal file (the kiosk may be running, or it crashed). */
  force?: boolean;
  /** Open the restored journal with this version (runs its migrations, guarded). Default true. */
  migrate?: boolean;
  now?: Date;
}

export interface RestoreResult {
  manifest: BackupManifest;
  movedAside: string | null;
  auditRows: number;
  problems: string[];
}

export function restoreJournal(o: RestoreOptions): RestoreResult {
  const keyPath = journalKeyPath(o.journalPath);
  const check = verifyBackup(o.backupPath, keyPath);
  if (!check.ok) throw new RestoreRefused(`backup ${o.backupPath} does not verify:\n  ${check.problems.join('\n  ')}`);
  if (existsSync(`${o.journalPath}-wal`) && !o.force)
    throw new RestoreRefused(
      `${o.journalPath}-wal exists: the kiosk is running or was not shut down cleanly. Stop it (systemctl stop madoguchi-kiosk) and retry; --force restores anyway and keeps the current journal with its -wal aside.`,
    );
  const dir = dirname(o.journalPath);
  let movedAside: string | null = null;
  if (existsSync(o.journalPath)) {
    movedAside = join(dir, 'replaced', (o.now ?? new Date()).toISOString().replace(/[:.]/g, '-'));
    mkdirSync(join(movedAside, 'keys'), { recursive: true, mode: 0o700 });
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(o.journalPath + suffix)) renameSync(o.journalPath + suffix, join(movedAside, BACKUP_DB + suffix));
    if (existsSync(keyPath)) copyFileSync(keyPath, join(movedAside, BACKUP_KEY));
  }
  if (check.manifest.withKey) {
    mkdirSync(dirname(keyPath), { recursive: true, mode: 0o700 });
    copyFileSync(join(o.backupPath, BACKUP_KEY), keyPath);
    fsyncPath(keyPath);
  }
  const tmp = `${o.journalPath}.restoring`;
  copyFileSync(join(o.backupPath, BACKUP_DB), tmp);
  fsyncPath(tmp);
  if (sha256File(tmp) !== check.manifest.sha256) throw new RestoreRefused(`copy of ${o.backupPath} does not match its manifest`);
  renameSync(tmp, o.journalPath);
  fsyncPath(dir);
  if (o.migrate === false) return { manifest: check.manifest, movedAside, auditRows: check.auditRows, problems: [] };
  const journal = openJournal(o.journalPath, check.manifest.kioskId);
  try {
    const report = verifyWithRetention(journal);
    return { manifest: check.manifest, movedAside, auditRows: report.auditRows, problems: report.problems };
  } finally {
    journal.db.close();
  }
}
