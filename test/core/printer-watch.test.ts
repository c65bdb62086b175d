// Money is never taken for a certificate that cannot print: the printer simulator's paper, toner and
// cover are asked before the acceptors open, every few seconds while money goes in, and before each
// copy. Time is a manual clock, so "while money goes in" is exact, not slept through.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedPrinter } from '../../drivers/printer/simulator/simulator.js';
import { parseConfig } from '../../src/config/load.js';
import { viewOn, type Snapshot } from '../../src/contract/index.js';
import { createEngine, type Engine } from '../../src/core/engine.js';
import { openJournalDb } from '../../src/core/journal/db.js';
import { Journal } from '../../src/core/journal/journal.js';
import { loadOrCreateKey } from '../../src/core/journal/keys.js';
import type { CertificatePrinterPort } from '../../src/core/ports.js';
import { silentLogger } from '../../src/log/logger.js';
import { certificatePrinter } from '../../src/printing/index.js';
import { ManualClock } from '../support/manual-clock.js';
import { FakeCard, FakeCash, FakeReceiptPrinter, FakeRegistry } from './fakes.js';

const WATCH_MS = 2000;

function kiosk() {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-printer-watch-'));
  const journal = new Journal(
    openJournalDb(join(dir, 'journal.sqlite3')),
    loadOrCreateKey(join(dir, 'journal.key')),
    'TEST-01',
  );
  const clock = new ManualClock();
  const sim = new SimulatedPrinter(join(dir, 'spool'), 'pdf');
  const adapter = certificatePrinter(sim, 'pdf', 576, silentLogger);
  // Readiness is the real adapter over the simulator; a copy is one small job through the simulator,
  // so paper out fails it as it would a rendered page.
  const jobs: number[] = [];
  const printer: CertificatePrinterPort = {
    ready: () => adapter.ready(),
    status: () => adapter.status(),
    async printCertificate(doc, copy) {
      await sim.submit({ id: `${doc.issuanceId}-${copy}`, data: new Uint8Array([copy]) });
      jobs.push(copy);
      return { jobId: `${doc.issuanceId}-${copy}`, pages: 1 };
    },
  };
  const card = new FakeCard();
  const registry = new FakeRegistry();
  const cash = new FakeCash(journal);
  const engine: Engine = createEngine({
    deps: {
      journal,
      card,
      registry,
      certificatePrinter: printer,
      receiptPrinter: new FakeReceiptPrinter(),
      cash,
      log: silentLogger,
      kioskId: 'TEST-01',
      printerWatchMs: WATCH_MS,
    },
    ui: parseConfig({ kiosk: { dataDir: dir } }).ui,
    demo: true,
    acceptedBills: [1000],
    clock,
  });
  engine.start();
  /** Resolves at the first snapshot (now or later) that satisfies `pred`; time only moves by `clock`. */
  const until = (pred: (s: Snapshot) => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (pred(engine.snapshot())) return resolve();
      const deadline = setTimeout(
        () => reject(new Error(`never reached ${what}; at ${engine.snapshot().state}`)),
        2000,
      );
      const off = engine.subscribe((s) => {
        if (!pred(s)) return;
        clearTimeout(deadline);
        off();
        resolve();
      });
    });
  const at = (state: string) => until((s) => s.state === `session.${state}`, state);
  /** Card in, PIN, 住民票 × copies, confirmed, card out: the payment screen with the acceptors open. */
  async function toPayment(copies = 1, whileCardOut: () => void = () => undefined) {
    card.insert();
    await at('pin');
    engine.input({ type: 'PIN_SUBMIT', pin: '1234' });
    await at('certificate');
    engine.input({ type: 'SELECT_CERTIFICATE', certificate: 'juminhyo' });
    await at('options');
    engine.input({ type: 'SET_OPTIONS', options: { scope: 'self' }, copies });
    await at('confirm');
    engine.input({ type: 'CONFIRM' });
    await at('takeCard');
    whileCardOut();
    card.remove();
    await at('payment');
  }
  const accepting = () => until((s) => s.screen === 'payment' && viewOn(s, 'payment').accepting, 'accepting');
  const txRow = () =>
    journal.db.prepare('SELECT id, status FROM transactions').get() as { id: string; status: string };
  return { journal, clock, sim, jobs, cash, registry, engine, until, at, toPayment, accepting, txRow };
}

