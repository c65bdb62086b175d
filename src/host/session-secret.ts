// The browser host's session secret outlives a restart of the core: the browser keeps its HttpOnly
// cookie, so a page that lost the core reconnects to the restarted one without a new one-time code.
// The secret is owner-only (0600 in a 0700 folder), in the runtime directory when a unit gives one.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SECRET = /^[A-Za-z0-9_-]{32}$/;

/** Where the secret lives: systemd's RuntimeDirectory when set, else `<dataDir>/run`. */
export function sessionSecretPath(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.RUNTIME_DIRECTORY?.split(':')[0] || join(dataDir, 'run');
  return join(dir, 'browser-session');
}

/** The secret at path when it is well formed and owner-only; otherwise a fresh one written there. */
export function persistentSessionSecret(path: string): string {
  try {
    const st = statSync(path);
    const value = readFileSync(path, 'utf8').trim();
    if ((st.mode & 0o077) === 0 && SECRET.test(value)) return value;
  } catch {
    // Missing or unreadable: a fresh secret below.
  }
  const secret = randomBytes(24).toString('base64url');
  const dir = join(path, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(path, secret + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
  return secret;
}
