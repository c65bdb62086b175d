// Every subcommand of `madoguchi`. Add one line per new module.
import type { Command } from 'commander';
import { registerStart } from './start.js';
import { registerBench } from './bench.js';
import { registerConfig } from './config.js';
import { registerSim } from './sim.js';
import { registerJournal } from './journal.js';
import { registerMachine } from './machine.js';
import { registerCard } from './card.js';
import { registerPrint } from './print.js';
import { registerVerify } from './verify.js';
import { registerUpgrade } from './upgrade.js';

export function registerAll(program: Command): void {
  registerStart(program);
  registerConfig(program);
  registerJournal(program);
  registerMachine(program);
  registerSim(program);
  registerBench(program);
  registerCard(program);
  registerPrint(program);
  registerVerify(program);
  registerUpgrade(program);
}
