// A lost journal is noticed: missing, empty or cut short next to its key, the kiosk stays out of
// service (and never creates a fresh journal in its place); `journal verify` on a missing file
// is an error and creates nothing.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultJournalKeyPath, parseConfig } from '../../src/config/load.js';
import { createKioskApp } from '../../src/app.js';
import { silentLogger } from '../../src/log/logger.js';
import { journalPresence } from '../../src/core/journal/presence.js';
import { openJournal } from '../../src/ops/open-journal.js';

function journalWithKey() {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-lost-'));
  const path = join(dir, 'journal.sqlite3');
  const j = openJournal(path, 'K-1');
  for (let i = 0; i < 50; i++) j.step(j.openTransaction(), 'card.read', 'intent');
  j.db.pragma('wal_checkpoint(TRUNCATE)');
  j.db.close();
  return { dir, path, key: defaultJournalKeyPath(path) };
}

describe('journal presence', () => {
  it('tells a first start from a lost journal', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'madoguchi-new-'));
    const freshJournal = join(fresh, 'journal.sqlite3');
    expect(journalPresence(freshJournal, defaultJournalKeyPath(freshJournal))).toEqual({
      state: 'new',
    });

    const ok = journalWithKey();
    expect(journalPresence(ok.path, ok.key)).toEqual({ state: 'present' });

    const missing = journalWithKey();
    rmSync(missing.path);
    expect(journalPresence(missing.path, missing.key)).toMatchObject({
      state: 'lost',
      problem: expect.stringContaining('missing'),
    });

    const empty = journalWithKey();
    writeFileSync(empty.path, '');
    expect(journalPresence(empty.path, empty.key)).toMatchObject({
      state: 'lost',
      problem: expect.stringContaining('empty'),
    });

    const cut = journalWithKey();
    truncateSync(cut.path, 4096 * 2);
    expect(journalPresence(cut.path, cut.key)).toMatchObject({
      state: 'lost',
      problem: expect.stringContaining('truncated'),
    });
    const torn = journalWithKey();
    truncateSync(torn.path, 4096 * 3 + 100);
    expect(journalPresence(torn.path, torn.key)).toMatchObject({ state: 'lost' });

    const junk = journalWithKey();
    writeFileSync(junk.path, Buffer.alloc(8192, 7));
    expect(journalPresence(junk.path, junk.key)).toMatchObject({
      state: 'lost',
      problem: expect.stringContaining('not an SQLite'),
    });
  });

  it('keeps the kiosk out of service with the reason, and creates no fresh journal', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-lost-kiosk-'));
    const config = parseConfig({ kiosk: { dataDir, serviceHours: 'always' } });
    const first = await createKioskApp(config, { log: silentLogger, core: { monitorMs: 3_600_000 } });
    const path = first.paths.journal;
    await first.stop();
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });

    const app = await createKioskApp(config, { log: silentLogger, core: { monitorMs: 3_600_000 } });
    try {
      expect(app.core.journalFailure()).toMatchObject({
        code: 'journalLost',
        message: expect.stringContaining('restore a backup'),
      });
      expect(await app.core.checkService()).toContain('journal');
      expect(app.core.snapshot().state).toBe('outOfService');
      // Still out of service on the next round: a lost journal does not heal itself.
      expect(await app.core.checkService()).toContain('journal');
    } finally {
      await app.stop();
    }
    expect(existsSync(path)).toBe(false);
  });

  it('a key others can read keeps the kiosk up and out of service, saying how to fix it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-key-kiosk-'));
    const config = parseConfig({ kiosk: { dataDir, serviceHours: 'always' } });
    const first = await createKioskApp(config, { log: silentLogger, core: { monitorMs: 3_600_000 } });
    const key = first.paths.journalKey;
    await first.stop();
    chmodSync(key, 0o644);

    const app = await createKioskApp(config, { log: silentLogger, core: { monitorMs: 3_600_000 } });
    try {
      expect(app.core.journalFailure()).toMatchObject({
        code: 'journalKey',
        message: expect.stringContaining(`run chmod 600 ${key}`),
      });
      expect(await app.core.checkService()).toContain('journal');
      expect(app.core.snapshot().state).toBe('outOfService');
    } finally {
      await app.stop();
    }
  });

  it('journal verify --file on a missing or empty file is an error and creates nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'madoguchi-verify-'));
    const missing = join(dir, 'nope.sqlite3');
    const run = (file: string) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', 'journal', 'verify', '--file', file],
        { encoding: 'utf8', env: { ...process.env, MADOGUCHI_DATA_DIR: dir } },
      );
    const r = run(missing);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain('no journal at');
    expect(existsSync(missing)).toBe(false);
    const empty = join(dir, 'journal.sqlite3');
    mkdirSync(join(defaultJournalKeyPath(empty), '..'));
    writeFileSync(defaultJournalKeyPath(empty), readFileSync(journalWithKey().key), { mode: 0o600 });
    writeFileSync(empty, '');
    const e = run(empty);
    expect(e.status).toBe(1);
    expect(e.stderr).toContain('empty');
  }, 60_000);
});
