import type { Command } from 'commander';
import { stringify } from 'yaml';
import { configFrom } from '../options.js';
import { dataPaths } from '../../config/load.js';

export function registerConfig(program: Command): void {
  const config = program.command('config').description('show or check the configuration');
  config
    .command('show')
    .description('print the effective configuration (defaults + file + environment) as YAML')
    .action((_o, cmd: Command) => {
      const c = configFrom(cmd);
      process.stdout.write(stringify({ ...c, paths: dataPaths(c) }));
    });
  config
    .command('check')
    .description('validate the configuration and exit 0, or name the bad key and exit 78')
    .action((_o, cmd: Command) => {
      configFrom(cmd);
      process.stdout.write('configuration ok\n');
    });
}
