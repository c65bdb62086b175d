// The browser host answers only requests addressed to itself (127.0.0.1:<port>: a DNS-rebound name
// is refused) and opens the contract only to its own origin with the launch token.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startBrowserHost, type BrowserHost } from '../../src/host/browser-host.js';
import { silentLogger } from '../../src/log/logger.js';

let host: BrowserHost;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-host-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>k</title>');
  host = await startBrowserHost({
    dispatch: async () => ({ kind: 'response', id: null, ok: true, result: null }),
    subscribe: () => () => undefined,
    rendererDir: dir,
    log: silentLogger,
  });
});
afterAll(() => host.close());

const get = (headers: Record<string, string>) =>
  new Promise<number>((resolve, reject) =>
    request(
      { host: '127.0.0.1', port: host.port, path: '/', headers },
      (r) => (r.resume(), resolve(r.statusCode!)),
    )
      .on('error', reject)
      .end(),
  );

const ws = (headers: Record<string, string>) =>
  new Promise<string>((resolve) => {
    const s = new WebSocket(`ws://127.0.0.1:${host.port}/contract?token=${host.token}`, { headers });
    s.on('open', () => (s.close(), resolve('open')));
    s.on('unexpected-response', (_q, r) => resolve(String(r.statusCode)));
    s.on('error', () => resolve('error'));
  });

describe('Host and Origin', () => {
  it('serves its own host, refuses a rebound name or another port with 421', async () => {
    expect(await get({ host: `127.0.0.1:${host.port}` })).toBe(200);
    expect(await get({ host: `evil.example:${host.port}` })).toBe(421);
    expect(await get({ host: 'localhost' })).toBe(421);
    expect(await get({ host: `127.0.0.1:${host.port + 1}` })).toBe(421);
  });

  it('opens the contract only from its own origin and host', async () => {
    expect(await ws({ origin: `http://127.0.0.1:${host.port}` })).toBe('open');
    expect(await ws({ origin: 'http://evil.example' })).toBe('401');
    expect(await ws({ origin: `http://127.0.0.1:${host.port}`, host: `evil.example:${host.port}` })).toBe(
      '421',
    );
  });
});
