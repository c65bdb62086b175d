import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, envOverrides, loadConfig, usesSimulators } from '../../src/config/load.js';
import { isDemoKiosk } from '../../src/config/semantic.js';

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
    const c = loadConfig({
      file: file('a.yaml', 'kiosk:\n  demo: true\ncard:\n  driver: pcsc\n  readerPattern: "^Virtual PCD"\n'),
      env: {},
    });
    expect(c.card).toMatchObject({ driver: 'pcsc', readerPattern: '^Virtual PCD', timeoutMs: 5000 });
    expect(c.ui.defaultLanguage).toBe('ja');
  });

  it('environment overrides win over the file, with JSON values', () => {
    const env = {
      MADOGUCHI__CARD__DRIVER: 'pcsc',
      MADOGUCHI__UI__SHUFFLE_PIN_PAD: 'true',
      MADOGUCHI__UI__TIMEOUTS: '{"default":30}',
      MADOGUCHI__KIOSK__DEMO: 'true',
    };
    expect(envOverrides(env)).toEqual({
      card: { driver: 'pcsc' },
      ui: { shufflePinPad: true, timeouts: { default: 30 } },
      kiosk: { demo: true },
    });
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
    expect(() => loadConfig({ file: file('d.yaml', 'card:\n  drvier: pcsc\n'), env: {} })).toThrow(
      /card\.drvier/,
    );
  });

  it('a file that is not YAML, not a mapping, or missing stops start-up clearly', () => {
    expect(() => loadConfig({ file: file('e.yaml', 'card: [\n'), env: {} })).toThrow(/not valid YAML/);
    expect(() => loadConfig({ file: file('f.yaml', '- 1\n- 2\n'), env: {} })).toThrow(/expected a mapping/);
    expect(() => loadConfig({ file: join(dir, 'nope.yaml'), env: {} })).toThrow(/cannot read/);
  });

  it('a bad environment value names the key too', () => {
    expect(() => loadConfig({ env: { MADOGUCHI__CARD__DRIVER: 'usb' } })).toThrow(/card\.driver/);
  });

  it('embedded defaults are a demo kiosk; a kiosk with a real device refuses simulators and the embedded registry', () => {
    expect(isDemoKiosk(loadConfig({ env: {} }))).toBe(true);
    const err = (() => {
      try {
        loadConfig({ file: file('g.yaml', 'card:\n  driver: pcsc\n'), env: {} });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.map((p) => p.key)).toEqual([
      'cash.driver',
      'printers.certificate.driver',
      'printers.receipt.driver',
      'registry.mode',
    ]);
    expect(() => loadConfig({ file: file('h.yaml', 'kiosk:\n  demo: false\n'), env: {} })).toThrow(
      /card\.driver: a simulator on a kiosk that is not a demo kiosk/,
    );
  });

  it("a remote registry needs https and readable mutual-TLS files; data directories are the kiosk's own", () => {
    const pem = file('ca.pem', '-----BEGIN CERTIFICATE-----\n');
    const remote = (url: string, keyFile: string) =>
      `kiosk:\n  demo: true\nregistry:\n  mode: remote\n  url: ${url}\n  caFile: ${pem}\n  certFile: ${pem}\n  keyFile: ${keyFile}\n  signingKeys: ${pem}\n`;
    expect(
      loadConfig({ file: file('i.yaml', remote('https://registry.example.lg.jp/', pem)), env: {} }).registry
        .mode,
    ).toBe('remote');
    expect(() =>
      loadConfig({ file: file('j.yaml', remote('http://registry.example.lg.jp/', pem)), env: {} }),
    ).toThrow(/registry\.url: .*https only/);
    expect(() =>
      loadConfig({
        file: file('k.yaml', remote('https://registry.example.lg.jp/', join(dir, 'missing.key'))),
        env: {},
      }),
    ).toThrow(/registry\.keyFile: .*does not exist/);
    expect(() => loadConfig({ file: file('l.yaml', 'kiosk:\n  dataDir: /\n'), env: {} })).toThrow(
      /kiosk\.dataDir: \/: a system directory/,
    );
    expect(() => loadConfig({ file: file('m.yaml', 'kiosk:\n  dataDir: data\n'), env: {} })).toThrow(
      /kiosk\.dataDir: data: use an absolute path/,
    );
  });

  it('a technician account whose one-time-code secret file is missing is refused before it can stop start-up', () => {
    const yaml = `technician:\n  accounts:\n    - id: eng1\n      role: engineer\n      pinHash: scrypt$16384$8$1$AAAA$AAAA\n      totpSecretFile: ${join(dir, 'no-such-totp')}\n`;
    expect(() => loadConfig({ file: file('n.yaml', yaml), env: {} })).toThrow(
      /technician\.accounts\.0\.totpSecretFile: .*does not exist/,
    );
  });

  it('numbers have sane ranges', () => {
    expect(() =>
      loadConfig({
        file: file('o.yaml', 'printers:\n  certificate:\n    jobTimeoutMs: 1000000000000000\n'),
        env: {},
      }),
    ).toThrow(/printers\.certificate\.jobTimeoutMs/);
    expect(() => loadConfig({ file: file('p.yaml', 'cash:\n  baudRate: -5\n'), env: {} })).toThrow(
      /cash\.baudRate/,
    );
    expect(() =>
      loadConfig({ file: file('q.yaml', 'printers:\n  receipt:\n    baudRate: 0\n'), env: {} }),
    ).toThrow(/printers\.receipt\.baudRate/);
    expect(() =>
      loadConfig({ file: file('r.yaml', 'cash:\n  hoppers:\n    - { yen: 7, address: 3 }\n'), env: {} }),
    ).toThrow(/cash\.hoppers\.0\.yen/);
  });
});