let k: ReturnType<typeof kiosk>;
afterEach(() => k?.engine.stop());

describe('printer state and money', () => {
  it('paper out after the request, while the card is taken: the acceptors never open', async () => {
    k = kiosk();
    const start = k.cash.startPayment.bind(k.cash);
    let opened = 0;
    k.cash.startPayment = (fee, tx) => {
      opened++;
      return start(fee, tx);
    };
    // Ready when the issuance was requested; out by the time the resident has taken the card.
    await k.toPayment(1, () => k.sim.setPaper('out'));
    await k.until((s) => s.screen === 'error', 'error');
    expect(opened).toBe(0);
    expect(viewOn(k.engine.snapshot(), 'error')).toMatchObject({
      messageKey: 'error.printer',
      refundedYen: 0,
    });
    await k.until(() => k.registry.voided.length === 1, 'void');
    expect(k.registry.voided[0]!.reason).toBe('printFailed');
    expect(k.journal.cashBalance(k.txRow().id)).toMatchObject({ netYen: 0, escrowYen: 0 });
  });

  it.each([
    ['paper runs out', (sim: SimulatedPrinter) => sim.setPaper('out')],
    ['the toner runs out', (sim: SimulatedPrinter) => sim.setTonerEmpty(true)],
    ['the cover is opened', (sim: SimulatedPrinter) => sim.setCoverOpen(true)],
  ])('%s mid-payment: payment stops at the next check and the coins come back', async (_name, fault) => {
    k = kiosk();
    await k.toPayment();
    await k.accepting();
    k.cash.session!.coin(100);
    await k.until((s) => s.screen === 'payment' && viewOn(s, 'payment').insertedYen === 100, 'credit');
    // Checks while the printer is fine change nothing.
    await k.clock.advance(WATCH_MS * 3);
    expect(k.engine.snapshot().screen).toBe('payment');
    fault(k.sim);
    await k.clock.advance(WATCH_MS);
    await k.until((s) => s.screen === 'error' && !viewOn(s, 'error').busy, 'error after refund');
    // Not waiting for the rest of the fee: 100 of 200 inserted, 100 given back.
    expect(viewOn(k.engine.snapshot(), 'error')).toMatchObject({
      messageKey: 'error.printer',
      refundedYen: 100,
      owedYen: 0,
    });
    expect(k.jobs).toEqual([]);
    const tx = k.txRow();
    expect(tx.status).toBe('failed');
    expect(k.journal.cashBalance(tx.id)).toMatchObject({ netYen: 0, escrowYen: 0 });
    // A coin arriving after the stop no longer reaches the session.
    const before = k.engine.snapshot().seq;
    k.cash.session!.coin(100);
    expect(k.engine.snapshot().state).not.toBe('session.payment');
    expect(k.engine.snapshot().seq).toBe(before);
  });

  it('paper out between the first and second copy: the second is not started, the sale stands for one', async () => {
    k = kiosk();
    await k.toPayment(2);
    await k.accepting();
    const submit = k.sim.submit.bind(k.sim);
    k.sim.submit = async (job) => {
      const r = await submit(job);
      k.sim.setPaper('out');
      return r;
    };
    k.cash.session!.coin(500);
    await k.until((s) => s.screen === 'error' && !viewOn(s, 'error').busy, 'error');
    expect(k.jobs).toEqual([1]);
    // One copy is in the resident's hands: the fee is kept, the missing copy is owed at the counter.
    expect(k.txRow().status).toBe('failed');
    const owed = k.journal.db
      .prepare("SELECT detail FROM audit_log WHERE event = 'certificateOwed'")
      .get() as { detail: string } | undefined;
    expect(owed && JSON.parse(owed.detail)).toMatchObject({ copiesOwed: 1 });
  });
});
