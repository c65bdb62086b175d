// docs/OPERATIONS.md stays true: the log lines it tells technicians to look for are logged by the
// code, the commands it names exist, and both languages are present.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const doc = readFileSync('docs/OPERATIONS.md', 'utf8');

describe('docs/OPERATIONS.md', () => {
  it('cites only log lines the code writes', () => {
    const cited = [
      'out of service',
      'back in service',
      'recovered an open transaction',
      'recovery failed; transaction stays open',
      'recovery retried',
      'PC/SC error',
      'card operation failed',
      'card reader attached',
      'payout short: IOU owed',
      'certificate job failed',
      'receipt could not be printed',
      'receipt job failed',
      'registry call failed',
      'registry circuit changed',
      'registry outbox flush failed',
      'registry outbox: message rejected for good, set aside',
      'journal backup written',
      'journal backup failed',
      'journal backup written but the journal does NOT verify',
      'watchdog: core probe failed, not pinging systemd',
      'watchdog: systemd-notify failed',
      'another kiosk instance is running; exiting',
      'upgrade refused: the journal has unfinished work',
      'the journal is at schema',
    ];
    const src = execFileSync('grep', ['-rhF', '--include=*.ts', ...cited.flatMap((c) => ['-e', c]), 'src'], {
      encoding: 'utf8',
    });
    for (const c of cited) {
      expect(doc, `doc cites "${c}"`).toContain(c);
      expect(src, `src logs "${c}"`).toContain(c);
    }
  });

  it('names commands that exist', () => {
    const cli = ['src/cli/commands/journal.ts', 'src/cli/commands/upgrade.ts', 'src/cli/commands/config.ts']
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    for (const cmd of ['verify', 'backup', 'backups', 'restore <backup>', 'prune', 'check', 'rollback'])
      expect(cli).toContain(`.command('${cmd}')`);
    for (const used of [
      'journal verify',
      'journal backup',
      'journal backups --verify',
      'journal restore',
      'journal prune --dry-run',
      'upgrade check',
      'upgrade rollback',
      'config check',
    ])
      expect(doc).toContain(`madoguchi-ctl ${used}`);
  });

  it('is bilingual and links the generated configuration reference and the Windows note', () => {
    for (const h of [
      '対応機器',
      'Hardware compatibility',
      '導入手順',
      'Installation',
      '日常の運用',
      'Daily operations',
      '症状別の対処',
      'Troubleshooting',
      '停電のあと',
      'After a power cut',
      '日計表',
    ])
      expect(doc).toContain(h);
    expect(doc).toContain('(CONFIG.md)');
    expect(doc).toContain('(WINDOWS.md)');
  });
});
