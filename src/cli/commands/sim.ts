// `madoguchi sim <device>`: starts one simulator on its own, in the foreground.
// Each area adds its subcommand module to SIMULATORS (one line each).
import type { Command } from 'commander';
import { registerSimCash } from './sim-cash.js';
import { registerSimCard } from './sim-card.js';
import { registerSimPrinter } from './sim-printer.js';
import { registerSimRegistry } from './sim-registry.js';

type RegisterSim = (sim: Command) => void;

const SIMULATORS: RegisterSim[] = [
  // card, registry, printer and cash simulators register here
  registerSimCash,
  registerSimCard,
  registerSimPrinter,
  registerSimRegistry,
];

export function registerSim(program: Command): void {
  const sim = program.command('sim').description('start a device or service simulator on its own');
  for (const register of SIMULATORS) register(sim);
}
