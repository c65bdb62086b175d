// The operations commands end to end, through bin/madoguchi.js, on a journal in a temp data dir.
// (verify and prune are covered in-process by the other ops tests.)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../../src/ops/open-journal.js';
import { sale } from './helpers.js';

describe('madoguchi journal backup|backups|restore, upgrade check', () => {
  it('backs up, lists, verifies and restores; upgrade check reports the schema', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-cli-'));
    const env = { ...process.env, MADOGUCHI_DATA_DIR: dataDir, MADOGUCHI__KIOSK__ID: 'K-CLI-01' };
    const j = openJournal(join(dataDir, 'journal.sqlite3'), 'K-CLI-01');
    sale(j);
    j.db.close();
    const run = (...args: string[]) =>
      execFileSync('node', ['bin/madoguchi.js', ...args], { env, encoding: 'utf8' });

    expect(run('journal', 'backup')).toMatch(
      /^backup .*-manual: \d+ audit rows, schema v\d+, verified \(the journal key is not in it\)\n/,
    );
    const [name] = readdirSync(join(dataDir, 'backups'));
    expect(run('journal', 'backups', '--verify')).toMatch(
      new RegExp(`^${name}  manual .* audit rows  ok\\n`),
    );
    expect(run('upgrade', 'check')).toMatch(/no migrations to run\nupgrade check ok/);
    const restored = run('journal', 'restore', join(dataDir, 'backups', name!));
    expect(restored).toMatch(/previous journal kept in .*replaced/);
    expect(restored).toMatch(/restored journal verifies/);
    // A missing backup fails with one line and its own exit code, never a stack trace.
    const bad = spawnSync('node', ['bin/madoguchi.js', 'journal', 'restore', join(dataDir, 'nope')], {
      env,
      encoding: 'utf8',
    });
    expect(bad.status).toBe(65);
    expect(bad.stderr).toMatch(/^madoguchi: .*manifest.*\n$/);
    expect(bad.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(bad.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);

    // --verify checks every backup and lists good and bad: a corrupt one does not stop the others.
    const second = run('journal', 'backup').match(/^backup (\S+):/)![1]!;
    rmSync(join(dataDir, 'backups', second.split('/').at(-1)!, 'journal.sqlite3'));
    const listed = spawnSync('node', ['bin/madoguchi.js', 'journal', 'backups', '--verify'], {
      env,
      encoding: 'utf8',
    });
    expect(listed.status).toBe(1);
    expect(listed.stdout).toMatch(/BAD: .*missing/);
    expect(listed.stdout).toMatch(/ {2}ok\n/);
    expect(listed.stdout).toMatch(/\d+ good, 1 bad\n$/);
    // A refused restore has its own exit code too.
    const refused = spawnSync(
      'node',
      ['bin/madoguchi.js', 'journal', 'restore', join(dataDir, 'backups', name!)],
      { env: { ...env, MADOGUCHI__KIOSK__ID: 'K-CLI-02' }, encoding: 'utf8' },
    );
    expect(refused.status).toBe(77);
    expect(refused.stderr).toMatch(/^madoguchi: backup .* refused: the backup is of kiosk K-CLI-01/);
  }, 120_000); // each command starts tsx and the whole CLI: ~5 s
});
