// Opens the journal: WAL so readers never block the kiosk, synchronous=FULL so that a step
// reported written survives a power cut, and versioned migrations in one transaction each.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations.js';

export type Db = Database.Database;

/** What opening a journal would do: versions already applied, migrations to run, versions this build does not know. */
export interface MigrationPlan {
  applied: number[];
  pending: Migration[];
  unknown: number[];
  latest: number;
}

export interface OpenJournalDbOptions {
  /** Runs before any migration (the upgrade guard: refuse, or back up first); throwing aborts the open. */
  beforeMigrate?: (db: Db, plan: MigrationPlan) => void;
}

export function openJournalDb(
  path: string,
  migrations: Migration[] = MIGRATIONS,
  opts: OpenJournalDbOptions = {},
): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  try {
    opts.beforeMigrate?.(db, migrationPlan(db, migrations));
  } catch (e) {
    db.close();
    throw e;
  }
  migrate(db, migrations);
  return db;
}

export function migrationPlan(db: Db, migrations: Migration[]): MigrationPlan {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const applied = (
    db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]
  ).map((r) => r.version);
  const known = new Set(migrations.map((m) => m.version));
  return {
    applied,
    pending: migrations.filter((m) => !applied.includes(m.version)).sort((a, b) => a.version - b.version),
    unknown: applied.filter((v) => !known.has(v)),
    latest: Math.max(0, ...known),
  };
}

export function migrate(db: Db, migrations: Migration[]): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  let count = 0;
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    })();
    count++;
  }
  return count;
}

export function schemaVersion(db: Db): number {
  return (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
}
