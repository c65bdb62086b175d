// The browser host answers only requests addressed to itself (127.0.0.1:<port>: a DNS-rebound name
// is refused) and opens the contract only to its own origin with the session cookie, which only a
// one-time code in the printed URL hands out.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startBrowserHost, type BrowserHost } from '../../src/host/browser-host.js';
import { silentLogger } from '../../src/log/logger.js';

let host: BrowserHost;
let clock = Date.parse('2026-11-30T01:00:00Z');
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-host-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>k</title>');
  host = await startBrowserHost({
    dispatch: async () => ({ kind: 'response', id: null, ok: true, result: null }),
    subscribe: () => () => undefined,
    rendererDir: dir,
    log: silentLogger,
    now: () => clock,
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
    const s = new WebSocket(`ws://127.0.0.1:${host.port}/contract`, {
      headers: { cookie: host.cookie, ...headers },
    });
    s.on('open', () => (s.close(), resolve('open')));
    s.on('unexpected-response', (_q, r) => resolve(String(r.statusCode)));
    s.on('error', () => resolve('error'));
  });

/** A GET as a browser makes it, not following redirects: status, Location and Set-Cookie. */
const visit = (path: string, method = 'GET') =>
  new Promise<{ status: number; location?: string; cookie?: string }>((resolve, reject) =>
    request(
      { host: '127.0.0.1', port: host.port, path, method, headers: { host: `127.0.0.1:${host.port}` } },
      (r) => {
        r.resume();
        resolve({
          status: r.statusCode!,
          ...(r.headers.location ? { location: r.headers.location } : {}),
          ...(r.headers['set-cookie'] ? { cookie: r.headers['set-cookie'][0] } : {}),
        });
      },
    )
      .on('error', reject)
      .end(),
  );
const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

describe('one-time code for the session cookie', () => {
  it('trades a fresh code once for an HttpOnly, SameSite=Strict cookie and a redirect without the code', async () => {
    const url = host.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?code=[\w-]{24}$/);
    expect(url).not.toContain(host.cookie.split('=')[1]!);
    const first = await visit(pathOf(url) + '&lang=en');
    expect(first).toEqual({
      status: 303,
      location: '/?lang=en',
      cookie: `${host.cookie}; HttpOnly; SameSite=Strict; Path=/`,
    });
    // Used: the same code again is refused, and hands out nothing.
    expect(await visit(pathOf(url))).toEqual({ status: 403 });
    // The cookie it gave opens the contract.
    expect(await ws({ origin: host.origin })).toBe('open');
  });

  it('refuses an expired, unknown or bent code, and trades a code only on GET', async () => {
    const late = host.url;
    clock += 60_001;
    expect(await visit(pathOf(late))).toEqual({ status: 403 });
    expect(await visit('/?code=not-a-code')).toEqual({ status: 403 });
    const fresh = host.url;
    const bent = pathOf(fresh).slice(0, -1) + (fresh.endsWith('A') ? 'B' : 'A');
    expect(await visit(bent)).toEqual({ status: 403 });
    expect((await visit(pathOf(fresh), 'POST')).status).toBe(405);
    // Every read of url is a new code; each works once within its minute.
    clock += 59_000;
    expect((await visit(pathOf(fresh))).status).toBe(303);
  });
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
