// `madoguchi fuzz host`: starts a kiosk (embedded simulators, throw-away data directory) behind the
// browser host and throws random and mutated HTTP, upgrade and WebSocket traffic at it for a set
// time. Counts requests, crashes (uncaught errors, or the host no longer answering a liveness
// probe), 5xx answers, and how much the process's memory grew.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createKioskApp } from '../app.js';
import { parseConfig } from '../config/load.js';
import { startBrowserHost, type BrowserHost } from '../host/browser-host.js';
import { silentLogger } from '../log/logger.js';
import { contractMessage, httpRequest, int, seededRng, type Rng } from './generators.js';

export interface FuzzHostOptions {
  seconds: number;
  seed?: number;
  /** Parallel connections kept busy. */
  concurrency?: number;
}

export interface FuzzHostReport {
  seed: number;
  requests: number;
  wsMessages: number;
  crashes: number;
  serverErrors: number;
  livenessFailures: number;
  rssStartMb: number;
  rssEndMb: number;
  rssGrowthMb: number;
}

/** Sends one raw request; resolves with the status code (0 = no answer before close/timeout). */
function rawRequest(port: number, request: string): Promise<number> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    let reply = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(reply)?.[1] ?? 0));
    };
    const timer = setTimeout(finish, 2000);
    s.on('data', (b) => {
      reply += b.toString('latin1');
      if (reply.includes('\r\n')) finish();
    });
    s.on('error', finish);
    s.on('close', finish);
    s.on('connect', () => s.write(request, 'latin1'));
  });
}

/** A fresh one-time code of the host, for requests that exchange it (or fail to). */
const oneTimeCode = (host: BrowserHost) => new URL(host.url).searchParams.get('code') ?? '';

async function wsBurst(port: number, cookie: string, rng: Rng, count: number): Promise<number> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/contract`, { headers: { cookie } });
  ws.on('error', () => undefined);
  const opened = await new Promise<boolean>((resolve) => {
    ws.once('open', () => resolve(true));
    ws.once('close', () => resolve(false));
    ws.once('unexpected-response', () => resolve(false));
  });
  if (!opened) return 0;
  // Sometimes a client that stops reading: the host must drop it, not buffer for it.
  if (rng() < 0.2) ws.pause();
  let sent = 0;
  for (let i = 0; i < count && ws.readyState === WebSocket.OPEN; i++) {
    const m = contractMessage(rng);
    ws.send(m, { binary: typeof m !== 'string' });
    sent++;
    if (i % 20 === 19) await new Promise((r) => setTimeout(r, 1));
  }
  await new Promise((r) => setTimeout(r, 20));
  ws.terminate();
  return sent;
}

async function alive(port: number, cookie: string): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(3000) });
    if (res.status !== 200) return false;
    await res.arrayBuffer();
  } catch {
    return false;
  }
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/contract`, { headers: { cookie } });
    const timer = setTimeout(() => (ws.terminate(), resolve(false)), 3000);
    ws.on('error', () => (clearTimeout(timer), resolve(false)));
    ws.on('open', () => ws.send(JSON.stringify({ kind: 'request', id: 1, command: 'hello', payload: {} })));
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { kind?: string; ok?: boolean };
      if (m.kind !== 'response') return;
      clearTimeout(timer);
      ws.close();
      resolve(m.ok === true);
    });
  });
}

const rssMb = () => Math.round((process.memoryUsage().rss / 1024 / 1024) * 10) / 10;

export async function fuzzHost(opts: FuzzHostOptions): Promise<FuzzHostReport> {
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const rng = seededRng(seed);
  const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-fuzz-'));
  // The host's static files: a stand-in renderer is enough to exercise path handling.
  const rendererDir = join(dataDir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(rendererDir, 'assets', 'x.js'), 'export {};');

  let crashes = 0;
  const onCrash = () => void crashes++;
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  const app = await createKioskApp(parseConfig({ kiosk: { dataDir, serviceHours: 'always' } }), {
    log: silentLogger,
  });
  const host = await startBrowserHost({
    dispatch: app.dispatch,
    subscribe: (l) => app.core.subscribe(l),
    rendererDir,
    log: silentLogger,
  });
  const report: FuzzHostReport = {
    seed,
    requests: 0,
    wsMessages: 0,
    crashes: 0,
    serverErrors: 0,
    livenessFailures: 0,
    rssStartMb: 0,
    rssEndMb: 0,
    rssGrowthMb: 0,
  };
  try {
    // Warm up first so start-up allocations are not counted as growth.
    for (let i = 0; i < 50; i++) await rawRequest(host.port, httpRequest(rng, oneTimeCode(host)));
    (globalThis as { gc?: () => void }).gc?.();
    report.rssStartMb = rssMb();
    const end = Date.now() + opts.seconds * 1000;
    let nextProbe = Date.now() + 1000;
    const worker = async () => {
      while (Date.now() < end) {
        if (rng() < 0.15) report.wsMessages += await wsBurst(host.port, host.cookie, rng, int(rng, 200) + 1);
        else {
          const status = await rawRequest(host.port, httpRequest(rng, oneTimeCode(host)));
          report.requests++;
          if (status >= 500) report.serverErrors++;
        }
        if (Date.now() >= nextProbe) {
          nextProbe = Date.now() + 1000;
          if (!(await alive(host.port, host.cookie))) report.livenessFailures++;
        }
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
    if (!(await alive(host.port, host.cookie))) report.livenessFailures++;
    await new Promise((r) => setTimeout(r, 200));
    (globalThis as { gc?: () => void }).gc?.();
    report.rssEndMb = rssMb();
    report.rssGrowthMb = Math.round((report.rssEndMb - report.rssStartMb) * 10) / 10;
  } finally {
    await host.close();
    await app.stop();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    rmSync(dataDir, { recursive: true, force: true });
  }
  report.crashes = crashes + (report.livenessFailures > 0 ? 1 : 0);
  return report;
}
