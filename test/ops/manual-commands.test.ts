// Every madoguchi-ctl command docs/OPERATIONS.md tells a technician to type, run in the manual's own
// order against a test kiosk's data directory, through madoguchi-ctl as the package ships it (the
// wrapper on the compiled CLI tree, on the system Node, away from the checkout): an upgrade from an older journal schema, the checks, a backup, a restore, retention
// and the rollback. A command added to the manual and not run here fails the test.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../../src/ops/open-journal.js';
import { journalAt, KIOSK } from './helpers.js';
import { buildCtlTree, runCtl } from './ctl-tree.js';

const manual = readFileSync('docs/OPERATIONS.md', 'utf8');
const documented = new Set([...manual.matchAll(/madoguchi-ctl ([a-z][^`\n#]*)/g)].map((m) => m[1]!.trim()));

describe('docs/OPERATIONS.md commands on a test kiosk', () => {
  it('runs each documented command, in the manual order, and each succeeds', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-manual-'));
    const journalPath = join(dataDir, 'journal.sqlite3');
    // The kiosk before the upgrade: a journal of an older schema with a technician's rows.
    const old = journalAt(journalPath, 1);
    old.technicianAction({
      technician: 'T-01',
      role: 'operator',
      action: 'paperRefill',
      detail: { printer: 'receipt' },
    });
    old.setState('outOfService', { message: '点検中' });
    old.db.close();
    const tree = buildCtlTree();
    const env = { MADOGUCHI_DATA_DIR: dataDir, MADOGUCHI__KIOSK__ID: KIOSK, MADOGUCHI_CONFIG: '' };
    const ran: string[] = [];
    const ctl = (command: string) => {
      ran.push(command);
      const args = command.replace('/var/lib/madoguchi', dataDir).split(/\s+/);
      const r = runCtl(tree, args, env);
      expect(r.status, `madoguchi-ctl ${command}\n${r.stdout}${r.stderr}`).toBe(0);
      return r.stdout;
    };

    // 5. Upgrades: check, install (the new version's start migrates), check again.
    expect(ctl('upgrade check')).toMatch(/migrations to run[\s\S]*upgrade check ok/);
    openJournal(journalPath, KIOSK).db.close();
    expect(ctl('journal verify')).toMatch(/journal ok/);
    // 3. Configuration.
    expect(ctl('config check')).toContain('configuration ok');
    // 4. Daily operations: backups by hand, listing and verifying, retention dry run and run.
    expect(ctl('journal backup')).toMatch(/verified/);
    expect(ctl('journal backups --verify')).toMatch(/\d+ good, 0 bad/);
    expect(ctl('journal prune --dry-run')).toMatch(/dry run: nothing deleted/);
    expect(ctl('journal prune')).toMatch(/pruned 0 transaction/);
    // Restoring the backup just taken (the manual's placeholder is the backup's name).
    const daily = readdirSync(join(dataDir, 'backups')).find((n) => n.endsWith('-manual'))!;
    expect(ctl(`journal restore /var/lib/madoguchi/backups/${daily}`)).toMatch(/restored journal verifies/);
    // Rolling back the upgrade after all of the above (none of it is a sale).
    expect(ctl('upgrade rollback')).toMatch(/rolled back to .*pre-upgrade/);

    const covered = new Set(ran.map((c) => c.replace(/backups\/\S+$/, 'backups/<名前>')));
    for (const c of documented)
      expect(covered, `documented command not exercised: madoguchi-ctl ${c}`).toContain(c);
  }, 120_000);
});
