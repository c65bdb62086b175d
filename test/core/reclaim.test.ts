// The resident owed something after a restart comes back for it: same card (its keyed hash) and PIN,
// within the window. Driven through the engine like a resident would, on a manual clock.
import { describe, expect, it } from 'vitest';
import { checkLedger, checkTransaction } from '../../src/core/journal/ledger.js';
import {
  closeInterruptedClaims,
  offerClaims,
  openClaims,
  syncReclaim,
  type Claim,
} from '../../src/core/reclaim.js';
import { recoverOpenTransactions } from '../../src/core/recovery.js';
import { silentLogger } from '../../src/log/logger.js';
import { ManualClock } from '../support/manual-clock.js';
import { makeEngine } from './harness.js';

const WINDOW_MS = 15 * 60_000;

/**
 * A session that read the card, was issued two copies, took ¥1000 for a ¥400 fee and printed one copy
 * before the kiosk went down; then recovery ran and offered the claim.
 */
async function crashedAfterOneCopy() {
  const clock = new ManualClock();
  const h = makeEngine({}, { clock });
  const { journal, registry } = h;
  const tx = journal.openTransaction();
  journal.step(tx, 'card.read', 'intent');
  journal.step(tx, 'card.read', 'done', {
    cardType: 'mynumber',
    cardHash: journal.cardHash(h.card.certificate),
  });
  const key = journal.idempotencyKey(tx);
  const doc = await registry.issue('t', { copies: 2 }, key);
  journal.step(tx, 'registry.issue', 'intent', { idempotencyKey: key });
  journal.step(tx, 'registry.issue', 'done', { issuanceId: doc.issuanceId });
  journal.update(tx, { issuanceId: doc.issuanceId, feeYen: 400, copies: 2 });
  for (const yen of [500, 500])
    journal.outcome(journal.intent({ transactionId: tx, kind: 'accept', device: 'coin', yen, count: 1 }), {
      ok: true,
      count: 1,
    });
  journal.printOutcome(
    journal.printIntent({ txId: tx, kind: 'certificate', issuanceId: doc.issuanceId, copyIndex: 1 }),
    true,
  );
  const results = await recoverOpenTransactions({
    journal,
    registry,
    certificatePrinter: h.printer,
    receiptPrinter: h.receipt,
    cash: h.cash,
    log: silentLogger,
    kioskId: 'TEST-01',
  });
  offerClaims(journal, results, new Date(clock.now() + WINDOW_MS));
  const sync = () => syncReclaim(h.engine, journal, new Date(clock.now()), { mayOpen: true });
  return { h, clock, tx, doc, results, sync };
}

const otherCard = new Uint8Array([0x30, 0x82, 0, 1, 9]);

