import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';

/** The configuration named by the global --config option (or the environment / embedded defaults). */
export function configFrom(cmd: Command) {
  const opts = cmd.optsWithGlobals<{ config?: string }>();
  return loadConfig({ file: opts.config });
}

/** The configuration file in use, if any (the technician console's validated edit rewrites it). */
export function configFileFrom(cmd: Command): string | null {
  return cmd.optsWithGlobals<{ config?: string }>().config ?? process.env.MADOGUCHI_CONFIG ?? null;
}
