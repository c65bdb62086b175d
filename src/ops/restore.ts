// Restores a journal backup. The backup is checked first: it must be this kiosk's (its id) and its
// file hash, integrity and hash chain must verify with this kiosk's own journal key — a key shipped
// inside a backup proves nothing. A technician may override either refusal with a reason, which is
// journaled in the restored journal; the backup must still verify with its own key. The current journal, its -wal/-shm and its key are moved aside, never deleted, into
// <journal dir>/replaced/<time>/. Copying the backup's file is safe where copying the live journal is
// not: a backup is a closed, self-contained rollback-journal database with no -wal.
import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openJournal } from './open-journal.js';
import {
  BACKUP_DB,
  BACKUP_KEY,
  fsyncPath,
  journalKeyPath,
  readManifest,
  sha256File,
  verifyBackup,
  type BackupManifest,
} from './backup.js';
import { RestoreRefused } from './errors.js';
import { verifyWithRetention } from './verify.js';

export interface RestoreOptions {
  journalPath: string;
  backupPath: string;
  /** Restore even though the journal has a -wal file (the kiosk may be running, or it crashed). */
  force?: boolean;
  /** Open the restored journal with this version (runs its migrations, guarded). Default true. */
  migrate?: boolean;
  /** This kiosk's id (configuration): a backup of another kiosk is refused without an override. */
  kioskId: string;
  /** Restore a foreign backup, or one that does not verify with this kiosk's key, for this reason (journaled). */
  override?: { reason: string };
  now?: Date;
}

export interface RestoreResult {
  manifest: BackupManifest;
  movedAside: string | null;
  auditRows: number;
  problems: string[];
}

/** The backup's check against this kiosk; what was overridden, if anything. */
function checkBackup(
  o: RestoreOptions,
  keyPath: string,
): { check: ReturnType<typeof verifyBackup>; overridden: string | null } {
  const refusals: string[] = [];
  const own = readManifest(o.backupPath);
  if (own.kioskId !== o.kioskId)
    refusals.push(`the backup is of kiosk ${own.kioskId}, not of this kiosk ${o.kioskId}`);
  let check: ReturnType<typeof verifyBackup> | null = null;
  if (existsSync(keyPath)) {
    check = verifyBackup(o.backupPath, keyPath, { kioskKeyOnly: true });
    if (!check.ok)
      refusals.push(
        `it does not verify with this kiosk's journal key: ${check.problems.slice(0, 3).join('; ')}`,
      );
  } else refusals.push(`this kiosk has no journal key at ${keyPath} to verify it with`);
  if (refusals.length === 0 && check) return { check, overridden: null };
  if (!o.override)
    throw new RestoreRefused(
      `backup ${o.backupPath} refused: ${refusals.join('; ')}. A technician who knows why may restore it with --override-reason "<why>" (journaled).`,
    );
  // Overridden: the backup must still be intact and verify with the key it carries.
  const self = verifyBackup(o.backupPath, keyPath);
  if (!self.ok)
    throw new RestoreRefused(
      `backup ${o.backupPath} does not verify even with its own key:\n  ${self.problems.join('\n  ')}`,
    );
  return { check: self, overridden: refusals.join('; ') };
}

export function restoreJournal(o: RestoreOptions): RestoreResult {
  const keyPath = journalKeyPath(o.journalPath);
  const { check, overridden } = checkBackup(o, keyPath);
  if (existsSync(`${o.journalPath}-wal`) && !o.force)
    throw new RestoreRefused(
      `${o.journalPath}-wal exists: the kiosk is running or was not shut down cleanly. Stop it (systemctl stop madoguchi-kiosk) and retry; --force restores anyway and keeps the current journal with its -wal aside.`,
    );
  const dir = dirname(o.journalPath);
  let movedAside: string | null = null;
  if (existsSync(o.journalPath)) {
    movedAside = join(dir, 'replaced', (o.now ?? new Date()).toISOString().replace(/[:.]/g, '-'));
    mkdirSync(join(movedAside, 'keys'), { recursive: true, mode: 0o700 });
    for (const suffix of ['', '-wal', '-shm'])
      if (existsSync(o.journalPath + suffix))
        renameSync(o.journalPath + suffix, join(movedAside, BACKUP_DB + suffix));
    if (existsSync(keyPath)) copyFileSync(keyPath, join(movedAside, BACKUP_KEY));
  }
  // The kiosk keeps its own key; a backup's key replaces it only when a technician overrode the check.
  if (check.manifest.withKey && (overridden || !existsSync(keyPath))) {
    mkdirSync(dirname(keyPath), { recursive: true, mode: 0o700 });
    copyFileSync(join(o.backupPath, BACKUP_KEY), keyPath);
    fsyncPath(keyPath);
  }
  const tmp = `${o.journalPath}.restoring`;
  copyFileSync(join(o.backupPath, BACKUP_DB), tmp);
  fsyncPath(tmp);
  if (sha256File(tmp) !== check.manifest.sha256)
    throw new RestoreRefused(`copy of ${o.backupPath} does not match its manifest`);
  renameSync(tmp, o.journalPath);
  fsyncPath(dir);
  if (o.migrate === false)
    return { manifest: check.manifest, movedAside, auditRows: check.auditRows, problems: [] };
  const journal = openJournal(o.journalPath, check.manifest.kioskId);
  try {
    if (overridden)
      journal.technicianAction({
        technician: 'ops',
        role: '-',
        action: 'restoreOverride',
        detail: {
          backup: o.backupPath,
          backupKiosk: check.manifest.kioskId,
          refusal: overridden,
          reason: o.override!.reason,
        },
      });
    const report = verifyWithRetention(journal);
    return { manifest: check.manifest, movedAside, auditRows: report.auditRows, problems: report.problems };
  } finally {
    journal.db.close();
  }
}
