import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, envOverrides, loadConfig, usesSimulators } from '../../src/config/load.js';

const dir = mkdtempSync(join(tmpdir(), 'madoguchi-config-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('configuration', () => {
  it('embedded defaults select every simulator and the local registry', () => {
    const c = loadConfig({ env: {} });
    expect(c.card.driver).toBe('simulator');
    expect(c.cash.driver).toBe('simulator');
    expect(c.printers.certificate.driver).toBe('simulator');
    expect(c.printers.receipt.driver).toBe('simulator');
    expect(c.registry.mode).toBe('embedded');
    expect(usesSimulators(c)).toBe(true);
  });

  it('reads a YAML file and keeps defaults for what it omits', () => {
    const c = loadConfig({ file: file('a.yaml', 'card:\n  driver: pcsc\n  readerPattern: "^Virtual PCD"\n'), env: {} });
    expect(c.card).toMatchObject({ driver: 'pcsc', readerPattern: '^Virtual PCD', timeoutMs: 5000 });
    expect(c.ui.defaultLanguage).toBe('ja');
  });

  it('environment overrides win over the file, with JSON values', () => {
    const env = { MADOGUCHI__CARD__DRIVER: 'pcsc', MADOGUCHI__UI__SHUFFLE_PIN_PAD: 'true', MADOGUCHI__UI__TIMEOUTS: '{"default":30}' };
    expect(envOverrides(env)).toEqual({ card: { driver: 'pcsc' }, ui: { shufflePinPad: true, timeouts: { default: 30 } } });
    const c = loadConfig({ file: file('b.yaml', 'card:\n  driver: simulator\n'), env });
    expect(c.card.driver).toBe('pcsc');
    expect(c.ui.shufflePinPad).toBe(true);
  });

  it('a bad value names its key and the problem', () => {
    const err = (() => {
      try {
        loadConfig({ file: file('c.yaml', 'cash:\n  replyTimeoutMs: 5\n'), env: {} });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems[0]!.key).toBe('cash.replyTimeoutMs');
    expect((err as ConfigError).message).toMatch(/cash\.replyTimeoutMs: .*>=\s?10/);
  });

  it('an unknown key is an error, not silently ignored', () => {
    expect(() => loadConfig({ file: file('d.yaml', 'card:\n  drvier: pcsc\n'), env: {} })).toThrow(/card\.drvier/);
  });

  it('a file that is not YAML, not a mapping, or missing stops start-up clearly', () => {
    expect(() => loadConfig({ file: file('e.yaml', 'card: [\n'), env: {} })).toThrow(/not valid YAML/);
    expect(() => loadConfig({ file: file('f.yaml', '- 1\n- 2\n'), env: {} })).toThrow(/expected a mapping/);
    expect(() => loadConfig({ file: join(dir, 'nope.yaml'), env: {} })).toThrow(/cannot read/);
  });

  it('a bad environment value names the key too', () => {
    expect(() => loadConfig({ env: { MADOGUCHI__CARD__DRIVER: 'usb' } })).toThrow(/card\.driver/);
  });
});
