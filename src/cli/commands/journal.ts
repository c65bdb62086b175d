import type { Command } from 'commander';
import { configFrom } from '../options.js';
import { dataPaths } from '../../config/load.js';
import { openJournal } from '../../core/journal/open.js';
import { verifyJournal } from '../../core/journal/verify.js';

export function registerJournal(program: Command): void {
  const journal = program.command('journal').description('the kiosk journal (SQLite)');
  journal
    .command('verify')
    .description('check the hash-chained audit log and every journal row against it; exit 1 on any problem')
    .option('--file <path>', 'journal file (default: from the configuration)')
    .action((o: { file?: string }, cmd: Command) => {
      const config = configFrom(cmd);
      const j = openJournal(o.file ?? dataPaths(config).journal, config.kiosk.id);
      const report = verifyJournal(j);
      j.db.close();
      if (report.ok) {
        process.stdout.write(`journal ok: ${report.auditRows} audit rows, chain and mirrors intact\n`);
        return;
      }
      process.stdout.write(`journal TAMPERED: ${report.problems.length} problem(s)\n${report.problems.map((p) => `  ${p}`).join('\n')}\n`);
      process.exitCode = 1;
    });
  journal
    .command('open')
    .description('list transactions that are not closed (recovery resolves them at start-up)')
    .option('--file <path>', 'journal file')
    .action((o: { file?: string }, cmd: Command) => {
      const config = configFrom(cmd);
      const j = openJournal(o.file ?? dataPaths(config).journal, config.kiosk.id);
      for (const t of j.openTransactions()) process.stdout.write(`${t.id}  ${t.started_at}  ${t.certificate_type ?? '-'}  fee ${t.fee_yen ?? '-'}\n`);
      j.db.close();
    });
}
