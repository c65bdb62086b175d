// What comes out of CUPS verifies: every certificate type printed through a real cupsd's cups-pdf
// queue (its filter chain re-renders the PDF) keeps every field in its place and every page seal
// readable, the page as drawn matches the sealed page drawn again, and `verifyPdf` accepts the output. Needs the hardware lock (VT_HW=1).
import { readFileSync, rmSync } from 'node:fs';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCups, type CupsHarness } from '../../fixtures/cups/harness.js';
import { PrintersSection } from '../../src/config/sections/printers.js';
import { toForm } from '../../src/documents/form.js';
import { verifyPdf } from '../../src/documents/verify.js';
import { silentLogger } from '../../src/log/logger.js';
import { createPrinters } from '../../src/printing/index.js';
import { CertificateType, type SigningKey } from '../../src/registry/document.js';
import { sample, testKey } from './helpers.js';

let cups: CupsHarness;
let key: SigningKey;
let keys: JWK[];
beforeAll(async () => {
  cups = await startCups();
  const k = await testKey();
  key = k.key;
  keys = [k.publicJwk];
}, 60_000);
afterAll(async () => {
  await cups?.stop();
});

describe('CUPS output', () => {
  it('of every certificate type verifies field by field', async () => {
    const printers = await createPrinters(
      PrintersSection.parse({ certificate: { driver: 'cups', queue: cups.pdfQueue, server: cups.server } }),
      { log: silentLogger, spoolDir: '/nonexistent' },
    );
    try {
      for (const type of CertificateType.options) {
        const doc = await sample(type, key);
        const job = await printers.certificate.printCertificate(
          { issuanceId: `ISS-${type}`, document: doc, copies: 1, feeYen: 300 },
          0,
        );
        const file = await cups.waitForPdf();
        const pdf = readFileSync(file);
        rmSync(file);
        // The 公印 the registry sent is the one configured: the re-rendered page keeps it, and every field.
        const r = await verifyPdf(pdf, keys, { officialSealPng: toForm(doc).officialSealPng });
        expect(r, `${type}: ${r.ok ? '' : r.message}`).toMatchObject({
          ok: true,
          textChecked: true,
          sealImageChecked: true,
          documentId: doc.issuanceNumber,
        });
        if (r.ok) expect(r.pages.length).toBe(job.pages);
      }
    } finally {
      await printers.close();
    }
  }, 240_000);
});
