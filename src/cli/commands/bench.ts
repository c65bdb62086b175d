import type { Command } from 'commander';
import { benchAreas, formatTable, runBench } from '../../bench/harness.js';

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('run a benchmark area; prints a table, then one JSON line of figures')
    .argument('[area]', 'bench area (omit to list them)')
    .option('--quick', 'fewer iterations (smoke run)')
    .action(async (area: string | undefined, o: { quick?: boolean }) => {
      if (!area) {
        process.stdout.write(benchAreas().join('\n') + '\n');
        return;
      }
      const result = await runBench(area, o.quick ?? false);
      process.stdout.write(
        formatTable(area, result) + '\n' + JSON.stringify({ area, ...result.figures }) + '\n',
      );
      process.exit(0);
    });
}
