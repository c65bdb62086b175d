// Recovery rules, one journal state at a time, against fake devices and registry.
import { describe, expect, it } from 'vitest';
import { recoverOpenTransactions } from '../../src/core/recovery.js';
import { makeEngine } from './harness.js';

function setup() {
  const h = makeEngine();
  h.engine.stop();
  const deps = { journal: h.journal, registry: h.registry, certificatePrinter: h.printer, receiptPrinter: h.receipt, cash: h.cash, log: (h as unknown as { log?: never }).log ?? (await_silent()), kioskId: 'TEST-01' };
  return { h, deps };
}
function await_silent() {
  return { warn() {}, error() {}, info() {}, debug() {}, child() { return this; } } as never;
}

/** A transaction journaled up to "issued" with a fee, copies and the registry's issuance. */
async function issued(h: ReturnType<typeof makeEngine>, copies = 2) {
  const tx = h.journal.openTransaction();
  const key = h.journal.idempotencyKey(tx);
  const doc = await h.registry.issue('t', { copies }, key);
  h.journal.step(tx, 'registry.issue', 'intent', { idempotencyKey: key });
  h.journal.step(tx, 'registry.issue', 'done', { issuanceId: doc.issuanceId });
  h.journal.update(tx, { issuanceId: doc.issuanceId, feeYen: 400, copies });
  return { tx, doc };
}
function accept(h: ReturnType<typeof makeEngine>, tx: string, device: 'coin' | 'bill', yen: number) {
  const id = h.journal.intent({ transactionId: tx, kind: 'accept', device, yen, count: 1 });
  h.journal.outcome(id, { ok: true, count: 1 });
}

describe('recovery at start-up', () => {
  it('printed but not finalized: finalizes and pays the change owed, keeping the fee', async () => {
    const { h, deps } = setup();
    const { tx, doc } = await issued(h);
    accept(h, tx, 'bill', 1000);
    h.cash.escrowHeld = 1000;
    for (const copy of [1, 2]) h.journal.printOutcome(h.journal.printIntent({ txId: tx, kind: 'certificate', issuanceId: doc.issuanceId, copyIndex: copy }), true);
    const [r] = await recoverOpenTransactions(deps);
    expect(r).toMatchObject({ outcome: 'finalized', changeYen: 600, refundedYen: 0 });
    expect(h.registry.finalized).toEqual([doc.issuanceId]);
    expect(h.journal.cashBalance(tx)).toMatchObject({ netYen: 400, escrowYen: 0 });
    expect(h.journal.transaction(tx)!.status).toBe('recovered');
  });

  it('printed, but the validator gave the bill back while the kiosk was down: finalized, the uncollected fee is flagged', async () => {
    const { h, deps } = setup();
    const { tx, doc } = await issued(h);
    accept(h, tx, 'bill', 1000);
    for (const copy of [1, 2]) h.journal.printOutcome(h.journal.printIntent({ txId: tx, kind: 'certificate', issuanceId: doc.issuanceId, copyIndex: copy }), true);
    const [r] = await recoverOpenTransactions(deps);
    expect(r).toMatchObject({ outcome: 'finalized', changeYen: 0 });
    expect(r!.needsTechnician).toMatch(/not collected/);
    expect(h.journal.cashBalance(tx)).toMatchObject({ netYen: 0, escrowYen: 0 });
  });

  it('paid but one copy unprinted: reprints it when the registry authorizes', async () => {
    const { h, deps } = setup();
    const { tx, doc } = await issued(h);
    accept(h, tx, 'coin', 500);
    h.journal.printOutcome(h.journal.printIntent({ txId: tx, kind: 'certificate', issuanceId: doc.issuanceId, copyIndex: 1 }), true);
    h.journal.printIntent({ txId: tx, kind: 'certificate', issuanceId: doc.issuanceId, copyIndex: 2 }); // crashed mid-print
    const [r] = await recoverOpenTransactions(deps);
    expect(r).toMatchObject({ outcome: 'reprinted', changeYen: 100 });
    expect(h.printer.printed).toEqual([{ issuanceId: doc.issuanceId, copy: 2 }]);
    expect(h.registry.finalized).toEqual([doc.issuanceId]);
  });

  it('paid, unprinted, reprint refused: voids and refunds everything', async () => {
    const { h, deps } = setup();
    const { tx, doc } = await issued(h);
    accept(h, tx, 'coin', 500);
    h.registry.authorizeReprint = async () => ({ authorized: false as const });
    const [r] = await recoverOpenTransactions(deps);
    expect(r).toMatchObject({ outcome: 'refunded', refundedYen: 500 });
    expect(h.registry.voided).toEqual([{ id: doc.issuanceId, reason: 'recovered' }]);
    expect(h.journal.cashBalance(tx).netYen).toBe(0);
  });

  it('money taken with a bill in escrow and no issuance: the bill is returned, coins refunded', async () => {
    const { h, deps } = setup();
    const tx = h.journal.openTransaction();
    accept(h, tx, 'coin', 100);
    accept(h, tx, 'bill', 1000);
    const [r] = await recoverOpenTransactions(deps);
    expect(r).toMatchObject({ outcome: 'refunded', refundedYen: 100 });
    expect(h.journal.cashBalance(tx)).toMatchObject({ netYen: 0, escrowYen: 0 });
    expect(h.journal.cashRows(tx).some((c) => c.kind === 'return' && c.phase === 'done')).toBe(true);
  });

  it('a crash between the registry issuing and the journal: voided by the Idempotency-Key', async () => {
    const { h, deps } = setup();
    const tx = h.journal.openTransaction();
    const key = h.journal.idempotencyKey(tx);
    h.journal.step(tx, 'registry.issue', 'intent', { idempotencyKey: key });
    const doc = await h.registry.issue('t', { copies: 1 }, key); // the answer never reached the journal
    const [r] = await recoverOpenTransactions(deps);
    expect(r).toMatchObject({ outcome: 'voided' });
    expect(h.registry.voided).toEqual([{ id: doc.issuanceId, reason: 'recovered' }]);
  });

  it('a cash movement of unknown outcome needs a technician', async () => {
    const { h, deps } = setup();
    const { tx } = await issued(h);
    accept(h, tx, 'coin', 500);
    h.journal.intent({ transactionId: tx, kind: 'change', device: 'hopper.100', yen: 100, count: 1 });
    const [r] = await recoverOpenTransactions(deps);
    expect(r!.needsTechnician).toMatch(/unknown outcome of change/);
    expect(h.journal.openCashIntents(tx)).toEqual([]);
  });

  it('a short refund prints an IOU and needs a technician', async () => {
    const { h, deps } = setup();
    const tx = h.journal.openTransaction();
    accept(h, tx, 'coin', 500);
    h.cash.hopper = 300;
    const [r] = await recoverOpenTransactions(deps);
    expect(r).toMatchObject({ refundedYen: 300, shortYen: 200 });
    expect(h.receipt.ious).toEqual([200]);
    expect(r!.needsTechnician).toMatch(/IOU/);
  });

  it('leaves a transaction open (for the next start) when the registry cannot be reached', async () => {
    const { h, deps } = setup();
    const { tx } = await issued(h);
    h.registry.void = async () => {
      throw Object.assign(new Error('down'), { kind: 'unreachable' });
    };
    const [r] = await recoverOpenTransactions(deps);
    expect(r!.needsTechnician).toMatch(/recovery failed: unreachable/);
    expect(h.journal.transaction(tx)!.status).toBe('open');
  });
});
