// The outbox: finalize, void and heartbeat survive a restart of the kiosk and are delivered in order.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import { RegistryOutbox } from '../../src/registry/outbox.js';
import { RegistryError } from '../../src/registry/errors.js';
import { login, makeAdapter, startSim, tempDir, MURORAN } from './helpers.js';

let sim: Awaited<ReturnType<typeof startSim>>;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.close();
});

const stateOf = (id: string) =>
  sim.db.prepare('SELECT state, void_reason AS reason FROM issuances WHERE id = ?').get(id) as {
    state: string;
    reason: string | null;
  };

describe('registry outbox', () => {
  it('replays finalize, void and heartbeat in order after a restart', async () => {
    const dbPath = join(tempDir(), 'kiosk.sqlite3');
    const first = await makeAdapter(sim.url, { dbPath, outboxRetryMs: 60_000 });
    const resident = await login(first.adapter, 'yamada-taro');
    const req = { municipalityCode: MURORAN, certificate: 'juminhyo', options: {}, copies: 1 };
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await first.adapter.issue(resident.token, req, `outbox-${process.pid}-${i}`)).issuanceId);

    // the registry is away while the kiosk finishes its transactions
    sim.faults.inject({ type: 'serverError' }, { path: '/v1/issuances/ISS' });
    sim.faults.inject({ type: 'serverError' }, { path: '/v1/kiosks/heartbeat' });
    await first.adapter.finalize(ids[0]!);
    await first.adapter.void(ids[1]!, 'printFailed');
    await first.adapter.finalize(ids[2]!);
    first.adapter.heartbeat({
      at: new Date().toISOString(),
      state: 'inService',
      devices: [],
      outboxDepth: 3,
      softwareVersion: 'test',
    });
    first.adapter.heartbeat({
      at: new Date().toISOString(),
      state: 'inService',
      devices: [],
      outboxDepth: 4,
      softwareVersion: 'test',
    });
    expect((await first.adapter.flushOutbox()).drained).toBe(false);
    expect(first.adapter.outbox.depth()).toBe(4); // the newer heartbeat replaced the older one
    expect(ids.map((id) => stateOf(id).state)).toEqual(['issued', 'issued', 'issued']);
    await first.adapter.close();
    first.db.close();

    // restart: the registry is back except for the void, which fails once more
    sim.faults.clear();
    sim.faults.inject({ type: 'serverError' }, { path: `/v1/issuances/${ids[1]}/void`, times: 1 });
    const second = await makeAdapter(sim.url, { dbPath, retries: 0, outboxRetryMs: 60_000 });
    // The adapter starts delivering at once; this joins that flush. Nothing overtakes the failed void:
    // the finalize queued after it waits.
    expect((await second.adapter.flushOutbox()).drained).toBe(false);
    expect(ids.map((id) => stateOf(id).state)).toEqual(['finalized', 'issued', 'issued']);
    expect((await second.adapter.flushOutbox()).drained).toBe(true);
    expect(second.adapter.outbox.depth()).toBe(0);
    expect(ids.map((id) => stateOf(id))).toEqual([
      { state: 'finalized', reason: null },
      { state: 'voided', reason: 'printFailed' },
      { state: 'finalized', reason: null },
    ]);
    const hb = sim.db.prepare("SELECT data FROM heartbeats WHERE kiosk_id = 'kiosk-test'").get() as {
      data: string;
    };
    expect(JSON.parse(hb.data).outboxDepth).toBe(4);
    await second.adapter.close();
    second.db.close();
  });

  it('keeps order: a transient failure stops delivery, a permanent rejection is set aside', async () => {
    const db = new Database(':memory:');
    const outbox = new RegistryOutbox(db, silentLogger);
    outbox.enqueue({ kind: 'finalize', issuanceId: 'A' });
    outbox.enqueue({ kind: 'void', issuanceId: 'B', reason: 'cancelled' });
    outbox.enqueue({ kind: 'finalize', issuanceId: 'C' });
    const seen: string[] = [];
    let failB = true;
    const deliver = async (m: { kind: string; issuanceId?: string }) => {
      seen.push(m.issuanceId!);
      if (m.issuanceId === 'B' && failB) throw new RegistryError('timeout', 'no answer', { retryable: true });
      if (m.issuanceId === 'C')
        throw new RegistryError('rejected', 'conflict', { code: 'conflict', status: 409 });
    };
    expect(await outbox.flush(deliver)).toEqual({ delivered: 1, dead: 0, drained: false });
    expect(seen).toEqual(['A', 'B']);
    failB = false;
    expect(await outbox.flush(deliver)).toEqual({ delivered: 1, dead: 1, drained: true });
    expect(seen).toEqual(['A', 'B', 'B', 'C']);
    expect(outbox.depth()).toBe(0);
    const dead = db.prepare("SELECT issuance_id, last_error FROM registry_outbox WHERE state = 'dead'").all();
    expect(dead).toEqual([{ issuance_id: 'C', last_error: 'rejected/conflict' }]);
  });

  it('refuses a malformed message before it is stored', () => {
    const outbox = new RegistryOutbox(new Database(':memory:'), silentLogger);
    expect(() => outbox.enqueue({ kind: 'void', issuanceId: 'X', reason: 'because' } as never)).toThrow();
    expect(outbox.depth()).toBe(0);
  });
});
