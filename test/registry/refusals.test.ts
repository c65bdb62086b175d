// Refusals reach the kiosk as "ask at the counter" plus an opaque reference; the specific reason
// stays in the registry (counter staff look it up) and appears in no kiosk-side result, error or log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryError } from '../../src/registry/errors.js';
import { login, makeAdapter, startSim, MURORAN } from './helpers.js';

let sim: Awaited<ReturnType<typeof startSim>>;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.close();
});

const SENSITIVE = /shienSochi|支援措置|tenshutsu|転出|deceased|死亡|gaiji|外字|noSeal|印鑑未登録|noRelation/;
const req = (certificate: string, municipalityCode = MURORAN) => ({
  municipalityCode,
  certificate,
  options: {},
  copies: 1,
});

describe('refusals', () => {
  it('tells the kiosk only eligible:false and a reference; the registry keeps the reason', async () => {
    const { adapter, text } = await makeAdapter(sim.url);
    const kioskSide: unknown[] = [];
    const cases: Array<[card: string, certificate: string, reason: string]> = [
      ['shien-sochi', 'juminhyo', 'shienSochi'],
      ['shien-sochi', 'shotoku-kazei', 'shienSochi'],
      ['tenshutsu', 'juminhyo', 'tenshutsuYotei'],
      ['gaiji', 'inkan', 'gaiji'],
      ['no-seal', 'inkan', 'noSeal'],
      ['deceased', 'juminhyo', 'deceased'],
    ];
    for (const [card, certificate, reason] of cases) {
      const resident = await login(adapter, card);
      const e = await adapter.eligibility(resident.token, req(certificate));
      kioskSide.push(e);
      expect(e).toEqual({ eligible: false, reference: expect.stringMatching(/^REF-[0-9A-F]{10}$/) });
      expect(sim.lookupRefusal((e as { reference: string }).reference)?.reason).toBe(reason);
      const err = (await adapter
        .issue(resident.token, req(certificate), `refusal-${card}-${certificate}`)
        .catch((x: unknown) => x)) as RegistryError;
      kioskSide.push({ kind: err.kind, message: err.message, details: err.details });
      expect(err).toBeInstanceOf(RegistryError);
      expect(err).toMatchObject({
        kind: 'rejected',
        details: { code: 'refused', reference: expect.stringMatching(/^REF-/) },
      });
      expect(sim.lookupRefusal(err.details.reference!)?.reason).toBe(reason);
    }
    expect(JSON.stringify(kioskSide)).not.toMatch(SENSITIVE);
    expect(text()).toContain('REF-');
    expect(text()).not.toMatch(SENSITIVE);
    // and personal data stays out of the log too
    expect(text()).not.toMatch(/伊藤|渡辺|齋藤|小林|山本/);
    await adapter.close();
  });

  it('refuses only what the scenario concerns', async () => {
    const { adapter } = await makeAdapter(sim.url);
    const moving = await login(adapter, 'tenshutsu');
    expect(await adapter.eligibility(moving.token, req('inkan'))).toEqual({ eligible: true, feeYen: 200 });
    const noSeal = await login(adapter, 'no-seal');
    expect(await adapter.eligibility(noSeal.token, req('juminhyo'))).toEqual({ eligible: true, feeYen: 200 });
    const happy = await login(adapter, 'yamada-taro');
    expect(
      await adapter.eligibility(happy.token, { ...req('shotoku-kazei'), options: { fiscalYear: '2025' } }),
    ).toEqual({ eligible: true, feeYen: 200 });
    await expect(
      adapter.eligibility(happy.token, { ...req('shotoku-kazei'), options: { fiscalYear: '2019' } }),
    ).rejects.toMatchObject({ kind: 'rejected', details: { code: 'badRequest' } });
    await adapter.close();
  });
});
