// Offline verification: the QR on the back against the registry's public key. Tampered content,
// tampered signatures, foreign keys, mismatched print and missing codes all fail, each with its
// own reason.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeEnvelope } from '../../src/documents/envelope.js';
import { renderCertificatePdf } from '../../src/documents/pdf.js';
import { readPng } from '../../src/documents/raster.js';
import { sampleDocument } from '../../src/documents/samples-index.js';
import { verifyCodes, verifyImage, verifyPdf } from '../../src/documents/verify.js';
import { signDocument, type SignedDocument } from '../../src/registry/document.js';
import { sampleSigningKey, signingPublicJwk } from '../../fixtures/registry/signing-key.js';

const keys = [signingPublicJwk(sampleSigningKey())];
const dir = mkdtempSync(join(tmpdir(), 'madoguchi-verify-test-'));
let doc: SignedDocument;
beforeAll(async () => {
  doc = await sampleDocument('juminhyo');
});

function withMember0Name(d: SignedDocument, name: string): SignedDocument {
  if (d.body.kind !== 'juminhyo') throw new Error('juminhyo expected');
  return { ...d, body: { ...d.body, members: d.body.members.map((m, i) => (i === 0 ? { ...m, name } : m)) } };
}

describe('verify', () => {
  it('accepts the untouched certificate and returns the certified content', async () => {
    const r = await verifyPdf((await renderCertificatePdf(doc)).pdf, keys);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.payload.issuanceNumber).toBe(doc.issuanceNumber);
      expect(r.document.body).toEqual(doc.body);
    }
  });

  it('rejects altered content (a name changed after signing): digestMismatch', async () => {
    const forged = withMember0Name(doc, '山田 次郎');
    const r = await verifyPdf((await renderCertificatePdf(forged)).pdf, keys);
    expect(r).toMatchObject({ ok: false, reason: 'digestMismatch' });
  });

  it('rejects an altered signature: badSignature', async () => {
    const [h, p, s] = doc.signature.split('.') as [string, string, string];
    const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    const r = await verifyPdf((await renderCertificatePdf({ ...doc, signature: `${h}.${p}.${flipped}` })).pdf, keys);
    expect(r).toMatchObject({ ok: false, reason: 'badSignature' });
  });

  it('rejects a document signed by a key that is not the registry’s', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const { signature: _s, ...content } = doc;
    const impostor = await signDocument(content, { kid: sampleSigningKey().kid, privateJwk: await exportJWK(privateKey) });
    expect(await verifyCodes(encodeEnvelope(impostor), keys)).toMatchObject({ ok: false, reason: 'badSignature' });
    const otherKid = await signDocument(content, { kid: 'someone-else', privateJwk: await exportJWK(privateKey) });
    expect(await verifyCodes(encodeEnvelope(otherKid), keys)).toMatchObject({ ok: false, reason: 'unknownKey' });
    // …and accepts it when that key is the configured one.
    expect((await verifyCodes(encodeEnvelope(otherKid), [{ ...(await exportJWK(publicKey)), kid: 'someone-else' }])).ok).toBe(true);
  });

  it('rejects a page whose printed text differs from the signed content: textMismatch', async () => {
    const r = await verifyCodes(encodeEnvelope(doc), keys, 'what the page says instead');
    expect(r).toMatchObject({ ok: false, reason: 'textMismatch' });
    if (!r.ok && doc.body.kind === 'juminhyo') expect(r.message).toContain(doc.body.members[0]!.name);
  });

  it('says so when there is no code, or a code of something else', async () => {
    expect(await verifyCodes([], keys)).toMatchObject({ ok: false, reason: 'noQrCode' });
    expect(await verifyCodes(['https://example.org/'], keys)).toMatchObject({ ok: false, reason: 'malformedEnvelope' });
    const blank = { width: 200, height: 200, data: new Uint8ClampedArray(200 * 200 * 4).fill(255) };
    expect(await verifyImage(blank, keys)).toMatchObject({ ok: false, reason: 'noQrCode' });
  });

  it('verifies a 150 dpi scan of the back (PNG) and rejects a tampered one', async () => {
    const good = join(dir, 'good.pdf');
    const bad = join(dir, 'bad.pdf');
    const r = await renderCertificatePdf(doc);
    writeFileSync(good, r.pdf);
    writeFileSync(bad, (await renderCertificatePdf(withMember0Name(doc, '山田 三郎'))).pdf);
    for (const [f, out] of [[good, 'good'], [bad, 'bad']] as const) execFileSync('pdftoppm', ['-f', String(r.pages), '-l', String(r.pages), '-r', '150', '-png', '-singlefile', f, join(dir, out)]);
    expect(await verifyImage(readPng(join(dir, 'good.png')), keys)).toMatchObject({ ok: true, textChecked: false });
    expect(await verifyImage(readPng(join(dir, 'bad.png')), keys)).toMatchObject({ ok: false, reason: 'digestMismatch' });
  });
});
