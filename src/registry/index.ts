// How the kiosk gets its registry: `openRegistry(config.registry, …)` returns the RegistryPort adapter,
// starting the embedded simulator first when registry.mode is 'embedded', and the one set of
// document-signing keys the client, the printers and recovery all verify against.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { JWK } from 'jose';
import type { z } from 'zod';
import type { RegistrySection } from '../config/sections/registry.js';
import type { Logger } from '../log/logger.js';
import type { EmbeddedRegistry } from './embedded.js';
import { loadJwksFile, parseJwks, RegistryKeyError } from './keys.js';
import type { OutboxAudit } from './outbox.js';
import type { Clock } from '../core/clock.js';
import { createRegistryAdapter, type RegistryAdapter } from './port.js';

export type { EmbeddedRegistry } from './embedded.js';
export { createRegistryAdapter, type RegistryAdapter } from './port.js';
export { RegistryError } from './errors.js';
export { RegistryOutbox } from './outbox.js';
export { verifyDocument, SignedDocument } from './document.js';
export { RegistryKeyError, loadJwksFile } from './keys.js';

type RegistryConfig = z.infer<typeof RegistrySection>;

/** Where the embedded simulator keeps its generated signing key (fixtures/registry/signing-key.ts). */
export const embeddedSigningKeyPath = (dataDir: string) => join(dataDir, 'registry', 'signing-key.jwk');

/**
 * The keys this kiosk trusts, without starting anything (for `madoguchi verify`): the configured
 * JWKS, and in embedded mode also the public half of the simulator key of this data directory.
 */
export function configuredRegistryKeys(config: RegistryConfig, dataDir: string): JWK[] {
  const configured = config.signingKeys ? loadJwksFile(config.signingKeys) : [];
  if (config.mode === 'remote') {
    if (!configured.length)
      throw new RegistryKeyError(
        'registry.mode is remote but registry.signingKeys names no JWKS file: the kiosk would trust no certificate',
      );
    return configured;
  }
  const sim = embeddedSigningKeyPath(dataDir);
  const own = existsSync(sim) ? parseJwks(publicPart(JSON.parse(readFileSync(sim, 'utf8')) as JWK), sim) : [];
  return [...own, ...configured.filter((k) => !own.some((o) => o.kid === k.kid))];
}

const publicPart = ({ kty, crv, x, y, kid }: JWK): JWK => ({ kty, crv, x, y, kid }) as JWK;

export async function openRegistry(
  config: RegistryConfig,
  deps: {
    kioskId: string;
    dataDir: string;
    db: Database.Database;
    log: Logger;
    /** The journal's audit copy of an outbox row (the kiosk passes it; tools reading a scratch database do not). */
    auditOutbox?: OutboxAudit;
    /** The kiosk's clock for the outbox retry, the circuit probe and the heartbeats. */
    clock?: Clock;
  },
): Promise<{
  port: RegistryAdapter;
  embedded: EmbeddedRegistry | null;
  publicKeys: JWK[];
  close(): Promise<void>;
}> {
  // Read (and refused) before anything starts: a remote kiosk without keys never comes up.
  const configured = config.signingKeys ? loadJwksFile(config.signingKeys) : [];
  if (config.mode === 'remote' && !configured.length)
    throw new RegistryKeyError(
      'registry.mode is remote but registry.signingKeys names no JWKS file: the kiosk would trust no certificate',
    );
  let embedded: EmbeddedRegistry | null = null;
  let url = config.url;
  let tls: { ca: string; cert: string; key: string };
  let publicKeys = configured;
  if (config.mode === 'embedded') {
    // Loaded only in embedded mode: a kiosk on a real registry never loads the simulator (Fastify, seed).
    const { startEmbeddedRegistry } = await import('./embedded.js');
    embedded = await startEmbeddedRegistry({ dataDir: deps.dataDir, kioskId: deps.kioskId, log: deps.log });
    url = embedded.url;
    tls = { ca: embedded.ca, cert: embedded.clientCert, key: embedded.clientKey };
    publicKeys = [
      ...embedded.publicKeys,
      ...configured.filter((k) => !embedded!.publicKeys.some((o) => o.kid === k.kid)),
    ];
  } else {
    tls = {
      ca: readFileSync(config.caFile, 'utf8'),
      cert: readFileSync(config.certFile, 'utf8'),
      key: readFileSync(config.keyFile, 'utf8'),
    };
  }
  deps.log.info({ kids: publicKeys.map((k) => k.kid) }, 'registry signing keys trusted');
  const port = createRegistryAdapter({
    ...config,
    url,
    tls,
    publicKeys,
    db: deps.db,
    log: deps.log,
    ...(deps.auditOutbox ? { auditOutbox: deps.auditOutbox } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  return {
    port,
    embedded,
    publicKeys,
    async close() {
      await port.close();
      await embedded?.close();
    },
  };
}
