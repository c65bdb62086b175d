// Assembles a kiosk from its configuration: logger, core and the contract dispatcher.
// Both shells (Electron main, browser host) and the tests start the kiosk through here.
import { mkdirSync } from 'node:fs';
import type { Config } from './config/schema.js';
import { dataPaths } from './config/load.js';
import { createLogger, type Logger } from './log/logger.js';
import { createKioskCore, type KioskCore, type KioskCoreOptions } from './app/kiosk.js';
import { createDispatcher, type Dispatch } from './core/dispatcher.js';
import { startKioskOps } from './ops/kiosk-ops.js';

export interface KioskApp {
  config: Config;
  paths: ReturnType<typeof dataPaths>;
  log: Logger;
  core: KioskCore;
  dispatch: Dispatch;
  stop(): Promise<void>;
}

export interface KioskAppOptions {
  log?: Logger;
  /** Log to stderr as well as the log file. */
  stderr?: boolean;
  core?: KioskCoreOptions;
}

export async function createKioskApp(config: Config, opts: KioskAppOptions = {}): Promise<KioskApp> {
  const paths = dataPaths(config);
  mkdirSync(paths.dataDir, { recursive: true });
  const log =
    opts.log ??
    createLogger({
      level: config.log.level,
      dir: paths.logDir,
      stderr: opts.stderr ?? false,
      rotation: { maxFileBytes: config.log.maxFileMb * 1024 * 1024, maxFiles: config.log.maxFiles },
      rateLimit: { perWindow: config.log.linesPerSourcePerMinute, windowMs: 60_000 },
    });
  const core = await createKioskCore(config, paths, log, opts.core);
  const dispatch = createDispatcher(core.handlers, log);
  const ops = startKioskOps({
    config,
    journalPath: paths.journal,
    keyPath: paths.journalKey,
    journal: core.journal,
    log,
    ...(opts.core?.clock ? { clock: opts.core.clock } : {}),
  });
  return {
    config,
    paths,
    log,
    core,
    dispatch,
    async stop() {
      ops.stop();
      await core.stop();
      log.flush?.();
    },
  };
}
