// The ports the engine calls, built from configuration: simulator (spool files + control API) and
// ESC/POS against the emulator. ready() gates the sale; a paper-out mid-job is never "printed".
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EscPosEmulator } from '../../fixtures/escpos-emulator/emulator.js';
import { PrintersSection } from '../../src/config/sections/printers.js';
import { silentLogger } from '../../src/log/logger.js';
import { createPrinters, type Printers } from '../../src/printing/index.js';
import { sampleDocument } from '../../src/documents/samples-index.js';
import type { IssuedDocument } from '../../src/core/ports.js';
import { sampleSigningKey, signingPublicJwk } from '../../fixtures/registry/signing-key.js';

const RECEIPT = {
  title: '領収書',
  kioskId: 'MRN-DEMO-01',
  transactionRef: 'T-1',
  at: new Date('2026-11-26T01:00:00Z'),
  lines: [{ label: '印鑑登録証明書 1通', amount: 300 }],
};

async function issued(): Promise<IssuedDocument> {
  return { issuanceId: 'ISS-1', document: await sampleDocument('inkan'), copies: 1, feeYen: 300 };
}

let printers: Printers | undefined;
let emu: EscPosEmulator | undefined;
afterEach(async () => {
  await printers?.close();
  await emu?.stop();
  printers = undefined;
  emu = undefined;
});

describe('simulator printers', () => {
  it('print a certificate PDF and a receipt into the spool', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'madoguchi-spool-'));
    printers = await createPrinters(PrintersSection.parse({}), { log: silentLogger, spoolDir });
    expect(await printers.certificate.ready()).toEqual({ ready: true });
    const job = await printers.certificate.printCertificate(await issued(), 0);
    expect(job.pages).toBe(1); // the 印鑑登録証明書 is one page, its seal in the footer
    const pdf = printers.simulators.certificate!.printed[0]!;
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    await printers.receipt.printReceipt(RECEIPT);
    expect(existsSync(printers.simulators.receipt!.printed[0]!)).toBe(true);
    expect(printers.certificate.status().counters.jobs).toBe(1);
  });

  it('print what was verified and rendered ahead, and never a document that fails verification', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'madoguchi-spool-'));
    printers = await createPrinters(PrintersSection.parse({}), {
      log: silentLogger,
      spoolDir,
      registryKeys: [signingPublicJwk(sampleSigningKey())],
    });
    const doc = await issued();
    printers.certificate.prepare!(doc);
    expect((await printers.certificate.printCertificate(doc, 0)).pages).toBe(1);
    expect((await printers.certificate.printCertificate(doc, 1)).pages).toBe(1);
    printers.certificate.forget!(doc.issuanceId);
    expect(printers.simulators.certificate!.printed.length).toBe(2);

    // A name changed after signing: prepared or not, it is refused and nothing reaches the printer.
    const forged = await issued();
    (forged.document as { title: string }).title = '偽造の証明書';
    printers.certificate.prepare!(forged);
    await expect(printers.certificate.printCertificate(forged, 0)).rejects.toThrow();
    expect(printers.simulators.certificate!.printed.length).toBe(2);
  });

  it('are not ready with paper out, cover open or offline', async () => {
    printers = await createPrinters(PrintersSection.parse({}), {
      log: silentLogger,
      spoolDir: mkdtempSync(join(tmpdir(), 'madoguchi-spool-')),
    });
    const sim = printers.simulators.certificate!;
    sim.setPaper('out');
    expect(await printers.certificate.ready()).toEqual({ ready: false, reason: 'paperOut' });
    sim.setPaper('low');
    expect(await printers.certificate.ready()).toEqual({ ready: true });
    expect(printers.certificate.status().media.paper).toBe('low');
    sim.setCoverOpen(true);
    expect(await printers.certificate.ready()).toEqual({ ready: false, reason: 'coverOpen' });
    sim.setCoverOpen(false);
    sim.setOffline(true);
    expect(await printers.certificate.ready()).toEqual({ ready: false, reason: 'offline' });
  });

  it('fail the job when the paper runs out during it, and nothing is spooled', async () => {
    printers = await createPrinters(PrintersSection.parse({}), {
      log: silentLogger,
      spoolDir: mkdtempSync(join(tmpdir(), 'madoguchi-spool-')),
    });
    printers.simulators.certificate!.paperOutDuringNextJob();
    await expect(printers.certificate.printCertificate(await issued(), 0)).rejects.toMatchObject({
      kind: 'paperOut',
    });
    expect(printers.simulators.certificate!.printed).toEqual([]);
    expect(printers.certificate.status().lastError?.kind).toBe('paperOut');
    expect(await printers.certificate.ready()).toEqual({ ready: false, reason: 'paperOut' });
  });
});

describe('ESC/POS printers (emulator on loopback)', () => {
  it('print the receipt and, without a page printer, the certificate on the roll', async () => {
    emu = new EscPosEmulator();
    const port = await emu.start();
    const config = PrintersSection.parse({
      certificate: { driver: 'escpos' },
      receipt: { driver: 'escpos', port },
    });
    printers = await createPrinters(config, {
      log: silentLogger,
      spoolDir: mkdtempSync(join(tmpdir(), 'madoguchi-spool-')),
    });
    expect(await printers.receipt.ready()).toEqual({ ready: true });
    await printers.receipt.printReceipt(RECEIPT);
    expect(emu.jobs[0]!.transcript).toContain('印鑑登録証明書 1通');
    await printers.certificate.printCertificate(await issued(), 0);
    expect(emu.jobs[1]!.transcript).toMatch(/^印鑑登録証明書\n\[raster 576x\d+\]/);
    await printers.receipt.printIou({
      kioskId: 'MRN-DEMO-01',
      transactionRef: 'T-2',
      at: new Date(),
      owedYen: 500,
    });
    expect(emu.jobs[2]!.transcript).toContain('預り証');
  });

  it('report paper out mid-job as a failure and then not ready', async () => {
    emu = new EscPosEmulator();
    const port = await emu.start();
    printers = await createPrinters(PrintersSection.parse({ receipt: { driver: 'escpos', port } }), {
      log: silentLogger,
      spoolDir: mkdtempSync(join(tmpdir(), 'madoguchi-spool-')),
    });
    emu.runOutOfPaperAfter(40);
    await expect(printers.receipt.printReceipt(RECEIPT)).rejects.toMatchObject({ kind: 'paperOut' });
    expect(emu.jobs).toHaveLength(0);
    expect(await printers.receipt.ready()).toEqual({ ready: false, reason: 'paperOut' });
  });
});
