// `madoguchi`: one command for residents' kiosks and technicians. Each subcommand lives in its own
// module under ./commands; ./commands/index.ts loads only the one being run.
import { Command } from 'commander';
import { registerAll } from './commands/index.js';

const program = new Command('madoguchi')
  .description('Madoguchi (窓口): self-service certificate kiosk')
  .version(process.env.npm_package_version ?? '0.1.0')
  .option('-c, --config <file>', 'configuration file (YAML or JSON); default: embedded defaults or $MADOGUCHI_CONFIG')
  .showHelpAfterError();

try {
  await registerAll(program, process.argv.slice(2));
  await program.parseAsync(process.argv);
} catch (e) {
  const { ConfigError } = await import('../config/load.js');
  if (e instanceof ConfigError) {
    process.stderr.write(e.message + '\n');
    process.exit(78); // EX_CONFIG
  }
  process.stderr.write(`madoguchi: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
}
