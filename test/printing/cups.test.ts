// The page printer through a real cupsd (private ServerRoot, loopback): a certificate job on the
// cups-pdf queue produces its PDF with the text intact; the raw socket queue delivers bytes
// unchanged; a job that cannot be processed is a failed job.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCups, type CupsHarness } from '../../fixtures/cups/harness.js';
import { CupsDriver } from '../../drivers/printer/cups/driver.js';
import { PrintersSection } from '../../src/config/sections/printers.js';
import { silentLogger } from '../../src/log/logger.js';
import { createPrinters } from '../../src/printing/index.js';
import { sampleDocument } from '../../src/documents/samples-index.js';
import { receiptEscPos } from '../../src/documents/thermal.js';
import { certifiedStrings } from '../../src/documents/form.js';
import { sampleSigningKey, signingPublicJwk } from '../../fixtures/registry/signing-key.js';
import { when } from '../support/wait.js';

let cups: CupsHarness;
beforeAll(async () => {
  cups = await startCups();
}, 60_000);
afterAll(async () => {
  await cups?.stop();
});

describe('CUPS page printer', () => {
  it('prints a certificate through the port; cups-pdf produces it with the Japanese text', async () => {
    const config = PrintersSection.parse({
      certificate: { driver: 'cups', queue: cups.pdfQueue, server: cups.server },
    });
    const printers = await createPrinters(config, {
      log: silentLogger,
      spoolDir: '/nonexistent',
      registryKeys: [signingPublicJwk(sampleSigningKey())],
    });
    expect(await printers.certificate.ready()).toEqual({ ready: true });
    const doc = await sampleDocument('juminhyo');
    const job = await printers.certificate.printCertificate(
      { issuanceId: 'ISS-C1', document: doc, copies: 1, feeYen: 200 },
      0,
    );
    expect(job.pages).toBe(2); // two pages, each with its seal in the footer
    const pdf = await cups.waitForPdf();
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-']).toString('utf8').replace(/\s+/g, '');
    for (const s of [doc.title, ...certifiedStrings(doc)]) expect(text).toContain(s.replace(/\s+/g, ''));
    await printers.close();
  }, 90_000);

  it('refuses to print a document whose signature does not verify', async () => {
    const config = PrintersSection.parse({
      certificate: { driver: 'cups', queue: cups.pdfQueue, server: cups.server },
    });
    const printers = await createPrinters(config, {
      log: silentLogger,
      spoolDir: '/nonexistent',
      registryKeys: [signingPublicJwk(sampleSigningKey())],
    });
    const doc = await sampleDocument('inkan');
    await expect(
      printers.certificate.printCertificate(
        { issuanceId: 'ISS-C2', document: { ...doc, issuanceNumber: 'X' }, copies: 1, feeYen: 300 },
        0,
      ),
    ).rejects.toMatchObject({ kind: 'documentSignature' });
  });

  it('delivers raw ESC/POS bytes unchanged through the socket queue', async () => {
    const bytes = receiptEscPos({
      municipality: '室蘭市',
      title: '領収書',
      kioskId: 'K',
      transactionRef: 'T',
      at: new Date(0),
      lines: [],
    });
    const before = cups.rawJobs.length;
    await new CupsDriver({ queue: cups.rawQueue, server: cups.server }).submit({
      id: 'raw-1',
      data: bytes,
      contentType: 'application/vnd.escpos',
    });
    // cupsd's socket backend delivers the job to the harness's listener, which says when it has it.
    await when(
      (l) => cups.onRawJob(l),
      () => cups.rawJobs.length > before,
      'the raw job',
      5_000,
    );
    expect(Buffer.compare(cups.rawJobs.at(-1)!, Buffer.from(bytes))).toBe(0);
  }, 60_000);

  it('reports a job the filters cannot process as failed, not done', async () => {
    const drv = new CupsDriver({ queue: cups.pdfQueue, server: cups.server, timeoutMs: 30_000 });
    const events: string[] = [];
    drv.onJobEvent((e) => events.push(e.type));
    await expect(
      drv.submit({
        id: 'broken',
        data: Buffer.from('%PDF-1.7\nthis is not a PDF\n'),
        contentType: 'application/pdf',
      }),
    ).rejects.toMatchObject({ kind: 'jobFailed' });
    expect(events).toEqual(['submitted', 'failed']);
  }, 60_000);

  it('says the queue is offline when it does not exist', async () => {
    await expect(new CupsDriver({ queue: 'NOPE', server: cups.server }).state()).rejects.toMatchObject({
      kind: 'offline',
    });
  });
});
