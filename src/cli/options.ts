import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { beforeStart } from '../ops/config-guard.js';

/** The configuration named by the global --config option (or the environment / embedded defaults). */
export function configFrom(cmd: Command) {
  const opts = cmd.optsWithGlobals<{ config?: string }>();
  return loadConfig({ file: opts.config });
}

/** The configuration file in use, if any (the technician console's validated edit rewrites it). */
export function configFileFrom(cmd: Command): string | null {
  return cmd.optsWithGlobals<{ config?: string }>().config ?? process.env.MADOGUCHI_CONFIG ?? null;
}

/** The configuration for a start: a start on an edited configuration counts as its trial (see ops/config-guard). */
export function configForStart(cmd: Command) {
  const notice = beforeStart(configFileFrom(cmd));
  if (notice)
    process.stderr.write(
      `madoguchi: the edited configuration failed to start ${notice.startsFailed} times; the last good one is back (refused one kept as ${notice.rejected})\n`,
    );
  return configFrom(cmd);
}
