// Rolls an upgrade back: the newest pre-upgrade backup is restored, and only while no money,
// certificate or transaction has been journaled since the upgrade. What the manual's own upgrade
// steps journal (the upgrade record, the check, technician logins, the kiosk coming up) does not
// stop it; those rows are counted in the answer and go with the upgraded journal, kept aside.
import Database from 'better-sqlite3';
import { defaultBackupDir, journalKeyPath, listBackups, verifyBackup } from './backup.js';
import { RestoreRefused } from './errors.js';
import { restoreJournal } from './restore.js';

/** Audit rows that record money, certificates or residents' transactions: a rollback must not lose one. */
const BLOCKING_ROWS =
  "(category = 'mirror' AND event IN ('transactions', 'steps', 'cash_movements', 'print_jobs')) OR category IN ('cash', 'recovery', 'retention')";

/**
 * Puts the newest pre-upgrade backup back, so that the previous version can be reinstalled. Refused
 * when a transaction, cash movement or print was journaled after that backup: rolling back would lose it.
 */
export function rollbackUpgrade(
  journalPath: string,
  opts: { force?: boolean; now?: Date; keyPath?: string } = {},
) {
  const keyPath = opts.keyPath ?? journalKeyPath(journalPath);
  const backup = listBackups(defaultBackupDir(journalPath)).find((b) => b.manifest?.reason === 'pre-upgrade');
  if (!backup?.manifest)
    throw new RestoreRefused(`no pre-upgrade backup in ${defaultBackupDir(journalPath)}`);
  const check = verifyBackup(backup.path, keyPath, { kioskKeyOnly: true });
  if (!check.ok)
    throw new RestoreRefused(
      `pre-upgrade backup ${backup.name} does not verify: ${check.problems.join('; ')}`,
    );
  const db = new Database(journalPath, { fileMustExist: true });
  let head: { last_id: number; last_hash: string } | undefined;
  let upgradeRows = 0;
  let otherRows = 0;
  try {
    head = db.prepare('SELECT last_id, last_hash FROM audit_head WHERE one = 1').get() as typeof head;
    const since = backup.manifest.auditHead?.id ?? 0;
    upgradeRows = (
      db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE id > ? AND (${BLOCKING_ROWS})`).get(since) as {
        n: number;
      }
    ).n;
    otherRows = (
      db
        .prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE id > ? AND NOT (${BLOCKING_ROWS})`)
        .get(since) as { n: number }
    ).n;
  } finally {
    db.close();
  }
  if (upgradeRows > 0)
    throw new RestoreRefused(
      `${upgradeRows} transaction, cash or print record(s) were journaled after the pre-upgrade backup ${backup.name} (head now ${head?.last_id ?? 0}): a rollback would lose them. Keep this version and report the problem.`,
    );
  return {
    backup: backup.name,
    setAside: otherRows,
    ...restoreJournal({
      journalPath,
      backupPath: backup.path,
      kioskId: backup.manifest.kioskId,
      keyPath,
      ...(opts.force ? { force: true } : {}),
      ...(opts.now ? { now: opts.now } : {}),
      migrate: false,
    }),
  };
}
