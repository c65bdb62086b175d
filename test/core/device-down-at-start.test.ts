// A device that is down when the kiosk starts (a receipt printer that does not answer, a cash
// line that does not exist) puts the kiosk out of service with the reason; it never exits.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { createKioskApp } from '../../src/app.js';
import { silentLogger } from '../../src/log/logger.js';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('a device down at start-up', () => {
  it('receipt printer unreachable and cash line missing: out of service with the reasons, process up', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-down-'));
    const config = parseConfig({
      kiosk: { dataDir, serviceHours: 'always' },
      printers: { receipt: { driver: 'escpos', host: '127.0.0.1', port: await closedPort() } },
      cash: { driver: 'cctalk', port: join(dataDir, 'no-such-tty') },
    });
    const app = await createKioskApp(config, { log: silentLogger, core: { monitorMs: 3_600_000 } });
    try {
      const reasons = await app.core.checkService();
      expect(reasons).toEqual(expect.arrayContaining(['receiptPrinter', 'cash']));
      expect(app.core.snapshot().state).toBe('outOfService');
      const statuses = app.core.devices.statuses();
      expect(statuses.find((s) => s.id === 'receiptPrinter')).toMatchObject({
        state: 'offline',
        lastError: { kind: 'unavailable' },
      });
      expect(statuses.find((s) => s.id === 'coinAcceptor')).toMatchObject({ state: 'offline' });
      // A card inserted meanwhile starts nothing.
      await app.dispatch({
        kind: 'request',
        id: 1,
        command: 'demo',
        payload: { action: { type: 'insertCard', cardId: 'yamada-taro' } },
      });
      expect(app.core.snapshot().state).toBe('outOfService');
    } finally {
      await app.stop();
    }
  });
});
