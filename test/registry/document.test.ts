import { describe, expect, it } from 'vitest';
import { buildAllSampleDocuments, buildSampleDocument } from '../../fixtures/registry/samples.js';
import { sampleSigningKey, signingPublicJwk } from '../../fixtures/registry/signing-key.js';
import { SEED_HOUSEHOLDS, SEED_RESIDENTS } from '../../fixtures/registry/seed.js';
import { FIXTURE_CARDS } from '../../fixtures/cards/catalog.js';
import {
  canonicalJson,
  DocumentSignatureError,
  SignedDocument,
  verifyDocument,
} from '../../src/registry/document.js';

describe('issued document', () => {
  it('builds a valid, verifiable sample of every certificate type', async () => {
    const docs = await buildAllSampleDocuments();
    expect(docs.map((d) => d.certificateType)).toEqual([
      'juminhyo',
      'juminhyo-kisai',
      'inkan',
      'koseki-zenbu',
      'koseki-kojin',
      'fuhyo',
      'shotoku-kazei',
    ]);
    for (const d of docs) {
      expect(SignedDocument.safeParse(d).success).toBe(true);
      const payload = await verifyDocument(d, [signingPublicJwk(sampleSigningKey())]);
      expect(payload.issuanceNumber).toBe(d.issuanceNumber);
    }
    const inkan = docs.find((d) => d.body.kind === 'inkan')!;
    expect(
      inkan.body.kind === 'inkan' &&
        Buffer.from(inkan.body.sealPngBase64, 'base64').subarray(1, 4).toString(),
    ).toBe('PNG');
  });

  it('detects a changed content and an unknown key', async () => {
    const doc = await buildSampleDocument('juminhyo');
    const forged = { ...doc, body: { ...doc.body, address: '北海道室蘭市どこか1番地' } } as SignedDocument;
    await expect(verifyDocument(forged, [signingPublicJwk(sampleSigningKey())])).rejects.toMatchObject({
      kind: 'documentSignature',
      reason: 'digestMismatch',
    });
    await expect(verifyDocument(doc, [])).rejects.toBeInstanceOf(DocumentSignatureError);
    await expect(verifyDocument(doc, [])).rejects.toMatchObject({
      reason: 'unknownKey',
      message: expect.stringContaining('madoguchi-sample-not-valid'),
    });
  });

  it('canonical JSON sorts keys and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [true, 'x'], c: undefined, d: { z: null, y: 'ア' } })).toBe(
      '{"a":[true,"x"],"b":1,"d":{"y":"ア","z":null}}',
    );
  });

  it('seeds at least 40 residents in 15 households, including every fixture card resident', () => {
    expect(SEED_RESIDENTS.length).toBeGreaterThanOrEqual(40);
    expect(SEED_HOUSEHOLDS.length).toBeGreaterThanOrEqual(15);
    const ids = new Set(SEED_RESIDENTS.map((r) => r.id));
    for (const c of FIXTURE_CARDS) expect(ids.has(c.residentId)).toBe(true);
  });
});
