// Journal backups. Always through SQLite itself, never a file copy: the live journal is in WAL mode
// and a copy of its main file alone misses every committed page still in the -wal file.
// - backupJournal: the online backup API (better-sqlite3 db.backup), for the daily backup while
//   the kiosk runs;
// - backupJournalSync: VACUUM INTO, a consistent snapshot in one statement, for the backup taken
//   before migrations at start-up (synchronous, nothing else is running yet).
// A backup is a directory: journal.sqlite3 (rollback-journal mode, one self-contained file) and
// manifest.json (hash of the file, schema version, audit head, verification result). It is built
// under a .partial name and renamed when complete, so a half-written backup is never listed.
// The journal key is never copied into a backup: it is verified with the key kept on the kiosk (or
// one a technician hands over). Backups of earlier versions may still carry keys/journal.key.
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { defaultJournalKeyPath } from '../config/load.js';
import { readKey } from '../core/journal/keys.js';
import { schemaVersion, type Db } from '../core/journal/db.js';
import { Journal } from '../core/journal/journal.js';
import { BackupFailed } from './errors.js';
import { verifyWithRetention } from './verify.js';

export const BACKUP_DB = 'journal.sqlite3';
/** Where backups of earlier versions carried the journal key. */
export const BACKUP_KEY = join('keys', 'journal.key');
export const MANIFEST = 'manifest.json';

export const BackupReason = z.enum([
  'daily',
  'manual',
  'pre-upgrade',
  'pre-prune',
  'pre-restore',
  'pre-rollback',
]);
export type BackupReason = z.infer<typeof BackupReason>;

export const BackupManifest = z
  .object({
    format: z.literal(1),
    createdAt: z.string(),
    reason: BackupReason,
    kioskId: z.string(),
    schemaVersion: z.number().int(),
    auditRows: z.number().int(),
    auditHead: z.object({ id: z.number().int(), hash: z.string() }).strict().nullable(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    bytes: z.number().int(),
    /** True only in backups of earlier versions, which carried the journal key. */
    withKey: z.boolean(),
    verified: z.boolean(),
    problems: z.array(z.string()),
  })
  .strict();
export type BackupManifest = z.infer<typeof BackupManifest>;

export interface BackupTarget {
  journalPath: string;
  kioskId: string;
  dir: string;
  reason: BackupReason;
  /** The journal's key (default: beside the journal's directory); read to verify, never copied. */
  keyPath?: string;
  now?: Date;
}

export interface BackupResult {
  name: string;
  path: string;
  manifest: BackupManifest;
}

export const journalKeyPath = defaultJournalKeyPath;
export const defaultBackupDir = (journalPath: string) => join(dirname(journalPath), 'backups');

const stamp = (d: Date) => d.toISOString().replace(/[:.]/g, '-');

function begin(t: BackupTarget): { name: string; partial: string; file: string; now: Date } {
  const now = t.now ?? new Date();
  const name = `${stamp(now)}-${t.reason}`;
  mkdirSync(t.dir, { recursive: true, mode: 0o700 });
  const partial = join(t.dir, `.${name}.partial`);
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { mode: 0o700 });
  return { name, partial, file: join(partial, BACKUP_DB), now };
}

export async function backupJournal(db: Db, t: BackupTarget): Promise<BackupResult> {
  const b = begin(t);
  try {
    await db.backup(b.file);
  } catch (e) {
    rmSync(b.partial, { recursive: true, force: true });
    throw new BackupFailed(`online backup of ${t.journalPath} failed: ${(e as Error).message}`);
  }
  return finish(b, t);
}

export function backupJournalSync(db: Db, t: BackupTarget): BackupResult {
  const b = begin(t);
  try {
    db.prepare('VACUUM INTO ?').run(b.file);
  } catch (e) {
    rmSync(b.partial, { recursive: true, force: true });
    throw new BackupFailed(`snapshot of ${t.journalPath} failed: ${(e as Error).message}`);
  }
  return finish(b, t);
}

