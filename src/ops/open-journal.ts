// Opens the kiosk's journal from its configuration paths. Before migrations run on a journal made by
// an older version, the upgrade guard (upgrade.ts) refuses when work is unfinished and takes a
// verified backup; the upgrade is then recorded in the audit log.
// The journal key is made only together with a new journal: a journal that already has audit rows
// but no key is refused (a new key would leave its chain unverifiable), never given a fresh key.
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { defaultJournalKeyPath } from '../config/load.js';
import { openJournalDb } from '../core/journal/db.js';
import { journalPresence } from '../core/journal/presence.js';
import { Journal } from '../core/journal/journal.js';
import { createKey, JournalKeyProblem, moveLegacyKey, readKey } from '../core/journal/keys.js';
import { guardMigrations, type UpgradeRecord } from './upgrade.js';

/** A journal file that should be there is not (tools never create one by accident). */
export class JournalMissing extends Error {
  readonly kind = 'journalMissing' as const;
}

/** Audit rows already in a journal file (0 for a missing, empty or unreadable one). */
function auditRows(path: string): number {
  if (!existsSync(path) || statSync(path).size === 0) return 0;
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    return (db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    db?.close();
  }
}

/** The key of the journal at path: read (owner-only), moved from the old place, or made for a new journal. */
export function journalKey(path: string, keyPath: string): Buffer {
  moveLegacyKey(path, keyPath);
  if (existsSync(keyPath)) return readKey(keyPath);
  const creds = process.env.CREDENTIALS_DIRECTORY;
  if (creds && keyPath.startsWith(creds + '/'))
    throw new JournalKeyProblem(
      `the kiosk unit passed no journal key (${keyPath}): the package makes /var/lib/madoguchi-keys/journal.key at install; to bring back a kept key use madoguchi-ctl journal restore --key`,
    );
  const rows = auditRows(path);
  if (rows > 0)
    throw new JournalKeyProblem(
      `journal ${path} has ${rows} audit rows but its key ${keyPath} is missing: put back the key it was written with (or set journal.keyFile to where it is); a new key would leave the journal unverifiable`,
    );
  return createKey(keyPath);
}

export function openJournal(
  path: string,
  kioskId: string,
  opts: { mustExist?: boolean; keyPath?: string; now?: () => Date } = {},
): Journal {
  if (opts.mustExist && path !== ':memory:' && !existsSync(path))
    throw new JournalMissing(`no journal at ${path}`);
  const keyPath = opts.keyPath ?? (path === ':memory:' ? null : defaultJournalKeyPath(path));
  const key = keyPath ? journalKey(path, keyPath) : randomBytes(32);
  const guard: { upgrade: UpgradeRecord | null } = { upgrade: null };
  const db = openJournalDb(
    path,
    undefined,
    keyPath === null
      ? {}
      : {
          beforeMigrate: (raw, plan) =>
            (guard.upgrade = guardMigrations(raw, plan, { journalPath: path, keyPath, kioskId })),
        },
  );
  const journal = new Journal(db, key, kioskId, opts.now);
  if (guard.upgrade) journal.audit('ops', 'upgrade', null, guard.upgrade);
  // Kiosk state and the registry outbox are audited since this version: rows from before get their first copy once.
  journal.adoptUnmirrored();
  return journal;
}

/**
 * The kiosk's own journal at start. A lost journal (missing, empty or truncated next to its key)
 * is not opened, which would create a fresh one, and neither is a journal whose key is missing or
 * readable by others: the kiosk gets an in-memory stand-in that takes no writes, and stays out of
 * service with the reason until a technician acts (rather than exiting into a restart loop).
 * Tools (openJournal) still stop on a key problem with what to do (JournalKeyProblem, exit 78).
 */
export function openKioskJournal(
  path: string,
  kioskId: string,
  keyPath = defaultJournalKeyPath(path),
  now?: () => Date,
): { journal: Journal; lost: string | null } {
  let failure: { code: string; problem: string; todo: string };
  try {
    moveLegacyKey(path, keyPath);
    const presence = journalPresence(path, keyPath);
    if (presence.state !== 'lost')
      return { journal: openJournal(path, kioskId, { keyPath, now }), lost: null };
    failure = {
      code: 'journalLost',
      problem: presence.problem,
      todo: `${presence.problem}: restore a backup (madoguchi journal restore)`,
    };
  } catch (e) {
    if (!(e instanceof JournalKeyProblem)) throw e;
    failure = { code: 'journalKey', problem: e.message, todo: e.message };
  }
  const journal = new Journal(openJournalDb(':memory:'), randomBytes(32), kioskId, now);
  journal.markFailed(failure.code, failure.todo, true);
  return { journal, lost: failure.problem };
}
