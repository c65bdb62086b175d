import type { Command } from 'commander';
import { z } from 'zod';

export function registerFuzz(program: Command): void {
  const fuzz = program.command('fuzz').description('throw random and mutated input at a request surface');
  fuzz
    .command('host')
    .description(
      'random and mutated HTTP, upgrade and WebSocket traffic against a started browser host; exit 1 on any crash or 5xx',
    )
    .option('--seconds <n>', 'how long to run', '30')
    .option('--seed <n>', 'random seed (replay a run)')
    .action(async (o: { seconds: string; seed?: string }) => {
      const { fuzzHost } = await import('../../fuzz/host.js');
      const seconds = z.coerce.number().positive().max(86_400).parse(o.seconds);
      const r = await fuzzHost({
        seconds,
        ...(o.seed === undefined ? {} : { seed: z.coerce.number().int().parse(o.seed) }),
      });
      process.stdout.write(
        [
          `fuzz host: ${seconds} s, seed ${r.seed}`,
          `  requests       ${r.requests}`,
          `  ws messages    ${r.wsMessages}`,
          `  crashes        ${r.crashes}`,
          `  5xx answers    ${r.serverErrors}`,
          `  rss            ${r.rssStartMb} → ${r.rssEndMb} MB (growth ${r.rssGrowthMb} MB)`,
        ].join('\n') +
          '\n' +
          JSON.stringify({
            requests: r.requests,
            wsMessages: r.wsMessages,
            crashes: r.crashes,
            serverErrors: r.serverErrors,
            rssGrowthMb: r.rssGrowthMb,
            seed: r.seed,
          }) +
          '\n',
      );
      process.exit(r.crashes === 0 && r.serverErrors === 0 ? 0 : 1);
    });
}