/** fsync a file or a directory (so a rename inside it is durable too). */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function finish(
  b: { name: string; partial: string; file: string; now: Date },
  t: BackupTarget,
): BackupResult {
  const keyPath = t.keyPath ?? journalKeyPath(t.journalPath);
  if (!existsSync(keyPath)) {
    rmSync(b.partial, { recursive: true, force: true });
    throw new BackupFailed(`journal key ${keyPath} is missing: the backup could not be verified`);
  }
  const key = readKey(keyPath);
  const db = new Database(b.file);
  let meta: Pick<BackupManifest, 'schemaVersion' | 'auditRows' | 'auditHead' | 'verified' | 'problems'>;
  try {
    db.pragma('journal_mode = DELETE');
    const integrity = db.pragma('integrity_check', { simple: true });
    const report = verifyWithRetention(new Journal(db, key, t.kioskId));
    const head = db.prepare('SELECT last_id AS id, last_hash AS hash FROM audit_head WHERE one = 1').get() as
      { id: number; hash: string } | undefined;
    const problems = [
      ...(integrity === 'ok' ? [] : [`integrity_check: ${String(integrity)}`]),
      ...report.problems,
    ];
    meta = {
      schemaVersion: schemaVersion(db),
      auditRows: report.auditRows,
      auditHead: head ?? null,
      verified: problems.length === 0,
      problems,
    };
  } finally {
    db.close();
  }
  fsyncPath(b.file);
  const manifest: BackupManifest = {
    format: 1,
    createdAt: b.now.toISOString(),
    reason: t.reason,
    kioskId: t.kioskId,
    ...meta,
    sha256: sha256File(b.file),
    bytes: statSync(b.file).size,
    withKey: false,
  };
  writeFileSync(join(b.partial, MANIFEST), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
  fsyncPath(join(b.partial, MANIFEST));
  const path = join(t.dir, b.name);
  renameSync(b.partial, path);
  fsyncPath(t.dir);
  return { name: b.name, path, manifest };
}

export function readManifest(backupPath: string): BackupManifest {
  const file = join(backupPath, MANIFEST);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new BackupFailed(`${file}: ${(e as Error).message}`);
  }
  const r = BackupManifest.safeParse(raw);
  if (!r.success)
    throw new BackupFailed(
      `${file}: not a Madoguchi backup manifest (${r.error.issues[0]?.message ?? 'invalid'})`,
    );
  return r.data;
}

export interface ListedBackup {
  name: string;
  path: string;
  manifest: BackupManifest | null;
  error?: string;
}

/** Complete backups in a directory, newest first (unreadable ones listed with their error). */
export function listBackups(dir: string): ListedBackup[] {
  if (!existsSync(dir)) return [];
  const out: ListedBackup[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (!statSync(path).isDirectory()) continue;
    try {
      out.push({ name, path, manifest: readManifest(path) });
    } catch (e) {
      out.push({ name, path, manifest: null, error: (e as Error).message });
    }
  }
  return out.sort((a, b) => (b.manifest?.createdAt ?? b.name).localeCompare(a.manifest?.createdAt ?? a.name));
}

/** Deletes backups older than keepDays (never the newest complete one) and stale partial ones. */
export function pruneBackups(dir: string, keepDays: number, now = new Date()): string[] {
  const cutoff = now.getTime() - keepDays * 86_400_000;
  const deleted: string[] = [];
  const complete = listBackups(dir).filter((b) => b.manifest);
  for (const b of complete.slice(1)) {
    if (Date.parse(b.manifest!.createdAt) < cutoff) {
      rmSync(b.path, { recursive: true, force: true });
      deleted.push(b.name);
    }
  }
  if (existsSync(dir))
    for (const name of readdirSync(dir))
      if (
        name.startsWith('.') &&
        name.endsWith('.partial') &&
        statSync(join(dir, name)).mtimeMs < now.getTime() - 86_400_000
      ) {
        rmSync(join(dir, name), { recursive: true, force: true });
        deleted.push(name);
      }
  return deleted;
}

export interface BackupCheck {
  ok: boolean;
  manifest: BackupManifest;
  auditRows: number;
  problems: string[];
}

/**
 * Checks a backup on its own: the file's hash against the manifest, SQLite's integrity check, and
 * the hash chain, head anchor and mirrors with keyPath (the kiosk's key, or one handed over); a
 * backup of an earlier version that carries its key is checked with that key unless kioskKeyOnly.
 */
export function verifyBackup(
  backupPath: string,
  keyPath?: string,
  opts: { kioskKeyOnly?: boolean } = {},
): BackupCheck {
  const manifest = readManifest(backupPath);
  const file = join(backupPath, BACKUP_DB);
  const problems: string[] = [];
  if (!existsSync(file)) throw new BackupFailed(`${file} is missing`);
  if (sha256File(file) !== manifest.sha256)
    problems.push(`${BACKUP_DB}: sha256 differs from the manifest (the file changed after the backup)`);
  // With kioskKeyOnly the key stored in the backup proves nothing: anyone can write a chain with a key they ship along.
  const kp = manifest.withKey && !opts.kioskKeyOnly ? join(backupPath, BACKUP_KEY) : keyPath;
  if (!kp || !existsSync(kp))
    throw new BackupFailed(
      `no journal key to verify backup ${backupPath} with${kp ? ` (${kp} does not exist)` : ''}: pass the key the journal was written with (--key FILE)`,
    );
  const key = readKey(kp, { ownerOnly: false });
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const report = verifyWithRetention(new Journal(db, key, manifest.kioskId));
    problems.push(...report.problems);
    return { ok: problems.length === 0, manifest, auditRows: report.auditRows, problems };
  } finally {
    db.close();
  }
}
