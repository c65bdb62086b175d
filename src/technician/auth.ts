// Technician credentials: PINs as scrypt hashes (never stored or logged in plain), TOTP codes
// checked against a secret kept in its own file, compared in constant time.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Secret, TOTP } from 'otpauth';

const N = 16_384;
const R = 8;
const P = 1;

/** scrypt$N$r$p$salt$hash — what technician.accounts[].pinHash holds. */
export function hashTechnicianPin(pin: string, salt: Buffer = randomBytes(16)): string {
  const hash = scryptSync(pin, salt, 32, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function verifyTechnicianPin(pin: string, stored: string): boolean {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const want = Buffer.from(hash, 'base64');
  const got = scryptSync(pin, Buffer.from(salt, 'base64'), want.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(want, got);
}

export class TotpSecretUnreadable extends Error {
  readonly kind = 'totpSecret' as const;
}

function totpFor(secretBase32: string): TOTP {
  return new TOTP({
    issuer: 'Madoguchi',
    label: 'technician',
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secretBase32),
  });
}

export function readTotpSecret(file: string): string {
  try {
    const s = readFileSync(file, 'utf8').trim().replace(/\s+/g, '').toUpperCase();
    if (!/^[A-Z2-7]+=*$/.test(s) || s.length < 16) throw new Error('not a base32 secret of at least 80 bits');
    return s;
  } catch (e) {
    throw new TotpSecretUnreadable(`TOTP secret ${file}: ${(e as Error).message}`);
  }
}

/** True when `code` is the current TOTP (± `window` steps of 30 s). */
export function verifyTotp(
  secretBase32: string,
  code: string,
  window: number,
  at: Date = new Date(),
): boolean {
  return totpStep(secretBase32, code, window, at) !== null;
}

/** The 30 s time step `code` belongs to (± `window` steps of `at`), or null: a step is spent once. */
export function totpStep(
  secretBase32: string,
  code: string,
  window: number,
  at: Date = new Date(),
): number | null {
  const delta = totpFor(secretBase32).validate({ token: code, window, timestamp: at.getTime() });
  return delta === null ? null : Math.floor(at.getTime() / 30_000) + delta;
}

/** The current code (tests, and `docs/technician.md`'s enrolment check). */
export function currentTotp(secretBase32: string, at: Date = new Date()): string {
  return totpFor(secretBase32).generate({ timestamp: at.getTime() });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}
