// Restores a journal backup. The backup is checked first: it must be this kiosk's (its id) and its
// file hash, integrity and hash chain must verify with the journal key kept on this kiosk, or with a
// key file the technician hands over (--key) when the kiosk has none (a replaced machine). A restore
// never makes a new key. A technician may override a foreign kiosk id with a reason, which is
// journaled in the restored journal; the backup must still verify. The current journal, its
// -wal/-shm are moved aside, never deleted, into <journal dir>/replaced/<time>/ (a replaced key stays
// beside the key file as <key>.replaced-<time>).
// Copying the backup's file is safe where copying the live journal is not: a backup is a closed,
// self-contained rollback-journal database with no -wal.
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { installKey } from '../core/journal/keys.js';
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
  /** Where this kiosk keeps its journal key (journal.keyFile; default beside the journal's directory). */
  keyPath?: string;
  /** A key file handed over by the technician: the backup must verify with it, and it becomes the kiosk's key. */
  keyFile?: string;
  /** This kiosk's id (configuration): a backup of another kiosk is refused without an override. */
  kioskId: string;
  /** Restore a backup of another kiosk (or an earlier version's backup with its own key) for this reason (journaled). */
  override?: { reason: string };
  now?: Date;
}

export interface RestoreResult {
  manifest: BackupManifest;
  movedAside: string | null;
  auditRows: number;
  problems: string[];
}

const sameKey = (a: string, b: string) =>
  existsSync(a) && existsSync(b) && readFileSync(a, 'utf8').trim() === readFileSync(b, 'utf8').trim();

/** The backup's check with the key at hand; what was overridden, and which key to install, if any. */
function checkBackup(
  o: RestoreOptions,
  keyPath: string,
): { check: ReturnType<typeof verifyBackup>; overridden: string | null; installFrom: string | null } {
  const refusals: string[] = [];
  const own = readManifest(o.backupPath);
  if (own.kioskId !== o.kioskId)
    refusals.push(`the backup is of kiosk ${own.kioskId}, not of this kiosk ${o.kioskId}`);
  const key = o.keyFile ?? (existsSync(keyPath) ? keyPath : null);
  if (o.keyFile && !existsSync(o.keyFile)) throw new RestoreRefused(`key file ${o.keyFile} does not exist`);
  let check: ReturnType<typeof verifyBackup> | null = null;
  if (key) {
    check = verifyBackup(o.backupPath, key, { kioskKeyOnly: true });
    if (!check.ok)
      refusals.push(
        `it does not verify with ${o.keyFile ? `the key ${o.keyFile}` : "this kiosk's journal key"}: ${check.problems.slice(0, 3).join('; ')}`,
      );
  } else
    refusals.push(
      `this kiosk has no journal key at ${keyPath}: give the key the journal was written with (--key FILE); a restore never makes a new key`,
    );
  const installFrom = o.keyFile && !sameKey(o.keyFile, keyPath) ? o.keyFile : null;
  if (refusals.length === 0 && check) return { check, overridden: null, installFrom };
  if (!o.override)
    throw new RestoreRefused(
      `backup ${o.backupPath} refused: ${refusals.join('; ')}.${check?.ok === false || !key ? '' : ' A technician who knows why may restore it with --override-reason "<why>" (journaled).'}`,
    );
  if (check?.ok) return { check, overridden: refusals.join('; '), installFrom };
  // Only an earlier version's backup, which carries its own key, can verify without the key at hand.
  if (!own.withKey)
    throw new RestoreRefused(
      `backup ${o.backupPath} refused: ${refusals.join('; ')}. An override cannot restore a journal that no key at hand verifies.`,
    );
  const self = verifyBackup(o.backupPath);
  if (!self.ok)
    throw new RestoreRefused(
      `backup ${o.backupPath} does not verify even with its own key:\n  ${self.problems.join('\n  ')}`,
    );
  return { check: self, overridden: refusals.join('; '), installFrom: join(o.backupPath, BACKUP_KEY) };
}

export function restoreJournal(o: RestoreOptions): RestoreResult {
  const keyPath = o.keyPath ?? journalKeyPath(o.journalPath);
  const { check, overridden, installFrom } = checkBackup(o, keyPath);
  if (existsSync(`${o.journalPath}-wal`) && !o.force)
    throw new RestoreRefused(
      `${o.journalPath}-wal exists: the kiosk is running or was not shut down cleanly. Stop it (systemctl stop madoguchi-kiosk) and retry; --force restores anyway and keeps the current journal with its -wal aside.`,
    );
  const dir = dirname(o.journalPath);
  const stamp = (o.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
  let movedAside: string | null = null;
  if (existsSync(o.journalPath)) {
    movedAside = join(dir, 'replaced', stamp);
    mkdirSync(movedAside, { recursive: true, mode: 0o700 });
    for (const suffix of ['', '-wal', '-shm'])
      if (existsSync(o.journalPath + suffix))
        renameSync(o.journalPath + suffix, join(movedAside, BACKUP_DB + suffix));
  }
  // The kiosk keeps its own key; a key handed over (or an overridden old backup's) replaces it. The
  // replaced key stays beside it, outside the data directory, never inside replaced/.
  if (installFrom) {
    if (existsSync(keyPath)) renameSync(keyPath, `${keyPath}.replaced-${stamp}`);
    installKey(installFrom, keyPath);
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
  const journal = openJournal(o.journalPath, check.manifest.kioskId, { keyPath });
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
