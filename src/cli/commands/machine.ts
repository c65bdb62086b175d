import type { Command } from 'commander';

export function registerMachine(program: Command): void {
  program
    .command('machine')
    .description('print the transaction state machine as a Mermaid state diagram (docs/transaction.md)')
    .action(async () => {
      const { toMermaid } = await import('../../core/machine/draw.js');
      process.stdout.write(toMermaid());
    });
}
