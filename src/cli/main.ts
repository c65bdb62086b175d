// `madoguchi`: one command for residents' kiosks and technicians. Each subcommand lives in its own
// module under ./commands; ./commands/index.ts loads only the one being run.
import { Command } from 'commander';
import { registerAll } from './commands/index.js';

const program = new Command('madoguchi')
  .description('Madoguchi (窓口): self-service certificate kiosk')
  .version(process.env.npm_package_version ?? '0.1.0')
  .option(
    '-c, --config <file>',
    'configuration file (YAML or JSON); default: embedded defaults or $MADOGUCHI_CONFIG',
  )
  .showHelpAfterError();

try {
  await registerAll(program, process.argv.slice(2));
  await program.parseAsync(process.argv);
} catch (e) {
  // One clear line and a distinct exit code per kind of failure (docs/OPERATIONS.md); a stack only on request.
  const { describeFailure } = await import('../ops/errors.js');
  const { line, code } = describeFailure(e);
  process.stderr.write(`madoguchi: ${line}\n`);
  if (process.env.MADOGUCHI_DEBUG === '1' && e instanceof Error && e.stack)
    process.stderr.write(e.stack + '\n');
  process.exit(code);
}
