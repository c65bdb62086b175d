// Embedded mode: the registry simulator in this process on 127.0.0.1 (random port), with the
// generated test PKIs, and this kiosk's client certificate. For demos and development only.
import { join } from 'node:path';
import type { JWK } from 'jose';
import type { Logger } from '../log/logger.js';
import { kioskClientCert, loadRegistryTlsPki } from '../../fixtures/pki/tls.js';
import { startRegistrySimulator } from '../../fixtures/registry/start.js';
import type { RegistrySimulator } from '../../fixtures/registry/server.js';

export interface EmbeddedRegistry {
  url: string;
  /** PEM of the registry CA to pin, and this kiosk's client certificate and key. */
  ca: string;
  clientCert: string;
  clientKey: string;
  /** The simulator's document-signing public keys (generated per data directory). */
  publicKeys: JWK[];
  simulator: RegistrySimulator;
  close(): Promise<void>;
}

export async function startEmbeddedRegistry(o: {
  dataDir: string;
  log: Logger;
  kioskId?: string;
  jpkiDir?: string;
}): Promise<EmbeddedRegistry> {
  const tlsDir = join(o.dataDir, 'registry', 'tls');
  const tls = await loadRegistryTlsPki(tlsDir);
  const client = await kioskClientCert(o.kioskId ?? 'MRN-DEMO-01', tlsDir);
  const sim = await startRegistrySimulator({
    dataDir: join(o.dataDir, 'registry'),
    tlsDir,
    ...(o.jpkiDir ? { jpkiDir: o.jpkiDir } : {}),
  });
  o.log.info({ area: 'registry', url: sim.url }, 'embedded registry simulator started');
  return {
    url: sim.url,
    ca: tls.caCertPem,
    clientCert: client.certPem,
    clientKey: client.keyPem,
    publicKeys: sim.publicKeys(),
    simulator: sim,
    close: () => sim.close(),
  };
}