describe('a resident comes back for what a crash left owed', () => {
  it('recovery offers the claim: one copy and ¥600 change owed to that card, no technician yet', async () => {
    const { h, results, tx } = await crashedAfterOneCopy();
    expect(results[0]).toMatchObject({
      outcome: 'owed',
      shortYen: 600,
      claim: { owedYen: 600, copiesOwed: 1, cardHash: h.journal.cardHash(h.card.certificate) },
    });
    expect(openClaims(h.journal)).toMatchObject([{ txId: tx, owedYen: 600, copiesOwed: 1 }]);
    expect(checkLedger(h.journal).violations).toEqual([]);
  });

  it('same card and PIN: the missing copy is printed and finalized, the change paid; nothing stays owed', async () => {
    const { h, tx, doc, sync } = await crashedAfterOneCopy();
    sync();
    expect(h.engine.snapshot()).toMatchObject({ screen: 'reclaim', view: { phase: 'waiting' }, step: null });
    h.card.insert();
    await h.at('reclaim.pin');
    expect(h.engine.snapshot()).toMatchObject({ screen: 'pin', view: { triesLeft: 3 } });
    h.engine.input({ type: 'PIN_SUBMIT', pin: '1234' });
    await h.at('reclaim.delivered');
    expect(h.engine.snapshot()).toMatchObject({
      screen: 'reclaim',
      view: { phase: 'delivered', refundedYen: 600, owedYen: 0, copiesPrinted: 1, copiesOwed: 0 },
    });
    expect(h.printer.printed).toEqual([{ issuanceId: doc.issuanceId, copy: 2 }]);
    expect(h.registry.finalized).toEqual([doc.issuanceId]);
    expect(h.journal.cashBalance(tx).paidOutYen).toBe(600);
    expect(h.receipt.ious).toEqual([]);
    expect(openClaims(h.journal)).toEqual([]);
    // The IOU became a refund paid and the owed certificate a printed, finalized one.
    const c = checkTransaction(h.journal, h.journal.transaction(tx)!);
    expect(c.problems).toEqual([]);
    expect(c.money).toMatchObject({ yenIn: 1000, paidOut: 600, iouYen: 0 });
    expect(c.feesKept).toBe(400);
    // Nothing is left for a technician: back to idle (reminded to take the card).
    h.engine.input({ type: 'ACK' });
    await h.until(() => !h.engine.snapshot().state.startsWith('reclaim.'), 'reclaim over');
    expect(h.engine.snapshot().state).toMatch(/^cardLeft/);
  });

  it('another card: nothing printed, nothing paid, the claim stays for its own card', async () => {
    const { h, sync } = await crashedAfterOneCopy();
    sync();
    h.card.certificate = otherCard;
    h.card.insert();
    await h.at('reclaim.notOwed');
    expect(h.engine.snapshot()).toMatchObject({
      screen: 'reclaim',
      view: { phase: 'notOwed', cardPresent: true },
    });
    // Its PIN was never asked for.
    expect(h.card.calls).not.toContain('verify');
    h.card.remove();
    await h.at('reclaim.waiting');
    expect(h.printer.printed).toEqual([]);
    expect(h.cash.hopper).toBe(10_000);
    expect(openClaims(h.journal)).toHaveLength(1);
  });

  it('a wrong PIN gives nothing and says how many tries are left', async () => {
    const { h, sync } = await crashedAfterOneCopy();
    sync();
    h.card.insert();
    await h.at('reclaim.pin');
    h.engine.input({ type: 'PIN_SUBMIT', pin: '9999' });
    await h.until(
      () => h.engine.snapshot().state === 'reclaim.pin' && h.card.calls.includes('verify'),
      'back at the PIN',
    );
    expect(h.engine.snapshot()).toMatchObject({ screen: 'pin', view: { triesLeft: 2 } });
    expect(h.printer.printed).toEqual([]);
    expect(h.cash.hopper).toBe(10_000);
  });

  it('after the window: the claim closes for the technician; the same card then only starts a new session', async () => {
    const { h, clock, tx, sync } = await crashedAfterOneCopy();
    sync();
    await clock.advance(WINDOW_MS + 1000);
    const { expired } = sync();
    expect(expired.map((c) => c.txId)).toEqual([tx]);
    expect(h.engine.snapshot().state).toBe('idle');
    expect(openClaims(h.journal)).toEqual([]);
    h.card.insert();
    await h.until(() => h.engine.snapshot().state.startsWith('session.'), 'a new session');
    expect(h.printer.printed).toEqual([]);
    expect(h.cash.hopper).toBe(10_000);
    // The IOU and the owed certificate stay in the ledger for the counter.
    const c = checkTransaction(h.journal, h.journal.transaction(tx)!);
    expect(c.money.iouYen).toBe(600);
    expect(c.problems).toEqual([]);
  });

  it('printer out of paper and a hopper short: what was given and what is owed, told exactly, on a slip too', async () => {
    const { h, tx, doc, sync } = await crashedAfterOneCopy();
    h.printer.paper = false;
    h.cash.hopper = 200;
    sync();
    h.card.insert();
    await h.at('reclaim.pin');
    h.engine.input({ type: 'PIN_SUBMIT', pin: '1234' });
    await h.at('reclaim.delivered');
    expect(h.engine.snapshot()).toMatchObject({
      view: { phase: 'delivered', refundedYen: 200, owedYen: 400, copiesPrinted: 0, copiesOwed: 1 },
    });
    // An IOU slip for the ¥400 beside the ¥200 paid, and a slip for the copy still owed.
    expect(h.receipt.ious).toEqual([400]);
    expect(h.receipt.iouPaid).toEqual([200]);
    expect(JSON.stringify(h.receipt.receipts)).toContain(doc.issuanceId);
    expect(h.registry.finalized).toEqual([]);
    const c = checkTransaction(h.journal, h.journal.transaction(tx)!);
    expect(c.problems).toEqual([]);
    expect(c.money).toMatchObject({ paidOut: 200, iouYen: 400 });
    // What is still owed needs the technician: out of service after the screen.
    h.engine.input({ type: 'ACK' });
    await h.at('outOfService');
  });

  it('a journal that fails as the delivery starts: nothing given, the screen says so, out of service', async () => {
    const { h, sync } = await crashedAfterOneCopy();
    const setState = h.journal.setState.bind(h.journal);
    h.journal.setState = (key: string, value: unknown) => {
      if (key === 'reclaims' && (value as Claim[]).some((c) => c.delivering))
        throw new Error('disk I/O error');
      setState(key, value);
    };
    sync();
    h.card.insert();
    await h.at('reclaim.pin');
    h.engine.input({ type: 'PIN_SUBMIT', pin: '1234' });
    await h.at('reclaim.delivered');
    expect(h.engine.snapshot()).toMatchObject({ screen: 'reclaim', view: { phase: 'failed' } });
    expect(h.printer.printed).toEqual([]);
    expect(h.cash.hopper).toBe(10_000);
    h.engine.input({ type: 'ACK' });
    await h.at('outOfService');
  });

  it('a delivery cut short by a crash is never repeated: its unknown cash movement goes to the technician', async () => {
    const { h, tx } = await crashedAfterOneCopy();
    const [claim] = openClaims(h.journal) as [Claim];
    h.journal.setState('reclaims', [{ ...claim, delivering: true }]);
    h.journal.intent({ transactionId: tx, kind: 'payout', device: 'hopper.100', yen: 100, count: 6 });
    expect(closeInterruptedClaims(h.journal).map((c) => c.txId)).toEqual([tx]);
    expect(openClaims(h.journal)).toEqual([]);
    expect(h.journal.openCashIntents(tx)).toEqual([]);
    expect(checkTransaction(h.journal, h.journal.transaction(tx)!).unresolved).toBe(true);
  });
});
