// The certificate check the kiosk makes before the PIN: the simulator judges a card's certificate
// against the JPKI CA, its validity and the CRL, and the kiosk accepts only replies the contract allows.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadJpkiTestPki } from '../../fixtures/pki/jpki.js';
import { CertificateStatusResponse } from '../../src/registry/api.js';
import { makeAdapter, startSim } from './helpers.js';

let sim: Awaited<ReturnType<typeof startSim>>;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => sim.faults.clear());

const certificateOf = async (cardId: string) =>
  (await loadJpkiTestPki()).cards.find((c) => c.cardId === cardId)!.authCertDer;

describe('certificate status before the PIN', () => {
  it('tells good, revoked (on the CRL), expired and untrusted certificates apart', async () => {
    const { adapter } = await makeAdapter(sim.url);
    try {
      expect(await adapter.certificateStatus(await certificateOf('yamada-taro'))).toBe('good');
      expect(await adapter.certificateStatus(await certificateOf('revoked'))).toBe('revoked');
      expect(await adapter.certificateStatus(await certificateOf('expired'))).toBe('expired');
      // Not a certificate at all, and a certificate of another CA (the registry's own TLS PKI).
      expect(await adapter.certificateStatus(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]))).toBe(
        'untrusted',
      );
    } finally {
      await adapter.close();
    }
  });

  it.each([
    ['a body that is not JSON', { type: 'malformedJson' } as const, 'malformed'],
    ['a server error', { type: 'serverError' } as const, 'server'],
  ])('%s is an error, never a "good"', async (_name, fault, kind) => {
    const { adapter } = await makeAdapter(sim.url);
    try {
      sim.faults.inject(fault, { path: '/v1/certificates/status' });
      await expect(adapter.certificateStatus(await certificateOf('revoked'))).rejects.toMatchObject({ kind });
    } finally {
      await adapter.close();
    }
  });

  it('the reply schema admits only the four statuses and a UTC time', () => {
    const at = '2026-04-01T01:00:00Z';
    expect(CertificateStatusResponse.safeParse({ status: 'revoked', checkedAt: at }).success).toBe(true);
    expect(CertificateStatusResponse.safeParse({ status: 'unknown', checkedAt: at }).success).toBe(false);
    expect(CertificateStatusResponse.safeParse({ status: 'good' }).success).toBe(false);
    expect(
      CertificateStatusResponse.safeParse({ status: 'good', checkedAt: '2026-04-01 10:00' }).success,
    ).toBe(false);
  });
});
