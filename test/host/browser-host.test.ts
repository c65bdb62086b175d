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
const inboxes = new WeakMap<WebSocket, { queue: Record<string, unknown>[]; waiters: ((m: Record<string, unknown>) => void)[] }>();
function nextMessage(ws: WebSocket): Promise<Record<string, unknown>> {
  let box = inboxes.get(ws);
  if (!box) {
    const b = { queue: [] as Record<string, unknown>[], waiters: [] as ((m: Record<string, unknown>) => void)[] };
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

  it('refuses a WebSocket without the token, or with a wrong one, or from another origin', async () => {
    const base = `ws://127.0.0.1:${kiosk.host.port}/contract`;
    await expect(open(base)).rejects.toThrow(/401/);
    await expect(open(`${base}?token=wrong`)).rejects.toThrow(/401/);
    await expect(open(`${base}?token=${kiosk.host.token}`, { origin: 'http://evil.example' })).rejects.toThrow(/401/);
  });

  it('speaks the contract with the token, and answers malformed messages with typed errors', async () => {
    const ws = await open(`ws://127.0.0.1:${kiosk.host.port}/contract?token=${kiosk.host.token}`);
    ws.send(JSON.stringify({ kind: 'request', id: 1, command: 'hello', payload: {} }));
    const hello = await nextMessage(ws);
    expect(hello).toMatchObject({ kind: 'response', id: 1, ok: true, result: { snapshot: { screen: 'idle', language: 'ja' } } });

    ws.send('{not json');
    expect(await nextMessage(ws)).toMatchObject({ kind: 'response', ok: false, error: { code: 'malformed' } });
    ws.send(JSON.stringify({ kind: 'request', id: 2, command: 'setLanguage', payload: { language: 'xx' } }));
    expect(await nextMessage(ws)).toMatchObject({ id: 2, ok: false, error: { code: 'invalid_payload' } });

    // The core survived: a valid command still works and publishes a snapshot.
    const event = nextMessage(ws);
    ws.send(JSON.stringify({ kind: 'request', id: 3, command: 'setLanguage', payload: { language: 'en' } }));
    const first = await event;
    const second = await nextMessage(ws);
    const msgs = [first, second];
    expect(msgs).toContainEqual(expect.objectContaining({ kind: 'event', event: expect.objectContaining({ type: 'snapshot' }) }));
    expect(msgs).toContainEqual(expect.objectContaining({ kind: 'response', id: 3, ok: true }));
    ws.close();
  });

  it('drops a connection that sends an oversized message', async () => {
    const ws = await open(`ws://127.0.0.1:${kiosk.host.port}/contract?token=${kiosk.host.token}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(200 * 1024));
    expect(await closed).toBe(1009);
  });
});
