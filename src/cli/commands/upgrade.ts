// `madoguchi upgrade check|rollback`: what starting this version would do to the journal, and the
// way back to the previous version through the pre-upgrade backup.
import type { Command } from 'commander';
import { configFrom } from '../options.js';
import { dataPaths } from '../../config/load.js';
import { rollbackUpgrade } from '../../ops/rollback.js';
import { upgradeCheck } from '../../ops/upgrade.js';

const out = (s: string) => process.stdout.write(s + '\n');

export function registerUpgrade(program: Command): void {
  const upgrade = program.command('upgrade').description('journal schema upgrades and rollback');
  upgrade
    .command('check')
    .description(
      'show the journal schema, the migrations this version would run and anything that blocks them; exit 1 when blocked',
    )
    .action((_o: unknown, cmd: Command) => {
      const config = configFrom(cmd);
      const c = upgradeCheck(dataPaths(config).journal, config.kiosk.id);
      out(`journal schema v${c.journalVersion}, this version v${c.appVersion}`);
      out(
        c.pending.length
          ? `migrations to run (a verified backup is taken first):\n  ${c.pending.join('\n  ')}`
          : 'no migrations to run',
      );
      for (const b of c.blockers) out(`BLOCKED: ${b}`);
      if (c.unknown.length)
        out(`BLOCKED: the journal was migrated by a newer version (schema ${c.unknown.join(', ')})`);
      out(
        c.ok
          ? 'upgrade check ok'
          : 'upgrade check FAILED: start the version that wrote this journal so recovery finishes, then upgrade',
      );
      if (!c.ok) process.exitCode = 1;
    });
  upgrade
    .command('rollback')
    .description(
      'put the newest pre-upgrade backup back (refused when anything was journaled since); then reinstall the previous package',
    )
    .option('--force', 'restore although the journal has a -wal file')
    .action((o: { force?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const { journal, journalKey } = dataPaths(config);
      const r = rollbackUpgrade(journal, { keyPath: journalKey, ...(o.force ? { force: true } : {}) });
      out(
        `rolled back to ${r.backup} (schema v${r.manifest.schemaVersion}); the upgraded journal is kept in ${r.movedAside ?? '-'}`,
      );
      out(
        'now reinstall the previous version: apt install --allow-downgrades ./madoguchi_<previous>_amd64.deb',
      );
    });
}
