// The registry's document-signing keys the kiosk trusts: exactly the public JWKS in its
// configuration (one `kid` per key, several at once while the registry rotates). A key file that
// carries private material, lacks a kid or is not ES256 is refused rather than half-used.
import { existsSync, readFileSync } from 'node:fs';
import type { JWK } from 'jose';

export class RegistryKeyError extends Error {
  readonly kind = 'registryKeys' as const;
}

/** Members of a private EC/RSA/oct JWK; none may appear in a trusted key set. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'] as const;

/** The public half of an EC signing JWK. */
export function publicJwkOf(jwk: JWK): JWK {
  const { kty, crv, x, y, kid } = jwk;
  return { kty, crv, x, y, ...(kid ? { kid } : {}), alg: 'ES256', use: 'sig' } as JWK;
}

/** A JWKS ({"keys": [...]}), an array of JWKs or a single JWK, checked key by key. */
export function parseJwks(value: unknown, source: string): JWK[] {
  const list: unknown[] = Array.isArray(value)
    ? value
    : value && typeof value === 'object' && Array.isArray((value as { keys?: unknown }).keys)
      ? (value as { keys: unknown[] }).keys
      : [value];
  if (list.length === 0) throw new RegistryKeyError(`${source}: the key set is empty`);
  const seen = new Set<string>();
  return list.map((k, i) => {
    const where = `${source}: key ${i + 1}`;
    if (!k || typeof k !== 'object') throw new RegistryKeyError(`${where} is not a JWK object`);
    const jwk = k as JWK;
    const secret = PRIVATE_MEMBERS.filter((m) => m in jwk);
    if (secret.length)
      throw new RegistryKeyError(
        `${where} (kid ${jwk.kid ?? '?'}) holds private key material (${secret.join(', ')}): configure only the registry's public keys`,
      );
    if (typeof jwk.kid !== 'string' || jwk.kid.length === 0)
      throw new RegistryKeyError(`${where} has no kid`);
    if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string')
      throw new RegistryKeyError(`${where} (kid ${jwk.kid}) is not an EC P-256 public key`);
    if (jwk.alg !== undefined && jwk.alg !== 'ES256')
      throw new RegistryKeyError(`${where} (kid ${jwk.kid}) is for ${jwk.alg}, not ES256`);
    if (jwk.use !== undefined && jwk.use !== 'sig')
      throw new RegistryKeyError(`${where} (kid ${jwk.kid}) is not a signing key (use ${jwk.use})`);
    if (seen.has(jwk.kid)) throw new RegistryKeyError(`${source}: kid ${jwk.kid} appears twice`);
    seen.add(jwk.kid);
    return publicJwkOf(jwk);
  });
}

export function loadJwksFile(path: string): JWK[] {
  if (!existsSync(path)) throw new RegistryKeyError(`registry key set ${path} does not exist`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new RegistryKeyError(`registry key set ${path} is not JSON`);
  }
  return parseJwks(value, path);
}

/** The key ids of a set, for messages. */
export const kidsOf = (keys: JWK[]) => keys.map((k) => k.kid ?? '?');
