// Contract round trip through the browser host's WebSocket: the floor under every screen change.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { parseConfig } from '../src/config/load.js';
import { createKioskApp } from '../src/app.js';
import { startBrowserHost } from '../src/host/browser-host.js';
import { silentLogger } from '../src/log/logger.js';
import { percentile, round, type BenchArea } from '../src/bench/harness.js';

const bench: BenchArea = async ({ quick }) => {
  const config = parseConfig({
    kiosk: { dataDir: mkdtempSync(join(tmpdir(), 'madoguchi-bench-')), serviceHours: 'always' },
  });
  const app = await createKioskApp(config, { log: silentLogger });
  const host = await startBrowserHost({
    dispatch: app.dispatch,
    subscribe: (l) => app.core.subscribe(l),
    rendererDir: resolve('renderer/dist'),
    log: silentLogger,
  });
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/contract`, { headers: { cookie: host.cookie } });
  await new Promise((r) => ws.once('open', r));
  const pending = new Map<number, () => void>();
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as { kind: string; id?: number };
    if (m.kind === 'response' && m.id != null) pending.get(m.id)?.();
  });
  const call = (id: number) =>
    new Promise<void>((r) => {
      pending.set(id, r);
      ws.send(JSON.stringify({ kind: 'request', id, command: 'hello', payload: {} }));
    });
  const n = quick ? 500 : 5000;
  const lat: number[] = [];
  for (let i = 0; i < 200; i++) await call(i); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await call(1000 + i);
    lat.push(performance.now() - s);
  }
  const seconds = (performance.now() - t0) / 1000;
  const malformedStart = performance.now();
  for (let i = 0; i < n; i++) ws.send('{bad');
  await call(999_999);
  const malformedPerSec = n / ((performance.now() - malformedStart) / 1000);
  ws.close();
  await host.close();
  await app.stop();
  const figures = {
    roundTripP50Ms: round(percentile(lat, 50), 3),
    roundTripP95Ms: round(percentile(lat, 95), 3),
    requestsPerSec: Math.round(n / seconds),
    malformedPerSec: Math.round(malformedPerSec),
  };
  return {
    rows: [
      { metric: 'round trip p50', value: figures.roundTripP50Ms, unit: 'ms' },
      { metric: 'round trip p95', value: figures.roundTripP95Ms, unit: 'ms' },
      { metric: 'sequential requests', value: figures.requestsPerSec, unit: '/s' },
      {
        metric: 'malformed messages rejected',
        value: figures.malformedPerSec,
        unit: '/s',
        note: 'core keeps running',
      },
    ],
    figures,
  };
};
export default bench;
