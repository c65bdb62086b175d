// The browser host's session secret survives a restart of the core, and only while it is owner-only.
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { persistentSessionSecret, sessionSecretPath } from '../../src/host/session-secret.js';

const dir = () => mkdtempSync(join(tmpdir(), 'madoguchi-secret-'));

describe('browser host session secret', () => {
  it('is the same after a restart, owner-only in an owner-only folder', () => {
    const path = sessionSecretPath(dir(), {});
    const first = persistentSessionSecret(path);
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(persistentSessionSecret(path)).toBe(first);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
  });

  it('is made again when others could read it or it is not a secret of ours', () => {
    const path = sessionSecretPath(dir(), {});
    const first = persistentSessionSecret(path);
    chmodSync(path, 0o644);
    const second = persistentSessionSecret(path);
    expect(second).not.toBe(first);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    writeFileSync(path, 'short\n', { mode: 0o600 });
    const third = persistentSessionSecret(path);
    expect(third).not.toBe('short');
    expect(readFileSync(path, 'utf8').trim()).toBe(third);
  });

  it("lives in the unit's runtime directory when there is one", () => {
    expect(sessionSecretPath('/var/lib/madoguchi', { RUNTIME_DIRECTORY: '/run/madoguchi' })).toBe(
      '/run/madoguchi/browser-session',
    );
    expect(sessionSecretPath('/var/lib/madoguchi', {})).toBe('/var/lib/madoguchi/run/browser-session');
  });
});
