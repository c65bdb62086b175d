import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestKiosk } from '../support/kiosk.js';

let kiosk: Awaited<ReturnType<typeof startTestKiosk>>;
beforeAll(async () => {
  kiosk = await startTestKiosk();
});
afterAll(() => kiosk.stop());

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Messages can arrive in one chunk: queue them so none is lost between awaits. */
const inboxes = new WeakMap<
  WebSocket,
  { queue: Record<string, unknown>[]; waiters: ((m: Record<string, unknown>) => void)[] }
>();
function nextMessage(ws: WebSocket): Promise<Record<string, unknown>> {
  let box = inboxes.get(ws);
  if (!box) {
    const b = {
      queue: [] as Record<string, unknown>[],
      waiters: [] as ((m: Record<string, unknown>) => void)[],
    };
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as Record<string, unknown>;
      const w = b.waiters.shift();
      if (w) w(m);
      else b.queue.push(m);
    });
    inboxes.set(ws, b);
    box = b;
  }
  const queued = box.queue.shift();
  if (queued) return Promise.resolve(queued);
  const b = box;
  return new Promise((resolve) => b.waiters.push(resolve));
}

describe('browser host', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(kiosk.host.url.startsWith('http://127.0.0.1:')).toBe(true);
    // Not on the IPv6 loopback either: it is bound to one IPv4 loopback address, not a wildcard.
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '::1', port: kiosk.host.port });
      s.once('connect', () => (s.destroy(), resolve(false)));
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  it('serves the renderer with a strict CSP', async () => {
    const res = await fetch(`http://127.0.0.1:${kiosk.host.port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe');
    expect(await res.text()).toContain('<div id="root">');
  });

  it('does not serve files outside the renderer folder', async () => {
    const res = await fetch(`http://127.0.0.1:${kiosk.host.port}/..%2f..%2fpackage.json`);
    expect([403, 404]).toContain(res.status);
  });

  it('refuses a WebSocket without the session cookie, or with a wrong one, or from another origin', async () => {
    const base = `ws://127.0.0.1:${kiosk.host.port}/contract`;
    await expect(open(base)).rejects.toThrow(/401/);
    await expect(open(base, { cookie: 'madoguchi_session=wrong' })).rejects.toThrow(/401/);
    // The secret in the URL, as the token used to be, opens nothing.
    const secret = kiosk.host.cookie.split('=')[1]!;
    await expect(open(`${base}?token=${secret}`)).rejects.toThrow(/401/);
    await expect(open(base, { cookie: kiosk.host.cookie, origin: 'http://evil.example' })).rejects.toThrow(
      /401/,
    );
  });

  it('speaks the contract with the token, and answers malformed messages with typed errors', async () => {
    const ws = await open(`ws://127.0.0.1:${kiosk.host.port}/contract`, { cookie: kiosk.host.cookie });
    ws.send(JSON.stringify({ kind: 'request', id: 1, command: 'hello', payload: {} }));
    const hello = await nextMessage(ws);
    expect(hello).toMatchObject({
      kind: 'response',
      id: 1,
      ok: true,
      result: { snapshot: { screen: 'idle', language: 'ja' } },
    });

    ws.send('{not json');
    expect(await nextMessage(ws)).toMatchObject({
      kind: 'response',
      ok: false,
      error: { code: 'malformed' },
    });
    ws.send(JSON.stringify({ kind: 'request', id: 2, command: 'setLanguage', payload: { language: 'xx' } }));
    expect(await nextMessage(ws)).toMatchObject({ id: 2, ok: false, error: { code: 'invalid_payload' } });

    // The core survived: a valid command still works and publishes a snapshot.
    const event = nextMessage(ws);
    ws.send(JSON.stringify({ kind: 'request', id: 3, command: 'setLanguage', payload: { language: 'en' } }));
    const first = await event;
    const second = await nextMessage(ws);
    const msgs = [first, second];
    expect(msgs).toContainEqual(
      expect.objectContaining({ kind: 'event', event: expect.objectContaining({ type: 'snapshot' }) }),
    );
    expect(msgs).toContainEqual(expect.objectContaining({ kind: 'response', id: 3, ok: true }));
    ws.close();
  });

  it('drops a connection that sends an oversized message', async () => {
    const ws = await open(`ws://127.0.0.1:${kiosk.host.port}/contract`, { cookie: kiosk.host.cookie });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(200 * 1024));
    expect(await closed).toBe(1009);
  });

  it('answers malformed paths, URLs and headers with a 4xx and stays up', async () => {
    const raw = (request: string) =>
      new Promise<string>((resolve) => {
        const s = connect({ host: '127.0.0.1', port: kiosk.host.port });
        let reply = '';
        s.on('data', (b) => (reply += b.toString('latin1')));
        s.on('error', () => resolve(reply));
        s.on('close', () => resolve(reply));
        s.on('connect', () => s.write(request));
        setTimeout(() => s.destroy(), 3000);
      });
    const statusOf = (reply: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0);
    for (const target of [
      '/%zz',
      '/%',
      '//[',
      '/%00',
      '*',
      'http://evil.example/',
      '/..%2f..%2f..%2fetc%2fpasswd',
    ]) {
      const status = statusOf(
        await raw(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`),
      );
      expect(status, target).toBeGreaterThanOrEqual(400);
      expect(status, target).toBeLessThan(500);
    }
    const upgrade = (target: string, extra = '') =>
      raw(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`,
      );
    for (const target of ['//[', '/%zz', '/contract?token=%zz', '/contract?token=' + 'x'.repeat(5000)]) {
      const status = statusOf(await upgrade(target));
      expect(status, `upgrade ${target}`).toBeGreaterThanOrEqual(400);
      expect(status, `upgrade ${target}`).toBeLessThan(500);
    }
    // A valid session with a broken handshake (bad key, bad version) is refused, not thrown.
    const bad = statusOf(
      await raw(
        `GET /contract HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${kiosk.host.cookie}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 99\r\nSec-WebSocket-Key: x\r\n\r\n`,
      ),
    );
    expect(bad).toBeGreaterThanOrEqual(400);
    expect(bad).toBeLessThan(500);
    expect(statusOf(await raw('GARBAGE\r\n\r\n'))).toBe(400);
    expect(
      statusOf(await raw(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`)),
    ).toBe(431);
    // Still up and serving.
    expect((await fetch(`http://127.0.0.1:${kiosk.host.port}/`)).status).toBe(200);
  });

  it('drops a client that does not read its replies', async () => {
    const ws = await open(`ws://127.0.0.1:${kiosk.host.port}/contract`, { cookie: kiosk.host.cookie });
    ws.pause();
    let closed = false;
    ws.once('close', () => (closed = true));
    // Requests paced so the in-flight bound is not what trips: only the unread replies pile up.
    const request = JSON.stringify({ kind: 'request', id: 1, command: 'hello', payload: {} });
    for (let i = 0; i < 400 && !closed; i++) {
      for (let k = 0; k < 40; k++) ws.send(request);
      await new Promise((r) => setTimeout(r, 5));
    }
    ws.resume();
    await new Promise<void>((resolve) => (closed ? resolve() : ws.once('close', () => resolve())));
    expect(ws.readyState).toBe(WebSocket.CLOSED);
    // The host is fine and other clients are served.
    const other = await open(`ws://127.0.0.1:${kiosk.host.port}/contract`, { cookie: kiosk.host.cookie });
    other.send(request);
    expect(await nextMessage(other)).toMatchObject({ kind: 'response', ok: true });
    other.close();
  });
});
