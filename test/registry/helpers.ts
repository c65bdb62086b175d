// Shared set-up for the registry tests: a simulator on 127.0.0.1 with the test PKIs, an adapter
// with its own SQLite, a resident's card signing the challenge, and a log that records every line.
import { createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import type { JWK } from 'jose';
import pino from 'pino';
import { loadJpkiTestPki } from '../../fixtures/pki/jpki.js';
import { loadRegistryTlsPki } from '../../fixtures/pki/tls.js';
import { startRegistrySimulator } from '../../fixtures/registry/start.js';
import { createRegistryAdapter, type RegistryAdapterOptions } from '../../src/registry/port.js';
import type { RegistryPort } from '../../src/core/ports.js';

export const tempDir = (prefix = 'madoguchi-registry-test-') => mkdtempSync(join(tmpdir(), prefix));

export function captureLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines, text: () => lines.join('') };
}

/** Each simulator's published keys by URL: an adapter made for a simulator trusts exactly those. */
const simKeys = new Map<string, JWK[]>();

export async function startSim(opts: { dataDir?: string; now?: () => Date } = {}) {
  const sim = await startRegistrySimulator(opts);
  simKeys.set(sim.url, sim.publicKeys());
  return sim;
}

export const keysOf = (url: string): JWK[] => simKeys.get(url) ?? [];

export async function kioskTls(kioskId = 'kiosk-test') {
  const pki = await loadRegistryTlsPki();
  const k = pki.kiosks[kioskId]!;
  return { ca: pki.caCertPem, cert: k.certPem, key: k.keyPem };
}

export async function makeAdapter(
  url: string,
  o: Partial<RegistryAdapterOptions> & { dbPath?: string } = {},
) {
  const db = new Database(o.dbPath ?? ':memory:');
  const cap = captureLog();
  const adapter = createRegistryAdapter({
    url,
    tls: o.tls ?? (await kioskTls()),
    timeoutMs: 1500,
    retries: 2,
    backoffBaseMs: 10,
    backoffMaxMs: 40,
    breakerFailureThreshold: 5,
    breakerCooldownMs: 300,
    outboxRetryMs: 100,
    publicKeys: keysOf(url),
    db,
    log: cap.log,
    ...o,
  });
  return { adapter, db, ...cap };
}

/** What the card does: sign SHA-256(nonce) with the user-authentication key (PKCS#1 v1.5). */
export async function cardSign(cardId: string, nonce: Uint8Array) {
  const pki = await loadJpkiTestPki();
  const card = pki.cards.find((c) => c.cardId === cardId);
  if (!card) throw new Error(`no card ${cardId}`);
  const key = createPrivateKey({ key: Buffer.from(card.authKeyPkcs8Der), format: 'der', type: 'pkcs8' });
  return { certificate: card.authCertDer, signature: new Uint8Array(sign('sha256', nonce, key)) };
}

export async function login(port: RegistryPort, cardId: string) {
  const { challengeId, nonce } = await port.challenge();
  const { certificate, signature } = await cardSign(cardId, nonce);
  return port.authenticate({ challengeId, certificate, signature });
}

export const MURORAN = '012050';
