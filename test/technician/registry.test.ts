// The registry's technician-card operation (POST /v1/technicians/sessions) through the kiosk's
// adapter against the simulator, its answers against the OpenAPI contract, and heartbeats with counters.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { RegistryError } from '../../src/registry/errors.js';
import { cardSign, makeAdapter, startSim } from '../registry/helpers.js';

const spec = YAML.parse(readFileSync('api/registry.openapi.yaml', 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
};
const ajv = new Ajv2020({ strict: false });
ajv.addSchema(spec, 'api');
const valid = (name: string, v: unknown) => {
  const f = ajv.getSchema(`api#/components/schemas/${name}`)!;
  return f(v) ? true : ajv.errorsText(f.errors);
};

let sim: Awaited<ReturnType<typeof startSim>>;
let a: Awaited<ReturnType<typeof makeAdapter>>;
beforeAll(async () => {
  sim = await startSim();
  a = await makeAdapter(sim.url);
});
afterAll(async () => {
  await a.adapter.close();
  await sim.close();
});

async function signIn(cardId: string, reuse?: { challengeId: string; nonce: Uint8Array }) {
  const ch = reuse ?? (await a.adapter.challenge());
  const { certificate, signature } = await cardSign(cardId, ch.nonce);
  return { ch, result: a.adapter.technicianSession({ challengeId: ch.challengeId, certificate, signature }) };
}

describe('POST /v1/technicians/sessions', () => {
  it('is in the contract', () => {
    expect(spec.paths['/v1/technicians/sessions']?.post?.responses['201']).toBeDefined();
  });

  it('names the technician and role of a technician card', async () => {
    const r = await (await signIn('technician')).result;
    expect(r).toMatchObject({ technicianId: 'T-0001', role: 'engineer' });
    expect(valid('TechnicianSessionResponse', r)).toBe(true);
  });

  it('refuses a resident card, and a challenge used twice', async () => {
    await expect((await signIn('yamada-taro')).result).rejects.toMatchObject({
      kind: 'unauthorized',
      details: { code: 'certificateUnknown' },
    });
    const first = await signIn('technician');
    await first.result;
    const again = await signIn('technician', first.ch);
    const e = await again.result.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RegistryError);
    expect(e).toMatchObject({ details: { code: 'challengeUnknown' } });
  });

  it('refuses a signature by another key', async () => {
    const ch = await a.adapter.challenge();
    const tech = await cardSign('technician', ch.nonce);
    const other = await cardSign('yamada-taro', ch.nonce);
    await expect(
      a.adapter.technicianSession({
        challengeId: ch.challengeId,
        certificate: tech.certificate,
        signature: other.signature,
      }),
    ).rejects.toMatchObject({ details: { code: 'badSignature' } });
  });
});

describe('heartbeat with fleet counters', () => {
  it('is delivered through the outbox and kept by the registry', async () => {
    const body = {
      at: new Date().toISOString(),
      state: 'maintenance' as const,
      devices: [{ id: 'cardReader', state: 'online' }],
      outboxDepth: 0,
      softwareVersion: '0.1.0',
      counters: { transactionsCompleted: 3, 'hopper.100': 40 },
    };
    expect(valid('HeartbeatRequest', body)).toBe(true);
    a.adapter.heartbeat(body);
    expect(await a.adapter.flushOutbox()).toEqual({ drained: true });
    const row = sim.db.prepare('SELECT data FROM heartbeats').get() as { data: string };
    expect(JSON.parse(row.data)).toMatchObject({
      state: 'maintenance',
      counters: { transactionsCompleted: 3, 'hopper.100': 40 },
    });
  });
});
