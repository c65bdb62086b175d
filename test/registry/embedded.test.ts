// The kiosk's default configuration: registry.mode = 'embedded' starts the simulator in-process on
// loopback with generated PKI, and the engine gets a working RegistryPort from one call.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { openRegistry } from '../../src/registry/index.js';
import { captureLog, login, tempDir, MURORAN } from './helpers.js';

describe('embedded registry', () => {
  it('starts from the default config and serves a whole transaction', async () => {
    const config = ConfigSchema.parse({});
    expect(config.registry.mode).toBe('embedded');
    const dataDir = tempDir();
    const db = new Database(':memory:');
    const { log, text } = captureLog();
    const registry = await openRegistry(config.registry, { kioskId: config.kiosk.id, dataDir, db, log });
    try {
      expect(registry.embedded?.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const resident = await login(registry.port, 'yamada-taro');
      const catalog = await registry.port.catalog();
      expect(catalog.municipalities.map((m) => m.code)).toEqual([MURORAN, '012301', '012335']);
      const issued = await registry.port.issue(
        resident.token,
        {
          municipalityCode: MURORAN,
          certificate: 'shotoku-kazei',
          options: { fiscalYear: '2026' },
          copies: 1,
        },
        'embedded-test-1',
      );
      await registry.port.finalize(issued.issuanceId);
      expect((await registry.port.flushOutbox()).drained).toBe(true);
      const day = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
      expect(await registry.port.reconciliation(day)).toMatchObject({
        kioskId: config.kiosk.id,
        finalized: 1,
        finalizedFeeYen: 200,
      });
      expect(text()).not.toContain('山田');
    } finally {
      await registry.close();
    }
  });
});
