// Starts a kiosk app with a browser host on the embedded defaults in a temporary data dir.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { createKioskApp, type KioskApp } from '../../src/app.js';
import { startBrowserHost, type BrowserHost } from '../../src/host/browser-host.js';
import { silentLogger } from '../../src/log/logger.js';

export const RENDERER_DIR = resolve('renderer/dist');

export async function startTestKiosk(overrides: ConfigInput = {}, opts: { fileLog?: boolean } = {}): Promise<{ app: KioskApp; host: BrowserHost; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-test-'));
  const config = parseConfig({ ...overrides, kiosk: { dataDir, ...(overrides.kiosk ?? {}) } });
  const app = await createKioskApp(config, opts.fileLog ? {} : { log: silentLogger });
  const host = await startBrowserHost({ dispatch: app.dispatch, subscribe: (l) => app.core.subscribe(l), rendererDir: RENDERER_DIR, log: silentLogger });
  return {
    app,
    host,
    async stop() {
      await host.close();
      await app.stop();
    },
  };
}
