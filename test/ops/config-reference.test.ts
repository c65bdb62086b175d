import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { configReference } from '../../src/ops/config-reference.js';

describe('configuration reference (docs/CONFIG.md)', () => {
  it('is exactly what the schema generates (regenerate: npx tsx scripts/gen-config-reference.ts)', () => {
    expect(readFileSync('docs/CONFIG.md', 'utf8')).toBe(configReference());
  });

  it('has a section file per schema section and lists every key of the defaults', () => {
    const sections = Object.keys(ConfigSchema.shape);
    expect(
      readdirSync('src/config/sections')
        .map((f) => f.replace(/\.ts$/, ''))
        .sort(),
    ).toEqual(expect.arrayContaining([...sections].sort()));
    const doc = configReference();
    // A record (ui.timeouts, service.municipalityReadings) is one row with its whole default.
    const documentedWhole = (path: string) => doc.includes(`| \`${path}\` | object | \``);
    const leaves = (o: unknown, path: string): string[] =>
      o !== null &&
      typeof o === 'object' &&
      !Array.isArray(o) &&
      Object.keys(o).length &&
      !documentedWhole(path)
        ? Object.entries(o).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k))
        : [path];
    for (const key of leaves(ConfigSchema.parse({}), '')) expect(doc, key).toContain(`| \`${key}\` |`);
  });

  it('names the environment override the loader really reads', async () => {
    const { envOverrides } = await import('../../src/config/load.js');
    expect(configReference()).toContain('`MADOGUCHI__PRINTERS__CERTIFICATE__JOB_TIMEOUT_MS`');
    expect(envOverrides({ MADOGUCHI__PRINTERS__CERTIFICATE__JOB_TIMEOUT_MS: '5000' })).toEqual({
      printers: { certificate: { jobTimeoutMs: 5000 } },
    });
    expect(envOverrides({ MADOGUCHI__JOURNAL__BACKUP__KEEP_DAYS: '30' })).toEqual({
      journal: { backup: { keepDays: 30 } },
    });
  });
});
