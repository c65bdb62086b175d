// The printing adapters behind the engine's ports (src/core/ports.ts): certificate and receipt
// printers chosen by configuration — simulator, CUPS page printer or ESC/POS thermal.
import { randomUUID } from 'node:crypto';
import { deviceError, type DeviceKind, type DeviceStatus } from '../../drivers/common/status.js';
import { CupsDriver } from '../../drivers/printer/cups/driver.js';
import { PrinterError } from '../../drivers/printer/errors.js';
import { EscPosDriver, tcpTransport } from '../../drivers/printer/escpos/driver.js';
import { serialTransport } from '../../drivers/printer/escpos/serial.js';
import type { PrinterDriver, PrinterState } from '../../drivers/printer/interface.js';
import { SimulatedPrinter } from '../../drivers/printer/simulator/simulator.js';
import type { PrintersSection } from '../config/sections/printers.js';
import type { CertificatePrinterPort, IssuedDocument, ReceiptPrinterPort } from '../core/ports.js';
import type { Receipt } from '../documents/thermal.js';
import type { Logger } from '../log/logger.js';
import type { z } from 'zod';
import type { JWK } from 'jose';
import { SignedDocument, verifyDocument } from '../registry/document.js';
import { verifySeal } from '../documents/seal.js';

// Rendering pulls in pdfkit, fonts and a canvas: loaded at the first job (or by warmUp), not at start.
const pdfRenderer = () => import('../documents/pdf.js');
const thermal = () => import('../documents/thermal.js');
const starRaster = () => import('../../drivers/printer/escpos/star.js');

/** Loads the renderers ahead of the first job (call once the kiosk is up). */
export async function warmUpRenderers(): Promise<void> {
  await Promise.all([pdfRenderer(), thermal()]);
}

export type PrintersConfig = z.infer<typeof PrintersSection>;

export interface PrinterDeps {
  log: Logger;
  spoolDir: string;
  /** The kiosk's trusted registry keys: a document whose signature does not verify against them is never printed. */
  registryKeys?: JWK[];
  /** 自治体名 printed on receipts. */
  municipality?: string;
}

type NotReady = 'paperOut' | 'offline' | 'jammed' | 'coverOpen' | 'error';

function readiness(s: PrinterState): { ready: true } | { ready: false; reason: NotReady } {
  if (s.paper === 'out') return { ready: false, reason: 'paperOut' };
  if (s.paper === 'jammed') return { ready: false, reason: 'jammed' };
  if (s.coverOpen) return { ready: false, reason: 'coverOpen' };
  if (s.device === 'offline') return { ready: false, reason: 'offline' };
  if (s.device === 'hardwareError') return { ready: false, reason: 'error' };
  return { ready: true };
}

/** Keeps the last known XFS-like status of one printer. */
class StatusTracker {
  status: DeviceStatus;
  constructor(id: string, kind: DeviceKind) {
    this.status = {
      id,
      kind,
      state: 'online',
      media: { paper: 'unknown' },
      counters: { jobs: 0, failedJobs: 0 },
      lastError: null,
    };
  }
  seen(s: PrinterState) {
    this.status = {
      ...this.status,
      state:
        s.device === 'offline' || s.coverOpen || s.paper === 'out'
          ? s.device === 'offline'
            ? 'offline'
            : 'userError'
          : s.device,
      media: { paper: s.paper, cover: s.coverOpen ? 'open' : 'closed' },
    };
  }
  failed(e: unknown) {
    const kind = e instanceof PrinterError ? e.kind : 'error';
    this.status = {
      ...this.status,
      state: kind === 'offline' ? 'offline' : 'userError',
      counters: { ...this.status.counters, failedJobs: (this.status.counters.failedJobs ?? 0) + 1 },
      lastError: deviceError(kind, (e as Error).message),
    };
  }
  done() {
    this.status = {
      ...this.status,
      counters: { ...this.status.counters, jobs: (this.status.counters.jobs ?? 0) + 1 },
    };
  }
}

async function guardedState(driver: PrinterDriver, tracker: StatusTracker) {
  try {
    const s = await driver.state();
    tracker.seen(s);
    return readiness(s);
  } catch (e) {
    tracker.failed(e);
    return { ready: false as const, reason: 'offline' as const };
  }
}

export interface CertificatePrinter extends CertificatePrinterPort {
  /** A technician's test page: a sample signed with a key nothing trusts, so it is printed without verification. */
  printSample(doc: IssuedDocument): Promise<{ jobId: string; pages: number }>;
}

