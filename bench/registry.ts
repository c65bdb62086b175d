// `madoguchi bench registry`: the issuance path against the registry simulator on loopback, the
// simulator in its own process (it stands in for a central service many kiosks share). One issuance =
// POST /v1/eligibility then POST /v1/issuances (fresh Idempotency-Key: a signed document and a
// SQLite row each). Also the kiosk client's own overhead per call: the adapter (zod validation,
// document signature check, breaker, retry bookkeeping) against a bare undici request.
import { spawn } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import type { JWK } from 'jose';
import { Agent, request } from 'undici';
import type { BenchArea } from '../src/bench/harness.js';
import { percentile, round } from '../src/bench/harness.js';
import { loadJpkiTestPki } from '../fixtures/pki/jpki.js';
import { loadRegistryTlsPki } from '../fixtures/pki/tls.js';
import { silentLogger } from '../src/log/logger.js';
import { createRegistryAdapter } from '../src/registry/port.js';
import { IssuanceResponse } from '../src/registry/api.js';
import { verifyDocument } from '../src/registry/document.js';

const REQ = {
  municipalityCode: '012050',
  certificate: 'juminhyo',
  options: { scope: 'household' },
  copies: 1,
};

async function startServer(
  dataDir: string,
): Promise<{ url: string; keys: JWK[]; cpuMs(): Promise<number>; stop(): void }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '../fixtures/registry/serve.ts'), dataDir],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`registry simulator exited (${code})`)));
    });
  const { url, keys } = JSON.parse(await nextLine()) as { url: string; keys: JWK[] };
  return {
    url,
    keys,
    async cpuMs() {
      const answer = nextLine();
      child.stdin!.write('cpu\n');
      return (JSON.parse(await answer) as { cpuMs: number }).cpuMs;
    },
    stop: () => child.stdin!.end(),
  };
}

const bench: BenchArea = async ({ quick }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-bench-registry-'));
  const [tls, jpki] = await Promise.all([loadRegistryTlsPki(), loadJpkiTestPki()]);
  const server = await startServer(dataDir);
  const kiosk = tls.kiosks.bench!;
  const agent = new Agent({
    connect: { ca: tls.caCertPem, cert: kiosk.certPem, key: kiosk.keyPem },
    connections: 8,
    keepAliveTimeout: 30_000,
  });
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const r = await request(server.url + path, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await r.body.text();
    if (r.statusCode >= 300) throw new Error(`${path} → ${r.statusCode} ${text.slice(0, 200)}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const db = new Database(':memory:');
  const adapter = createRegistryAdapter({
    url: server.url,
    tls: { ca: tls.caCertPem, cert: kiosk.certPem, key: kiosk.keyPem },
    timeoutMs: 10_000,
    publicKeys: server.keys,
    db,
    log: silentLogger,
  });
  try {
    // a resident session, as the kiosk gets one: the card signs the challenge
    const card = jpki.cards.find((c) => c.cardId === 'yamada-taro')!;
    const ch = await post('/v1/auth/challenges', {});
    const signature = sign(
      'sha256',
      Buffer.from(ch.nonce as string, 'base64'),
      createPrivateKey({ key: Buffer.from(card.authKeyPkcs8Der), format: 'der', type: 'pkcs8' }),
    );
    const { token } = (await post('/v1/auth/sessions', {
      challengeId: ch.challengeId,
      certificate: Buffer.from(card.authCertDer).toString('base64'),
      signature: signature.toString('base64'),
    })) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    let n = 0;
    const issuance = async () => {
      const key = `bench-${process.pid}-${++n}`;
      const t = performance.now();
      await post('/v1/eligibility', REQ, auth);
      await post('/v1/issuances', REQ, { ...auth, 'idempotency-key': key });
      return performance.now() - t;
    };

    // warm-up, then a fixed duration with 32 kiosks' worth of requests in flight
    for (let i = 0; i < 200; i++) await issuance();
    const durationMs = quick ? 2_000 : 8_000;
    const concurrency = 16;
    const latencies: number[] = [];
    const cpuBefore = await server.cpuMs();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() - started < durationMs) latencies.push(await issuance());
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const perSec = latencies.length / elapsed;
    // The machine is shared: the service's CPU time per issuance says what one free core sustains.
    const cpuPerIssuance = ((await server.cpuMs()) - cpuBefore) / latencies.length;

    // client overhead: the adapter's issue() against a bare request, one at a time, interleaved
    const rounds = quick ? 60 : 300;
    const bare: number[] = [];
    const viaAdapter: number[] = [];
    for (let i = 0; i < rounds; i++) {
      let t = performance.now();
      await post('/v1/issuances', REQ, { ...auth, 'idempotency-key': `bench-bare-${process.pid}-${i}` });
      bare.push(performance.now() - t);
      t = performance.now();
      await adapter.issue(token, REQ, `bench-adapter-${process.pid}-${i}`);
      viaAdapter.push(performance.now() - t);
    }
    // What the kiosk's client adds to a call: adapter issue() minus a bare request, medians.
    const overhead = Math.max(0, percentile(viaAdapter, 50) - percentile(bare, 50));
    // The client's own work per call, free of scheduling noise: validate and verify a real answer.
    const answer = JSON.stringify(
      await post('/v1/issuances', REQ, { ...auth, 'idempotency-key': `bench-canned-${process.pid}` }),
    );
    const loops = quick ? 200 : 1000;
    const t0 = performance.now();
    for (let i = 0; i < loops; i++) {
      const parsed = IssuanceResponse.parse(JSON.parse(answer));
      await verifyDocument(parsed.document, server.keys);
    }
    const validateMs = (performance.now() - t0) / loops;
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    return {
      rows: [
        {
          metric: 'issuances',
          value: latencies.length,
          note: `${concurrency} in flight for ${durationMs / 1000} s`,
        },
        {
          metric: 'issuancesPerSec',
          value: round(perSec, 1),
          unit: '/s',
          note: 'eligibility + issue, target ≥ 500',
        },
        { metric: 'p50Ms', value: round(p50), unit: 'ms' },
        { metric: 'p99Ms', value: round(p99), unit: 'ms' },
        { metric: 'bare issue p50', value: round(percentile(bare, 50)), unit: 'ms', note: 'sequential' },
        {
          metric: 'adapter issue p50',
          value: round(percentile(viaAdapter, 50)),
          unit: 'ms',
          note: 'sequential',
        },
        {
          metric: 'clientOverheadMs',
          value: round(overhead, 3),
          unit: 'ms',
          note: 'adapter − bare request, p50 (noisy on a shared machine)',
        },
        {
          metric: 'of which validate + verify',
          value: round(validateMs, 3),
          unit: 'ms',
          note: 'zod + document signature check, CPU only',
        },
        {
          metric: 'service CPU per issuance',
          value: round(cpuPerIssuance, 3),
          unit: 'ms',
          note: 'eligibility + issue',
        },
        {
          metric: 'capacity on two cores',
          value: Math.round((2 * 1000) / cpuPerIssuance),
          unit: '/s',
          note: 'from CPU time; measured rate above depends on machine load',
        },
      ],
      figures: {
        p50Ms: round(p50),
        p99Ms: round(p99),
        issuancesPerSec: round(perSec, 1),
        clientOverheadMs: round(overhead, 3),
        serviceCpuMsPerIssuance: round(cpuPerIssuance, 3),
      },
    };
  } finally {
    await adapter.close();
    await agent.close();
    server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

export default bench;
