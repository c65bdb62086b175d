// Sessions, challenges and issuances belong to the kiosk that made them; reprint authorization
// for recovery; periodic heartbeats through the outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedDocument } from '../../src/registry/document.js';
import { cardSign, kioskTls, login, makeAdapter, startSim, MURORAN } from './helpers.js';
import { ManualClock } from '../support/manual-clock.js';

let sim: Awaited<ReturnType<typeof startSim>>;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.close();
});

const juminhyo = { municipalityCode: MURORAN, certificate: 'juminhyo', options: {}, copies: 1 };

describe('kiosk-bound state', () => {
  it('uses a challenge once, and only from the kiosk that asked for it', async () => {
    const a = await makeAdapter(sim.url);
    const b = await makeAdapter(sim.url, { tls: await kioskTls('MRN-DEMO-02') });
    const { challengeId, nonce } = await a.adapter.challenge();
    const signed = await cardSign('yamada-taro', nonce);
    await expect(b.adapter.authenticate({ challengeId, ...signed })).rejects.toMatchObject({
      kind: 'unauthorized',
      details: { code: 'challengeUnknown' },
    });
    // the failed attempt consumed it
    await expect(a.adapter.authenticate({ challengeId, ...signed })).rejects.toMatchObject({
      kind: 'unauthorized',
      details: { code: 'challengeUnknown' },
    });
    await a.adapter.close();
    await b.adapter.close();
  });

  it("refuses another kiosk's session token and issuance", async () => {
    const a = await makeAdapter(sim.url);
    const b = await makeAdapter(sim.url, { tls: await kioskTls('MRN-DEMO-02') });
    const resident = await login(a.adapter, 'yamada-taro');
    await expect(b.adapter.eligibility(resident.token, juminhyo)).rejects.toMatchObject({
      kind: 'unauthorized',
    });
    const issued = await a.adapter.issue(resident.token, juminhyo, `kiosk-bound-${process.pid}`);
    await expect(b.adapter.client.finalize(issued.issuanceId)).rejects.toMatchObject({
      kind: 'rejected',
      details: { code: 'notFound' },
    });
    await a.adapter.close();
    await b.adapter.close();
  });
});

describe('resident sessions in memory', () => {
  it('drops sessions past their lifetime at the next login', async () => {
    let t = Date.now();
    const timed = await startSim({ now: () => new Date(t) });
    try {
      const { adapter } = await makeAdapter(timed.url);
      await login(adapter, 'yamada-taro');
      await login(adapter, 'yamada-taro');
      expect(timed.residentSessions()).toBe(2);
      t += 11 * 60_000; // past the simulator's 10-minute session lifetime
      const fresh = await login(adapter, 'yamada-taro');
      expect(timed.residentSessions()).toBe(1);
      await expect(adapter.eligibility(fresh.token, juminhyo)).resolves.toBeDefined();
      await adapter.close();
    } finally {
      await timed.close();
    }
  });
});

describe('recovery', () => {
  it('authorizes a reprint of a paid, unprinted issuance at most twice, never after finalize', async () => {
    const { adapter } = await makeAdapter(sim.url);
    const resident = await login(adapter, 'yamada-taro');
    const issued = await adapter.issue(resident.token, juminhyo, `reprint-${process.pid}`);
    const first = await adapter.authorizeReprint(issued.issuanceId);
    expect(first).toMatchObject({ authorized: true, document: { issuanceId: issued.issuanceId } });
    expect(first.authorized && (first.document.document as SignedDocument).issuanceNumber).toBe(
      (issued.document as SignedDocument).issuanceNumber,
    );
    expect((await adapter.authorizeReprint(issued.issuanceId)).authorized).toBe(true);
    expect((await adapter.authorizeReprint(issued.issuanceId)).authorized).toBe(false);

    const other = await adapter.issue(resident.token, juminhyo, `reprint-final-${process.pid}`);
    await adapter.finalize(other.issuanceId);
    await adapter.flushOutbox();
    expect(await adapter.authorizeReprint(other.issuanceId)).toEqual({ authorized: false });
    await adapter.close();
  });
});

describe('heartbeats', () => {
  it('sends the latest heartbeat periodically through the outbox', async () => {
    const clock = new ManualClock();
    const { adapter } = await makeAdapter(sim.url, { tls: await kioskTls('MRN-DEMO-02'), clock });
    let n = 0;
    const stop = adapter.startHeartbeats(50, () => ({
      at: new Date().toISOString(),
      state: 'inService',
      devices: [{ id: 'registry', state: adapter.status().state }],
      outboxDepth: adapter.outbox.depth(),
      softwareVersion: `beat-${++n}`,
    }));
    // One beat at once, then one every 50 ms of the adapter's clock.
    await clock.advance(150);
    expect(n).toBe(4);
    stop();
    await clock.advance(500);
    expect(n).toBe(4);
    await adapter.flushOutbox();
    const row = sim.db.prepare("SELECT data FROM heartbeats WHERE kiosk_id = 'MRN-DEMO-02'").get() as {
      data: string;
    };
    expect(JSON.parse(row.data).softwareVersion).toMatch(/^beat-\d+$/);
    expect(n).toBeGreaterThanOrEqual(4);
    expect(adapter.outbox.depth()).toBe(0);
    await adapter.close();
  });
});