export function certificatePrinter(
  driver: PrinterDriver,
  format: 'pdf' | 'escpos' | 'star',
  widthDots: 384 | 576,
  log: Logger,
  registryKeys?: JWK[],
  verificationNote = '',
): CertificatePrinter {
  const tracker = new StatusTracker('certificatePrinter', 'certificatePrinter');
  /** Verifies (when asked) and renders: the same bytes for every copy. */
  const render = async (doc: IssuedDocument, verify: boolean) => {
    // Paper that would fail verification must never leave the kiosk.
    if (verify && registryKeys) {
      const signed = SignedDocument.parse(doc.document);
      await verifyDocument(signed, registryKeys);
      // …and so must every page seal (the renderer checks that they carry exactly its pages).
      for (const seal of signed.seals ?? []) verifySeal(seal, registryKeys);
    }
    return format === 'pdf'
      ? await (await pdfRenderer()).renderCertificatePdf(doc.document, { verificationNote })
      : {
          pdf:
            format === 'star'
              ? await (
                  await starRaster()
                ).starRasterJob((await thermal()).thermalCertificatePng(doc.document, widthDots))
              : (await thermal()).thermalCertificateEscPos(doc.document, widthDots),
          pages: 1,
        };
  };
  /** One issuance rendered ahead (the session's own; dropped by forget or by the next issuance). */
  let prepared: { doc: IssuedDocument; rendered: ReturnType<typeof render> } | null = null;
  const print = async (doc: IssuedDocument, copyIndex: number, verify: boolean) => {
    const jobId = `${doc.issuanceId}-${copyIndex + 1}-${randomUUID().slice(0, 8)}`;
    // Only the very document verified ahead (the same object, or the same content) skips the work.
    const same =
      prepared !== null &&
      prepared.doc.issuanceId === doc.issuanceId &&
      (prepared.doc === doc || JSON.stringify(prepared.doc.document) === JSON.stringify(doc.document));
    const ahead = verify && same ? prepared!.rendered : null;
    const rendered = (ahead ? await ahead.catch(() => null) : null) ?? (await render(doc, verify));
    try {
      await driver.submit({
        id: jobId,
        data: rendered.pdf,
        contentType: format === 'pdf' ? 'application/pdf' : 'application/vnd.escpos',
      });
    } catch (e) {
      tracker.failed(e);
      log.warn({ jobId, kind: (e as PrinterError).kind }, 'certificate job failed');
      throw e;
    }
    tracker.done();
    log.info({ jobId, pages: rendered.pages }, 'certificate printed');
    return { jobId, pages: rendered.pages };
  };
  return {
    printCertificate: (doc, copyIndex) => print(doc, copyIndex, true),
    prepare: (doc) => {
      const rendered = render(doc, true);
      rendered.catch(() => undefined); // a failure here is met again, and reported, by the print itself
      prepared = { doc, rendered };
    },
    forget: (issuanceId) => {
      if (prepared?.doc.issuanceId === issuanceId) prepared = null;
    },
    printSample: (doc) => print(doc, 0, false),
    ready: () => guardedState(driver, tracker),
    status: () => tracker.status,
  };
}

export function receiptPrinter(
  driver: PrinterDriver,
  municipality: string,
  widthDots: 384 | 576,
  log: Logger,
  commandSet: 'epson' | 'star' = 'epson',
): ReceiptPrinterPort {
  const tracker = new StatusTracker('receiptPrinter', 'receiptPrinter');
  const encode = async (r: Receipt) =>
    commandSet === 'star'
      ? (await starRaster()).starRasterJob((await thermal()).receiptPng(r, widthDots))
      : (await thermal()).receiptEscPos(r, widthDots);
  const send = async (id: string, receipt: Receipt) => {
    const data = await encode(receipt);
    try {
      await driver.submit({ id, data, contentType: 'application/vnd.escpos' });
      tracker.done();
    } catch (e) {
      tracker.failed(e);
      log.warn({ jobId: id, kind: (e as PrinterError).kind }, 'receipt job failed');
      throw e;
    }
  };
  return {
    printReceipt: ({ issuer, ...r }) =>
      send(`receipt-${r.transactionRef}`, { ...r, municipality: issuer ?? municipality }),
    printIou: (iou) =>
      send(`iou-${iou.transactionRef}`, {
        municipality,
        title: '預り証',
        kioskId: iou.kioskId,
        transactionRef: iou.transactionRef,
        at: iou.at,
        lines: [
          ...(iou.paidYen !== undefined ? [{ label: 'お返しした額', amount: iou.paidYen }] : []),
          { label: 'お返しできなかった額 (未払い)', amount: iou.owedYen },
        ],
        footer: ['この預り証を窓口にお持ちください。'],
      }),
    ready: () => guardedState(driver, tracker),
    status: () => tracker.status,
  };
}

export interface Printers {
  certificate: CertificatePrinter;
  receipt: ReceiptPrinterPort;
  /** Simulator control (demo panel, tests); absent for real drivers. */
  simulators: { certificate?: SimulatedPrinter; receipt?: SimulatedPrinter };
  close(): Promise<void>;
}

/** Builds both printers from the `printers` config section. */
export async function createPrinters(config: PrintersConfig, deps: PrinterDeps): Promise<Printers> {
  const municipality = deps.municipality ?? '室蘭市';
  const simulators: Printers['simulators'] = {};
  const rc = config.receipt;
  const receiptDriver: PrinterDriver =
    rc.driver === 'escpos'
      ? new EscPosDriver(
          rc.serialPath
            ? await serialTransport(rc.serialPath, rc.baudRate)
            : await tcpTransport(rc.host, rc.port),
          rc.statusTimeoutMs,
        )
      : (simulators.receipt = new SimulatedPrinter(deps.spoolDir, 'escpos'));
  const cc = config.certificate;
  let certDriver: PrinterDriver;
  if (cc.driver === 'cups')
    certDriver = new CupsDriver({
      queue: cc.queue,
      timeoutMs: cc.jobTimeoutMs,
      ...(cc.server ? { server: cc.server } : {}),
    });
  else if (cc.driver === 'escpos')
    certDriver = receiptDriver; // kiosks without a page printer: the roll
  else certDriver = simulators.certificate = new SimulatedPrinter(deps.spoolDir, 'pdf');
  return {
    certificate: certificatePrinter(
      certDriver,
      cc.driver !== 'escpos' ? 'pdf' : rc.commandSet === 'star' ? 'star' : 'escpos',
      rc.widthDots,
      deps.log,
      deps.registryKeys,
      cc.verificationNote,
    ),
    receipt: receiptPrinter(receiptDriver, municipality, rc.widthDots, deps.log, rc.commandSet),
    simulators,
    close: async () => {
      await receiptDriver.close();
      if (certDriver !== receiptDriver) await certDriver.close();
    },
  };
}
