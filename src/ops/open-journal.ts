// Opens the kiosk's journal from its configuration paths. Before migrations run on a journal made by
// an older version, the upgrade guard (upgrade.ts) refuses when work is unfinished and takes a
// verified backup; the upgrade is then recorded in the audit log.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { openJournalDb } from '../core/journal/db.js';
import { journalPresence } from '../core/journal/presence.js';
import { Journal } from '../core/journal/journal.js';
import { loadOrCreateKey } from '../core/journal/keys.js';
import { guardMigrations, type UpgradeRecord } from './upgrade.js';

/** A journal file that should be there is not (tools never create one by accident). */
export class JournalMissing extends Error {
  readonly kind = 'journalMissing' as const;
}

export function openJournal(path: string, kioskId: string, opts: { mustExist?: boolean } = {}): Journal {
  if (opts.mustExist && path !== ':memory:' && !existsSync(path))
    throw new JournalMissing(`no journal at ${path}`);
  const guard: { upgrade: UpgradeRecord | null } = { upgrade: null };
  const db = openJournalDb(
    path,
    undefined,
    path === ':memory:'
      ? {}
      : {
          beforeMigrate: (raw, plan) =>
            (guard.upgrade = guardMigrations(raw, plan, { journalPath: path, kioskId })),
        },
  );
  const key = loadOrCreateKey(join(dirname(path), 'keys', 'journal.key'));
  const journal = new Journal(db, key, kioskId);
  if (guard.upgrade) journal.audit('ops', 'upgrade', null, guard.upgrade);
  return journal;
}

/**
 * The kiosk's own journal at start. A lost journal (missing, empty or truncated next to its key)
 * is not opened, which would create a fresh one: the kiosk gets an in-memory stand-in that takes
 * no writes, and stays out of service with the reason until a technician restores a backup.
 */
export function openKioskJournal(path: string, kioskId: string): { journal: Journal; lost: string | null } {
  const presence = journalPresence(path, join(dirname(path), 'keys', 'journal.key'));
  if (presence.state !== 'lost') return { journal: openJournal(path, kioskId), lost: null };
  const journal = new Journal(openJournalDb(':memory:'), randomBytes(32), kioskId);
  journal.markFailed(
    'journalLost',
    `${presence.problem}: restore a backup (madoguchi journal restore)`,
    true,
  );
  return { journal, lost: presence.problem };
}
