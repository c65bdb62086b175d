// The journal key: outside the data directory, owner-only, never made anew beside an existing journal.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPaths, defaultJournalKeyPath, parseConfig } from '../../src/config/load.js';
import { JournalKeyProblem, legacyJournalKeyPath } from '../../src/core/journal/keys.js';
import { openJournal, openKioskJournal } from '../../src/ops/open-journal.js';
import { describeFailure } from '../../src/ops/errors.js';
import { KIOSK, sale, tempJournalPath } from './helpers.js';

describe('journal key', () => {
  it('lives outside the data directory by default, or where journal.keyFile says', () => {
    const paths = dataPaths(parseConfig({}), { MADOGUCHI_DATA_DIR: '/var/lib/madoguchi' });
    expect(paths.journalKey).toBe('/var/lib/madoguchi-keys/journal.key');
    expect(relative(paths.dataDir, paths.journalKey).startsWith('..')).toBe(true);
    const set = dataPaths(parseConfig({ journal: { keyFile: '/etc/madoguchi/keys/journal.key' } }), {});
    expect(set.journalKey).toBe('/etc/madoguchi/keys/journal.key');
    // Under the kiosk unit: the copy of root's key that systemd passes (LoadCredential=journal:<dir>).
    const unit = dataPaths(parseConfig({}), {
      CREDENTIALS_DIRECTORY: '/run/credentials/madoguchi-kiosk.service',
    });
    expect(unit.journalKey).toBe('/run/credentials/madoguchi-kiosk.service/journal_journal.key');
  });

  it('is never made by the kiosk in the directory systemd passes credentials in', () => {
    const path = tempJournalPath();
    const creds = join(dirname(path), 'credentials');
    mkdirSync(creds, { mode: 0o700 });
    const before = process.env.CREDENTIALS_DIRECTORY;
    process.env.CREDENTIALS_DIRECTORY = creds;
    try {
      expect(() => openJournal(path, KIOSK, { keyPath: join(creds, 'journal_journal.key') })).toThrow(
        /the kiosk unit passed no journal key .*journal restore --key/,
      );
      expect(existsSync(join(creds, 'journal_journal.key'))).toBe(false);
      expect(existsSync(path)).toBe(false);
    } finally {
      if (before === undefined) delete process.env.CREDENTIALS_DIRECTORY;
      else process.env.CREDENTIALS_DIRECTORY = before;
    }
  });

  it('is made 0600 (directory 0700) with a new journal', () => {
    const path = tempJournalPath();
    openJournal(path, KIOSK).db.close();
    const key = defaultJournalKeyPath(path);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(key)).mode & 0o777).toBe(0o700);
    expect(existsSync(join(dirname(path), 'keys'))).toBe(false);
  });

  it('refuses a key group or others can read, saying how to fix it', () => {
    const path = tempJournalPath();
    const j = openJournal(path, KIOSK);
    sale(j);
    j.db.close();
    const key = defaultJournalKeyPath(path);
    chmodSync(key, 0o640);
    const told = `journal key ${key} is readable by group or others (mode 0640): run chmod 600 ${key}`;
    // A tool stops with the fix and exit 78.
    let err: unknown;
    try {
      openJournal(path, KIOSK, { keyPath: key });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JournalKeyProblem);
    expect((err as Error).message).toBe(told);
    expect(describeFailure(err)).toEqual({ line: told, code: 78 });
    // The kiosk stays up, out of service with the same words, and writes nothing.
    const kiosk = openKioskJournal(path, KIOSK, key);
    expect(kiosk.lost).toBe(told);
    expect(kiosk.journal.writeFailure).toMatchObject({ code: 'journalKey', message: told });
    kiosk.journal.db.close();
    chmodSync(key, 0o604);
    expect(() => openJournal(path, KIOSK)).toThrow(/mode 0604/);
    chmodSync(key, 0o600);
    openJournal(path, KIOSK).db.close();
  });

  it('is never made anew for a journal that has audit rows', () => {
    const path = tempJournalPath();
    const j = openJournal(path, KIOSK);
    sale(j);
    j.db.close();
    const key = defaultJournalKeyPath(path);
    unlinkSync(key);
    expect(() => openJournal(path, KIOSK)).toThrow(
      /has \d+ audit rows but its key .* is missing: put back the key it was written with/,
    );
    expect(existsSync(key)).toBe(false);
  });

  it('is moved out of the data directory where earlier versions kept it', () => {
    const path = tempJournalPath();
    const j = openJournal(path, KIOSK);
    sale(j);
    j.db.close();
    const key = defaultJournalKeyPath(path);
    const legacy = legacyJournalKeyPath(path);
    mkdirSync(dirname(legacy), { recursive: true });
    writeFileSync(legacy, readFileSync(key), { mode: 0o600 });
    unlinkSync(key);
    const { journal, lost } = openKioskJournal(path, KIOSK, key);
    expect(lost).toBeNull();
    expect(journal.verifyAudit().problems).toEqual([]);
    journal.db.close();
    expect(existsSync(legacy)).toBe(false);
    expect(statSync(key).mode & 0o777).toBe(0o600);
  });
});
