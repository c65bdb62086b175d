// The kiosk's client and adapter against the simulator: the full flow, each fault, retries only for
// idempotent calls, the circuit breaker, and mutual TLS refusing foreign certificates.
import { connect } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistryTlsPki } from '../../fixtures/pki/tls.js';
import { RegistryError } from '../../src/registry/errors.js';
import { verifyDocument, type SignedDocument } from '../../src/registry/document.js';
import { cardSign, login, makeAdapter, startSim, MURORAN } from './helpers.js';
import { when } from '../support/wait.js';

const juminhyo = {
  municipalityCode: MURORAN,
  certificate: 'juminhyo',
  options: { scope: 'household' },
  copies: 1,
};
let sim: Awaited<ReturnType<typeof startSim>>;
let key = 0;
const nextKey = () => `client-test-${process.pid}-${++key}`;

beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => sim.faults.clear());

describe('registry adapter', () => {
  it('authenticates, checks eligibility, issues a verified document and finalizes it', async () => {
    const { adapter } = await makeAdapter(sim.url);
    const resident = await login(adapter, 'yamada-taro');
    // The core keeps no personal data it does not show: no birth date, and names only in the lists
    // the resident chooses from (household members for 住民票, persons of the 戸籍 for 個人事項).
    expect(JSON.stringify(resident)).not.toMatch(/1980/);
    expect(JSON.stringify(resident, (k, v: unknown) => (k === 'people' ? undefined : v))).not.toMatch(/山田/);
    const options = resident.municipalities[0]!.certificates.flatMap((c) => c.options);
    expect(options.find((o) => o.id === 'members')?.people?.map((p) => p.name)).toContain('山田 太郎');
    expect(options.find((o) => o.id === 'person')?.people?.map((p) => p.name)).toContain('山田 太郎');
    expect(resident).not.toHaveProperty('display');
    expect(resident.municipalities.map((m) => m.code)).toEqual([MURORAN]);
    expect(await adapter.eligibility(resident.token, { ...juminhyo, copies: 3 })).toEqual({
      eligible: true,
      feeYen: 600,
    });
    const issued = await adapter.issue(resident.token, juminhyo, nextKey());
    await verifyDocument(issued.document as SignedDocument, sim.publicKeys());
    await adapter.finalize(issued.issuanceId);
    expect((await adapter.flushOutbox()).drained).toBe(true);
    expect(adapter.status()).toMatchObject({
      id: 'registry',
      kind: 'registry',
      state: 'online',
      media: { circuit: 'closed', outbox: 'empty' },
    });
    const row = sim.db.prepare('SELECT state FROM issuances WHERE id = ?').get(issued.issuanceId) as {
      state: string;
    };
    expect(row.state).toBe('finalized');
    await adapter.close();
  });

  it('lets 本籍地 residents ask the neighbour for the family register', async () => {
    const { adapter } = await makeAdapter(sim.url);
    const resident = await login(adapter, 'takahashi-yui');
    expect(resident.municipalities.map((m) => [m.code, m.relation])).toEqual([
      [MURORAN, ['residence']],
      ['012301', ['honseki']],
    ]);
    const issued = await adapter.issue(
      resident.token,
      { municipalityCode: '012301', certificate: 'koseki-zenbu', options: {}, copies: 1 },
      nextKey(),
    );
    expect((issued.document as SignedDocument).municipality.name).toBe('登別市');
    expect(
      await adapter.eligibility(resident.token, {
        municipalityCode: MURORAN,
        certificate: 'koseki-zenbu',
        options: {},
        copies: 1,
      }),
    ).toMatchObject({ eligible: false });
    await adapter.close();
  });

  it('refuses card problems at authentication with a typed error', async () => {
    const { adapter } = await makeAdapter(sim.url);
    for (const [card, code] of [
      ['revoked', 'certificateRevoked'],
      ['expired', 'certificateExpired'],
      ['technician', 'certificateUnknown'],
    ] as const) {
      await expect(login(adapter, card)).rejects.toMatchObject({ kind: 'unauthorized', details: { code } });
    }
    // a signature by another card's key over the right nonce
    const { challengeId, nonce } = await adapter.challenge();
    const mine = await cardSign('yamada-taro', nonce);
    const other = await cardSign('yamada-hanako', nonce);
    await expect(
      adapter.authenticate({ challengeId, certificate: mine.certificate, signature: other.signature }),
    ).rejects.toMatchObject({ kind: 'unauthorized', details: { code: 'badSignature' } });
    await adapter.close();
  });
});

