// Opens the kiosk's journal from its configuration paths.
import { join, dirname } from 'node:path';
import { openJournalDb } from './db.js';
import { Journal } from './journal.js';
import { loadOrCreateKey } from './keys.js';

export function openJournal(path: string, kioskId: string): Journal {
  const db = openJournalDb(path);
  const key = loadOrCreateKey(join(dirname(path), 'keys', 'journal.key'));
  return new Journal(db, key, kioskId);
}
