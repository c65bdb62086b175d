// Recovery rules, one journal state at a time, against fake devices and registry.
import { describe, expect, it } from 'vitest';
import { recoverOpenTransactions } from '../../src/core/recovery.js';
import { makeEngine } from './harness.js';
import { checkLedger } from '../../src/core/journal/ledger.js';

function setup() {
  const h = makeEngine();
  h.engine.stop();
  const deps = {
    journal: h.journal,
    registry: h.registry,
    certificatePrinter: h.printer,
    receiptPrinter: h.receipt,
    cash: h.cash,
    log: (h as unknown as { log?: never }).log ?? await_silent(),
    kioskId: 'TEST-01',
  };
  return { h, deps };
}
function await_silent() {
  return {
    warn() {},
    error() {},
    info() {},
    debug() {},
    child() {
      return this;
    },
  } as never;
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
  const ious = (h: ReturnType<typeof makeEngine>, tx: string) =>
    (
      h.journal.db
        .prepare("SELECT detail FROM audit_log WHERE tx_id = ? AND category = 'cash' AND event = 'iou'")
        .all(tx) as { detail: string }[]
    ).map((r) => (JSON.parse(r.detail) as { owedYen: number }).owedYen);
  const balanced = (h: ReturnType<typeof makeEngine>) =>
    expect(checkLedger(h.journal).violations).toEqual([]);

  it('printed but not finalized: finalizes and keeps the fee; the change is owed, not paid into an empty tray', async () => {
    const { h, deps } = setup();
    const { tx, doc } = await issued(h);
    accept(h, tx, 'bill', 1000);
    h.cash.escrowHeld = 1000;
    for (const copy of [1, 2])
      h.journal.printOutcome(
        h.journal.printIntent({ txId: tx, kind: 'certificate', issuanceId: doc.issuanceId, copyIndex: copy }),
        true,
      );
    const [r] = await recoverOpenTransactions(deps);
    expect(r).toMatchObject({ outcome: 'finalized', changeYen: 0, refundedYen: 0, shortYen: 600 });
    expect(h.registry.finalized).toEqual([doc.issuanceId]);
    // The bill was stacked, nothing paid out; ¥600 change is an IOU.
    expect(h.journal.cashBalance(tx)).toMatchObject({ netYen: 1000, escrowYen: 0, paidOutYen: 0 });
    expect(ious(h, tx)).toEqual([600]);
    expect(h.receipt.ious).toEqual([]);
    expect(h.journal.transaction(tx)!.status).toBe('recovered');
    balanced(h);
  });

  it('printed, but the validator gave the bill back while the kiosk was down: finalized, the uncollected fee is flagged', async () => {
    const { h, deps } = setup();
    const { tx, doc } = await issued(h);
    accept(h, tx, 'bill', 1000);
    h.cash.escrowHeld = 0;
    for (const copy of [1, 2])
      h.journal.printOutcome(
        h.journal.printIntent({ txId: tx, kind: 'certificate', issuanceId: doc.issuanceId, copyIndex: copy }),
        true,
      );
    const [r] = await recoverOpenTransactions(deps);
    expect(r).toMatchObject({ outcome: 'finalized', changeYen: 0 });
    expect(r!.needsTechnician).toMatch(/not collected/);
    expect(h.journal.cashBalance(tx)).toMatchObject({ netYen: 0, escrowYen: 0 });
    balanced(h);
  });

  it('one copy out but the bill given back (the journal failed and the payment was cancelled): never voided', async () => {
    const { h, deps } = setup();
    const { tx, doc } = await issued(h);
    accept(h, tx, 'bill', 1000);
    const back = h.journal.intent({ transactionId: tx, kind: 'return', device: 'bill', yen: 1000, count: 1 });
    h.journal.outcome(back, { ok: true, count: 1 });
    h.journal.printOutcome(
      h.journal.printIntent({ txId: tx, kind: 'certificate', issuanceId: doc.issuanceId, copyIndex: 1 }),
      true,
    );
    const [r] = await recoverOpenTransactions(deps);
    expect(r).toMatchObject({ outcome: 'owed', owedCertificate: doc.issuanceId, claim: null });
    expect(r!.needsTechnician).toBeTruthy();
    expect(h.registry.voided).toEqual([]);
    balanced(h);
  });

  it('paid but one copy unprinted: prints nothing; the certificate is owed and the issuance left for the counter', async () => {
    const { h, deps } = setup();
    const { tx, doc } = await issued(h);
    accept(h, tx, 'coin', 500);
    h.journal.printOutcome(
      h.journal.printIntent({ txId: tx, kind: 'certificate', issuanceId: doc.issuanceId, copyIndex: 1 }),
      true,
    );
    const pending = h.journal.printIntent({
      txId: tx,
      kind: 'certificate',
      issuanceId: doc.issuanceId,
      copyIndex: 2,
    }); // crashed mid-print
    const [r] = await recoverOpenTransactions(deps);
    expect(r).toMatchObject({ outcome: 'owed', owedCertificate: doc.issuanceId, shortYen: 100 });
    expect(r!.needsTechnician).toMatch(/certificate owed/);
    expect(h.printer.printed).toEqual([]);
    expect(h.registry.finalized).toEqual([]);
    expect(h.registry.voided).toEqual([]);
    // The interrupted job is closed with its true outcome.
    expect(h.journal.printJobs(tx).find((j) => j.id === pending)).toMatchObject({ status: 'failed' });
    expect(ious(h, tx)).toEqual([100]);
    balanced(h);
  });

  it('money taken with a bill in escrow and no issuance: the bill is kept and everything is owed', async () => {
    const { h, deps } = setup();
    const tx = h.journal.openTransaction();
    accept(h, tx, 'coin', 100);
    accept(h, tx, 'bill', 1000);
    h.cash.escrowHeld = 1000;
    const [r] = await recoverOpenTransactions(deps);
    expect(r).toMatchObject({ outcome: 'owed', refundedYen: 0, shortYen: 1100 });
    expect(h.journal.cashBalance(tx)).toMatchObject({ netYen: 1100, escrowYen: 0, paidOutYen: 0 });
    expect(h.journal.cashRows(tx).some((c) => c.kind === 'return')).toBe(false);
    balanced(h);
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
    balanced(h);
  });

  it('an issuance the registry finalized is never labelled voided (the journal lost its tail)', async () => {
    const { h, deps } = setup();
    const { tx, doc } = await issued(h, 1);
    accept(h, tx, 'coin', 500);
    // The printing and the finalize were in the part of the WAL that was cut.
    h.registry.voidByIdempotencyKey = (async () => ({
      found: true,
      state: 'finalized',
    })) as unknown as typeof h.registry.voidByIdempotencyKey;
    const [r] = await recoverOpenTransactions(deps);
    expect(r).toMatchObject({ outcome: 'owed', owedCertificate: doc.issuanceId });
    const tx2 = (await issued(h, 1)).tx; // unpaid this time: the journal knows no money
    const [r2] = await recoverOpenTransactions(deps);
    expect(r2).toMatchObject({ txId: tx2, outcome: 'finalized' });
    expect(r2!.needsTechnician).toMatch(/behind the registry|not collected/);
    expect(h.journal.transaction(tx2)!.outcome).toBe('finalized');
    balanced(h);
  });

  it('a cash movement of unknown outcome needs a technician', async () => {
    const { h, deps } = setup();
    const { tx } = await issued(h);
    accept(h, tx, 'coin', 500);
    h.journal.intent({ transactionId: tx, kind: 'change', device: 'hopper.100', yen: 100, count: 1 });
    const [r] = await recoverOpenTransactions(deps);
    expect(r!.needsTechnician).toMatch(/unknown outcome of change/);
    expect(h.journal.openCashIntents(tx)).toEqual([]);
    expect(checkLedger(h.journal)).toMatchObject({ unresolved: 1, violations: [] });
  });

  it('leaves a transaction open (for the next start) when the registry cannot be reached', async () => {
    const { h, deps } = setup();
    const { tx } = await issued(h);
    h.registry.voidByIdempotencyKey = async () => {
      throw Object.assign(new Error('down'), { kind: 'unreachable' });
    };
    const [r] = await recoverOpenTransactions(deps);
    expect(r!.needsTechnician).toMatch(/recovery failed: unreachable/);
    expect(h.journal.transaction(tx)!.status).toBe('open');
  });
});

describe('ledger invariant', () => {
  it('finds money that does not add up and an issuance both printed and voided', async () => {
    const { h, deps } = setup();
    const { tx, doc } = await issued(h, 1);
    accept(h, tx, 'coin', 500);
    h.journal.printOutcome(
      h.journal.printIntent({ txId: tx, kind: 'certificate', issuanceId: doc.issuanceId, copyIndex: 1 }),
      true,
    );
    h.journal.step(tx, 'registry.void', 'done');
    h.journal.close(tx, 'cancelled', 'cancelled');
    const report = checkLedger(h.journal);
    expect(report.ok).toBe(false);
    expect(report.violations.map((v) => v.problem).join('\n')).toMatch(/voided after 1 copy was printed/);
    expect(report.violations.map((v) => v.problem).join('\n')).toMatch(/yen in ¥500/);
    void deps;
  });
});
