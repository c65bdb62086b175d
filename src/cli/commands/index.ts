// Every subcommand of `madoguchi`, loaded lazily: only the module of the command being run is
// imported (with its dependencies), so `madoguchi --help` and light commands start fast. The
// others appear as stubs with their one-line summary. Add one entry per new module.
import type { Command } from 'commander';

type Register = (program: Command) => void;
interface Entry {
  name: string;
  summary: string;
  load: () => Promise<Register>;
}

const COMMANDS: Entry[] = [
  {
    name: 'start',
    summary: 'run the kiosk (Electron when its binary is present, otherwise the browser host)',
    load: async () => (await import('./start.js')).registerStart,
  },
  {
    name: 'config',
    summary: 'show or check the configuration',
    load: async () => (await import('./config.js')).registerConfig,
  },
  {
    name: 'journal',
    summary: 'the kiosk journal (SQLite)',
    load: async () => (await import('./journal.js')).registerJournal,
  },
  {
    name: 'machine',
    summary: 'print the transaction state machine as a Mermaid state diagram (docs/transaction.md)',
    load: async () => (await import('./machine.js')).registerMachine,
  },
  {
    name: 'sim',
    summary: 'start a device or service simulator on its own',
    load: async () => (await import('./sim.js')).registerSim,
  },
  {
    name: 'bench',
    summary: 'run a benchmark area; prints a table, then one JSON line of figures',
    load: async () => (await import('./bench.js')).registerBench,
  },
  {
    name: 'card',
    summary: 'IC card reader tools for technicians',
    load: async () => (await import('./card.js')).registerCard,
  },
  {
    name: 'print',
    summary: 'render certificates and test pages',
    load: async () => (await import('./print.js')).registerPrint,
  },
  {
    name: 'verify',
    summary: 'verify a printed certificate (PDF, or PNG scan of the back) with the registry public key',
    load: async () => (await import('./verify.js')).registerVerify,
  },
  {
    name: 'upgrade',
    summary: 'journal schema upgrades and rollback',
    load: async () => (await import('./upgrade.js')).registerUpgrade,
  },
  {
    name: 'fuzz',
    summary: 'throw random and mutated input at a request surface',
    load: async () => (await import('./fuzz.js')).registerFuzz,
  },
];

/** The subcommand named on the command line (`help <name>` included), skipping global options. */
export function requestedCommand(args: string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-c' || a === '--config') i++;
    else if (a === 'help') return args[i + 1] ?? null;
    else if (!a.startsWith('-')) return a;
  }
  return null;
}

/** Registers the requested command in full and every other one as a stub for the help listing. */
export async function registerAll(program: Command, args: string[]): Promise<void> {
  const wanted = requestedCommand(args);
  for (const c of COMMANDS) {
    if (c.name === wanted) (await c.load())(program);
    else program.command(c.name).description(c.summary);
  }
}
