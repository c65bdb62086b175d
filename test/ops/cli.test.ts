// The operations commands end to end, through bin/madoguchi.js, on a journal in a temp data dir.
// (verify and prune are covered in-process by the other ops tests.)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
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
    const run = (...args: string[]) => execFileSync('node', ['bin/madoguchi.js', ...args], { env, encoding: 'utf8' });

    expect(run('journal', 'backup')).toMatch(/^backup .*-manual: \d+ audit rows, schema v\d+, verified\n/);
    const [name] = readdirSync(join(dataDir, 'backups'));
    expect(run('journal', 'backups', '--verify')).toMatch(new RegExp(`^${name}  manual .* with key  ok\\n`));
    expect(run('upgrade', 'check')).toMatch(/no migrations to run\nupgrade check ok/);
    const restored = run('journal', 'restore', join(dataDir, 'backups', name!));
    expect(restored).toMatch(/previous journal kept in .*replaced/);
    expect(restored).toMatch(/restored journal verifies/);
    // A missing backup fails with a message, not a stack trace of success.
    const bad = spawnSync('node', ['bin/madoguchi.js', 'journal', 'restore', join(dataDir, 'nope')], { env, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/manifest/);
  }, 120_000); // each command starts tsx and the whole CLI: ~5 s
});
