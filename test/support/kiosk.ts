// Starts a kiosk app with a browser host on the embedded defaults in a temporary data dir.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { createKioskApp, type KioskApp } from '../../src/app.js';
import { startBrowserHost, type BrowserHost } from '../../src/host/browser-host.js';
import { silentLogger } from '../../src/log/logger.js';
import type { KioskCoreOptions } from '../../src/app/kiosk.js';

export const RENDERER_DIR = resolve('renderer/dist');

export async function startTestKiosk(
  overrides: ConfigInput = {},
  opts: { fileLog?: boolean; core?: KioskCoreOptions } = {},
): Promise<{ app: KioskApp; host: BrowserHost; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-test-'));
  // Tests run at any hour: service hours are tested on their own (test/core/service-hours*.test.ts).
  const config = parseConfig({
    ...overrides,
    kiosk: { dataDir, serviceHours: 'always', ...(overrides.kiosk ?? {}) },
  });
  const app = await createKioskApp(config, {
    ...(opts.fileLog ? {} : { log: silentLogger }),
    ...(opts.core ? { core: opts.core } : {}),
  });
  const host = await startBrowserHost({
    dispatch: app.dispatch,
    subscribe: (l) => app.core.subscribe(l),
    rendererDir: RENDERER_DIR,
    log: silentLogger,
  });
  return {
    app,
    host,
    async stop() {
      await host.close();
      await app.stop();
    },
  };
}
