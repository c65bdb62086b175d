// Opens the kiosk's journal from its configuration paths. Before migrations run on a journal made by
// an older version, the upgrade guard (upgrade.ts) refuses when work is unfinished and takes a
// verified backup; the upgrade is then recorded in the audit log.
import { join, dirname } from 'node:path';
import { openJournalDb } from '../core/journal/db.js';
import { Journal } from '../core/journal/journal.js';
import { loadOrCreateKey } from '../core/journal/keys.js';
import { guardMigrations, type UpgradeRecord } from './upgrade.js';

export function openJournal(path: string, kioskId: string): Journal {
  const guard: { upgrade: UpgradeRecord | null } = { upgrade: null };
  const db = openJournalDb(path, undefined, path === ':memory:' ? {} : { beforeMigrate: (raw, plan) => (guard.upgrade = guardMigrations(raw, plan, { journalPath: path, kioskId })) });
  const key = loadOrCreateKey(join(dirname(path), 'keys', 'journal.key'));
  const journal = new Journal(db, key, kioskId);
  if (guard.upgrade) journal.audit('ops', 'upgrade', null, guard.upgrade);
  return journal;
}
