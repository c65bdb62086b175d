// The kiosk's journal key: keys the resident hash and the audit chain's head anchor. It lives outside
// the data directory (journal.keyFile; default <data dir>-keys/journal.key), is readable by its owner
// only, and is never copied into a backup: whoever holds a backup must not be able to re-sign it.
import { createHmac, randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/** The key file is unusable as it is (readable by others, wrong size, missing beside a journal). */
export class JournalKeyProblem extends Error {
  readonly kind = 'journalKey' as const;
}

/** Where earlier versions kept the key: inside the data directory (and so inside every copy of it). */
export const legacyJournalKeyPath = (journalPath: string) =>
  join(dirname(journalPath), 'keys', 'journal.key');

/** Reads a key file, refusing one that group or others could read (the key signs the audit chain). */
export function readKey(path: string, opts: { ownerOnly?: boolean } = {}): Buffer {
  if ((opts.ownerOnly ?? true) && process.platform !== 'win32') {
    const mode = statSync(path).mode & 0o777;
    if (mode & 0o077)
      throw new JournalKeyProblem(
        `journal key ${path} is readable by group or others (mode ${mode.toString(8).padStart(4, '0')}): run chmod 600 ${path}`,
      );
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new JournalKeyProblem(`journal key ${path} is not 32 bytes of base64`);
  return key;
}

/** Writes a new random key (mode 0600, its directory 0700); never over an existing file. */
export function createKey(path: string): Buffer {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(path, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return key;
}

/** Puts an existing key file at path (0600), e.g. the key a technician hands to a restore. */
export function installKey(from: string, path: string): void {
  readKey(from, { ownerOnly: false });
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.installing`;
  copyFileSync(from, tmp);
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** Moves a key from where earlier versions kept it to its own place; true when one was moved. */
export function moveLegacyKey(journalPath: string, path: string): boolean {
  const legacy = legacyJournalKeyPath(journalPath);
  if (existsSync(path) || !existsSync(legacy) || legacy === path) return false;
  installKey(legacy, path);
  unlinkSync(legacy);
  return true;
}

export function loadOrCreateKey(path: string): Buffer {
  return existsSync(path) ? readKey(path) : createKey(path);
}

export function keyedHash(key: Buffer, value: string, purpose: string): string {
  return createHmac('sha256', key).update(purpose).update('\0').update(value).digest('hex');
}