describe('faults', () => {
  it('retries an idempotent call after a 5xx and succeeds', async () => {
    const { adapter } = await makeAdapter(sim.url);
    const resident = await login(adapter, 'yamada-taro');
    sim.faults.inject({ type: 'serverError' }, { times: 2, path: '/v1/issuances' });
    const issued = await adapter.issue(resident.token, juminhyo, nextKey());
    expect(issued.issuanceId).toMatch(/^ISS-/);
    expect(adapter.client.counters.retries).toBe(2);
    await adapter.close();
  });

  it('gives up with kind "server" after the retries', async () => {
    const { adapter } = await makeAdapter(sim.url);
    sim.faults.inject({ type: 'serverError', status: 500 });
    await expect(adapter.client.catalog()).rejects.toMatchObject({
      kind: 'server',
      details: { status: 500 },
    });
    expect(adapter.client.counters.calls).toBe(3);
    await adapter.close();
  });

  it('never retries a non-idempotent call (authenticate consumes the challenge)', async () => {
    const { adapter } = await makeAdapter(sim.url);
    const { challengeId, nonce } = await adapter.challenge();
    const { certificate, signature } = await cardSign('yamada-taro', nonce);
    sim.faults.inject({ type: 'serverError' }, { path: '/v1/auth/sessions' });
    const calls = adapter.client.counters.calls;
    await expect(adapter.authenticate({ challengeId, certificate, signature })).rejects.toMatchObject({
      kind: 'server',
    });
    expect(adapter.client.counters.calls - calls).toBe(1);
    await adapter.close();
  });

  it('times out a hanging call, then retries and succeeds', async () => {
    const { adapter } = await makeAdapter(sim.url, { timeoutMs: 300 });
    sim.faults.inject({ type: 'timeout' }, { times: 1 });
    const t = Date.now();
    expect((await adapter.client.health()).status).toBe('ok');
    expect(Date.now() - t).toBeGreaterThanOrEqual(290);
    sim.faults.inject({ type: 'timeout' });
    await expect(adapter.client.health()).rejects.toMatchObject({ kind: 'timeout' });
    await adapter.close();
  });

  it('survives latency below the deadline', async () => {
    const { adapter } = await makeAdapter(sim.url, { timeoutMs: 1000 });
    sim.faults.inject({ type: 'latency', ms: 150 }, { times: 1 });
    expect((await adapter.client.health()).status).toBe('ok');
    expect(adapter.client.counters.retries).toBe(0);
    await adapter.close();
  });

  it('maps dropped connections to "unreachable" and retries them', async () => {
    const { adapter } = await makeAdapter(sim.url);
    sim.faults.inject({ type: 'drop' }, { times: 1 });
    expect((await adapter.client.health()).status).toBe('ok');
    sim.faults.inject({ type: 'drop' });
    await expect(adapter.client.health()).rejects.toMatchObject({ kind: 'unreachable' });
    await adapter.close();
  });

  it('rejects malformed JSON and responses off the contract as "malformed"', async () => {
    const { adapter } = await makeAdapter(sim.url, { retries: 0 });
    sim.faults.inject({ type: 'malformedJson' });
    await expect(adapter.client.catalog()).rejects.toMatchObject({ kind: 'malformed' });
    await adapter.close();
  });

  it('rejects a document whose registry signature does not verify', async () => {
    const { adapter } = await makeAdapter(sim.url, { retries: 0 });
    const resident = await login(adapter, 'yamada-taro');
    sim.faults.inject({ type: 'badSignature' }, { path: '/v1/issuances' });
    const err = await adapter.issue(resident.token, juminhyo, nextKey()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect(err).toMatchObject({ kind: 'malformed', message: expect.stringContaining('digestMismatch') });
    await adapter.close();
  });

  it('opens the circuit after repeated failures, fails fast, and closes when the registry is healthy', async () => {
    const { adapter } = await makeAdapter(sim.url, {
      retries: 0,
      breakerFailureThreshold: 3,
      breakerCooldownMs: 200,
    });
    const seen: string[] = [];
    adapter.onStatusChange((s) => seen.push(s.state));
    sim.faults.inject({ type: 'serverError' });
    for (let i = 0; i < 3; i++)
      await expect(adapter.client.health()).rejects.toMatchObject({ kind: 'server' });
    expect(adapter.status()).toMatchObject({
      state: 'offline',
      media: { circuit: 'open' },
      lastError: { kind: 'circuitOpen/server' },
    });
    const calls = adapter.client.counters.calls;
    await expect(adapter.client.health()).rejects.toMatchObject({
      kind: 'unreachable',
      message: 'registry circuit open',
    });
    expect(adapter.client.counters.calls).toBe(calls);
    sim.faults.clear();
    // the adapter's probe closes the circuit on its own, and says so
    await when(
      (l) => adapter.onStatusChange(l),
      () => adapter.status().state === 'online',
      'the circuit to close',
      5_000,
    );
    expect(adapter.status()).toMatchObject({
      state: 'online',
      media: { circuit: 'closed' },
      lastError: null,
    });
    expect(seen).toContain('offline');
    expect(seen.at(-1)).toBe('online');
    await adapter.close();
  });
});

describe('mutual TLS', () => {
  it('refuses a kiosk certificate from another CA at the TLS layer', async () => {
    const pki = await loadRegistryTlsPki();
    const before = sim.stats.requests;
    // the raw handshake: the registry answers with a TLS alert, no HTTP ever happens
    const alert = await new Promise<string>((resolve) => {
      const socket = connect(
        {
          host: '127.0.0.1',
          port: sim.port,
          ca: pki.caCertPem,
          cert: pki.rogue.certPem,
          key: pki.rogue.keyPem,
          servername: 'localhost',
        },
        () => {
          socket.write('GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n');
        },
      );
      socket.on('error', (e: Error & { code?: string }) => resolve(e.code ?? e.message));
      socket.on('close', () => resolve('closed'));
    });
    expect(alert).toMatch(/ALERT|closed|ECONNRESET/);
    expect(sim.stats.tlsRejections).toBeGreaterThan(0);
    // through the kiosk client: unreachable, and still no request reached the registry
    const { adapter } = await makeAdapter(sim.url, {
      retries: 0,
      tls: { ca: pki.caCertPem, cert: pki.rogue.certPem, key: pki.rogue.keyPem },
    });
    const err = (await adapter.client.health().catch((e: unknown) => e)) as RegistryError;
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.kind).toBe('unreachable');
    expect(sim.stats.requests).toBe(before);
    await adapter.close();
  });

  it('refuses a registry whose certificate is not from the pinned CA', async () => {
    const pki = await loadRegistryTlsPki();
    const { adapter } = await makeAdapter(sim.url, {
      tls: {
        ca: pki.rogue.caCertPem,
        cert: pki.kiosks['kiosk-test']!.certPem,
        key: pki.kiosks['kiosk-test']!.keyPem,
      },
    });
    await expect(adapter.client.health()).rejects.toMatchObject({
      kind: 'unreachable',
      message: expect.stringContaining('TLS'),
    });
    expect(adapter.client.counters.calls).toBe(1);
    await adapter.close();
  });
});
