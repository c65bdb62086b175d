// The same Idempotency-Key returns the same issuance, never a second one — also when the duplicates
// arrive at the same moment over several connections.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeAdapter, startSim, MURORAN } from './helpers.js';

let sim: Awaited<ReturnType<typeof startSim>>;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.close();
});

describe('idempotency', () => {
  it('serves concurrent duplicates with one issuance', async () => {
    const a = await makeAdapter(sim.url);
    const b = await makeAdapter(sim.url);
    const resident = await login(a.adapter, 'yamada-taro');
    const req = { municipalityCode: MURORAN, certificate: 'inkan', options: {}, copies: 2 };
    const key = `dup-${process.pid}-${Date.now()}`;
    const numbersBefore = (
      sim.db.prepare('SELECT COALESCE(SUM(last), 0) AS n FROM issuance_numbers').get() as { n: number }
    ).n;
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).adapter.issue(resident.token, req, key)),
    );
    const ids = new Set(results.map((r) => r.issuanceId));
    expect(ids.size).toBe(1);
    expect(new Set(results.map((r) => JSON.stringify(r.document))).size).toBe(1);
    expect(
      (
        sim.db.prepare('SELECT COUNT(*) AS n FROM issuances WHERE idempotency_key = ?').get(key) as {
          n: number;
        }
      ).n,
    ).toBe(1);
    expect(
      (sim.db.prepare('SELECT COALESCE(SUM(last), 0) AS n FROM issuance_numbers').get() as { n: number }).n,
    ).toBe(numbersBefore + 1);

    // later, the same key still answers with the same issuance
    expect((await a.adapter.issue(resident.token, req, key)).issuanceId).toBe([...ids][0]);
    // and the same key with another request is refused, not re-used
    await expect(a.adapter.issue(resident.token, { ...req, copies: 1 }, key)).rejects.toMatchObject({
      kind: 'rejected',
      details: { code: 'idempotencyKeyReused' },
    });
    await a.adapter.close();
    await b.adapter.close();
  });

  it('retries of a dropped issue answer with the issuance made before the drop', async () => {
    const { adapter } = await makeAdapter(sim.url);
    const resident = await login(adapter, 'yamada-taro');
    const key = `retry-${process.pid}-${Date.now()}`;
    // the first answer is lost after the registry has issued: a retry must not issue again
    sim.faults.inject({ type: 'badSignature' }, { path: '/v1/issuances', times: 1 });
    const issued = await adapter.issue(
      resident.token,
      { municipalityCode: MURORAN, certificate: 'juminhyo', options: {}, copies: 1 },
      key,
    );
    expect(adapter.client.counters.retries).toBe(1);
    expect(
      (
        sim.db.prepare('SELECT COUNT(*) AS n FROM issuances WHERE idempotency_key = ?').get(key) as {
          n: number;
        }
      ).n,
    ).toBe(1);
    expect(issued.issuanceId).toMatch(/^ISS-/);
    await adapter.close();
  });

  it('voids by Idempotency-Key what a crashed kiosk never journaled, and finds nothing for an unknown key', async () => {
    const { adapter } = await makeAdapter(sim.url);
    const resident = await login(adapter, 'yamada-taro');
    const key = `crash-${process.pid}-${Date.now()}`;
    const issued = await adapter.issue(
      resident.token,
      { municipalityCode: MURORAN, certificate: 'juminhyo', options: {}, copies: 1 },
      key,
    );
    await expect(adapter.voidByIdempotencyKey(key, 'recovered')).resolves.toEqual({
      found: true,
      state: 'voided',
    });
    expect(
      sim.db.prepare('SELECT state, void_reason FROM issuances WHERE id = ?').get(issued.issuanceId),
    ).toEqual({ state: 'voided', void_reason: 'recovered' });
    // idempotent
    await expect(adapter.voidByIdempotencyKey(key, 'recovered')).resolves.toEqual({
      found: true,
      state: 'voided',
    });
    await expect(adapter.voidByIdempotencyKey(`never-sent-${Date.now()}`, 'recovered')).resolves.toEqual({
      found: false,
      state: null,
    });
    await adapter.close();
  });
});
