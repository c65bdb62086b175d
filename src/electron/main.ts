// Electron main: thin. Loads the configuration, starts the same core the browser host uses, and
// hands the hardened window policy (shell.ts) the contract's dispatcher.
import * as electron from 'electron';
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { beforeStart } from '../ops/config-guard.js';
import { createKioskApp } from '../app.js';
import { runShell } from './shell.js';
import { registerAppScheme } from './app-scheme.js';
import { exportDirOf } from '../ops/exports.js';
import { installFatalHandlers } from '../app/fatal.js';

const dev = process.env.MADOGUCHI_DEV === '1' || process.argv.includes('--dev');

// Before anything awaits: privileged schemes can only be registered before the app is ready.
registerAppScheme(electron.protocol);

async function main() {
  // A start on an edited configuration counts as its trial; after two failed ones the last good comes back.
  beforeStart(process.env.MADOGUCHI_CONFIG ?? null);
  const config = loadConfig();
  const restart = () => {
    electron.app.relaunch();
    electron.app.exit(0);
  };
  const kiosk = await createKioskApp(config, {
    core: { configFile: process.env.MADOGUCHI_CONFIG ?? null, restart },
  });
  installFatalHandlers(kiosk, { exit: (code) => electron.app.exit(code) });
  runShell(electron, {
    dispatch: kiosk.dispatch,
    subscribe: (l) => kiosk.core.subscribe(l),
    rendererDir: join(__dirname, '../../renderer/dist'),
    preload: join(__dirname, 'preload.cjs'),
    dev,
    log: kiosk.log,
    exportDir: exportDirOf(config, kiosk.paths.dataDir),
  });
  electron.app.on('before-quit', () => void kiosk.stop());
}

main().catch((e: unknown) => {
  process.stderr.write(`madoguchi: ${e instanceof Error ? e.message : String(e)}\n`);
  electron.app.exit(78);
});
