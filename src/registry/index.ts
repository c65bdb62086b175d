// How the kiosk gets its registry: `openRegistry(config.registry, …)` returns the RegistryPort adapter,
// starting the embedded simulator first when registry.mode is 'embedded'.
import { readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { JWK } from 'jose';
import type { z } from 'zod';
import type { RegistrySection } from '../config/sections/registry.js';
import type { Logger } from '../log/logger.js';
import { REGISTRY_PUBLIC_JWK } from './document.js';
import type { EmbeddedRegistry } from './embedded.js';
import { createRegistryAdapter, type RegistryAdapter } from './port.js';

export type { EmbeddedRegistry } from './embedded.js';
export { createRegistryAdapter, type RegistryAdapter } from './port.js';
export { RegistryError } from './errors.js';
export { RegistryOutbox } from './outbox.js';
export { REGISTRY_PUBLIC_JWK, verifyDocument, SignedDocument } from './document.js';

export async function openRegistry(
  config: z.infer<typeof RegistrySection>,
  deps: { kioskId: string; dataDir: string; db: Database.Database; log: Logger },
): Promise<{ port: RegistryAdapter; embedded: EmbeddedRegistry | null; close(): Promise<void> }> {
  const publicKeys: JWK[] = [REGISTRY_PUBLIC_JWK, ...config.signingKeyFiles.map((f) => JSON.parse(readFileSync(f, 'utf8')) as JWK)];
  let embedded: EmbeddedRegistry | null = null;
  let url = config.url;
  let tls: { ca: string; cert: string; key: string };
  if (config.mode === 'embedded') {
    // Loaded only in embedded mode: a kiosk on a real registry never loads the simulator (Fastify, seed).
    const { startEmbeddedRegistry } = await import('./embedded.js');
    embedded = await startEmbeddedRegistry({ dataDir: deps.dataDir, kioskId: deps.kioskId, log: deps.log });
    url = embedded.url;
    tls = { ca: embedded.ca, cert: embedded.clientCert, key: embedded.clientKey };
  } else {
    tls = { ca: readFileSync(config.caFile, 'utf8'), cert: readFileSync(config.certFile, 'utf8'), key: readFileSync(config.keyFile, 'utf8') };
  }
  const port = createRegistryAdapter({ ...config, url, tls, publicKeys, db: deps.db, log: deps.log });
  return {
    port,
    embedded,
    async close() {
      await port.close();
      await embedded?.close();
    },
  };
}
