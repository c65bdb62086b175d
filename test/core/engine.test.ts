import { describe, expect, it, afterEach } from 'vitest';
import { viewOn } from '../../src/contract/index.js';
import { makeEngine } from './harness.js';
import { ManualClock } from '../support/manual-clock.js';

let h: ReturnType<typeof makeEngine>;
afterEach(() => h?.engine.stop());

describe('transaction engine', () => {
  it('runs the happy path and journals every step before its effect', async () => {
    h = makeEngine();
    expect(h.engine.snapshot().screen).toBe('idle');
    await h.toConfirm();
    expect(h.engine.snapshot().view).toMatchObject({
      feeYen: 200,
      copies: 1,
      certificate: { type: 'juminhyo' },
    });
    h.engine.input({ type: 'CONFIRM' });
    await h.at('takeCard');
    expect(h.engine.snapshot().screen).toBe('takeCard');
    h.card.remove();
    await h.paying();
    h.cash.session!.coin(100);
    await h.until(() => viewOn(h.engine.snapshot(), 'payment').insertedYen === 100, 'credit');
    h.cash.session!.coin(500);
    await h.at('thankYou');
    expect(h.engine.snapshot().view).toMatchObject({ changeYen: 400, shortYen: 0 });
    expect(h.printer.printed).toEqual([{ issuanceId: 'ISS-1', copy: 1 }]);
    expect(h.registry.finalized).toEqual(['ISS-1']);
    expect(h.receipt.receipts).toHaveLength(1);

    const [tx] = h.journal.db.prepare('SELECT * FROM transactions').all() as {
      id: string;
      status: string;
      fee_yen: number;
      resident_hash: string;
    }[];
    expect(tx).toMatchObject({ status: 'completed', fee_yen: 200 });
    expect(tx!.resident_hash).toMatch(/^[0-9a-f]{64}$/);
    const steps = h.journal.steps(tx!.id).map((s) => `${s.step}:${s.phase}`);
    // Each effect's intent precedes its outcome, in flow order.
    const order = [
      'card.read',
      'card.verifyPin',
      'registry.challenge',
      'card.sign',
      'registry.authenticate',
      'registry.eligibility',
      'registry.issue',
      'payment.start',
      'payment.commit',
      'registry.finalize',
    ];
    let last = -1;
    for (const s of order) {
      const i = steps.indexOf(`${s}:intent`);
      expect(i, s).toBeGreaterThan(last);
      expect(steps.indexOf(`${s}:done`), s).toBeGreaterThan(i);
      last = i;
    }
    expect(h.journal.cashBalance(tx!.id)).toMatchObject({
      receivedYen: 600,
      paidOutYen: 400,
      netYen: 200,
      escrowYen: 0,
    });
    expect(h.journal.verifyAudit().problems).toEqual([]);
    // The ACK on the thank-you screen ends the session and wipes it.
    h.engine.input({ type: 'ACK' });
    await h.at('idle');
    expect(h.engine.machineSnapshot().context.resident).toBeNull();
  });

  it('shows tries left after a wrong PIN, then accepts the right one', async () => {
    h = makeEngine();
    h.card.insert();
    await h.at('pin');
    expect(viewOn(h.engine.snapshot(), 'pin').triesLeft).toBe(3);
    h.engine.input({ type: 'PIN_SUBMIT', pin: '0000' });
    await h.until(() => viewOn(h.engine.snapshot(), 'pin').triesLeft === 2, 'tries 2');
    expect(h.engine.snapshot().state).toBe('session.pin');
    h.engine.input({ type: 'PIN_SUBMIT', pin: '1234' });
    await h.at('certificate');
  });

  it('a blocked PIN sends the resident to the counter, distinctly from a wrong one', async () => {
    h = makeEngine();
    h.card.tries = 1;
    h.card.insert();
    await h.at('pin');
    h.engine.input({ type: 'PIN_SUBMIT', pin: '0000' });
    await h.until(() => h.engine.snapshot().screen === 'refused', 'refused');
    expect(h.engine.snapshot().view).toMatchObject({ reason: 'pinBlocked' });
    const tx = h.journal.db.prepare('SELECT status, outcome FROM transactions').get();
    await h.until(
      () =>
        (h.journal.db.prepare('SELECT status FROM transactions').get() as { status: string }).status !==
        'open',
      'closed',
    );
    expect(h.journal.db.prepare('SELECT status, outcome FROM transactions').get()).toEqual({
      status: 'refused',
      outcome: 'pinBlocked',
    });
    expect(tx).toBeDefined();
  });

  it('a refusal carries no reason anywhere: screen, snapshot or journal', async () => {
    h = makeEngine();
    h.registry.eligible = false;
    h.card.insert();
    await h.at('pin');
    h.engine.input({ type: 'PIN_SUBMIT', pin: '1234' });
    await h.at('certificate');
    h.engine.input({ type: 'SELECT_CERTIFICATE', certificate: 'juminhyo' });
    await h.at('options');
    h.engine.input({ type: 'SET_OPTIONS', options: {}, copies: 1 });
    await h.until(() => h.engine.snapshot().screen === 'refused', 'refused');
    expect(h.engine.snapshot().view).toEqual({
      reason: 'counter',
      cardPresent: true,
      busy: expect.any(Boolean),
    });
    await h.until(
      () =>
        (h.journal.db.prepare('SELECT status FROM transactions').get() as { status: string }).status ===
        'refused',
      'closed',
    );
    const dump = (
      h.journal.db.prepare('SELECT step, detail FROM steps').all() as {
        step: string;
        detail: string | null;
      }[]
    )
      .map((r) => `${r.step} ${r.detail}`)
      .join('\n');
    expect(dump).toContain('"eligible":false');
    expect(dump).not.toMatch(/支援|shien|dv/i);
  });

  it('card pulled during PIN entry cancels the session', async () => {
    h = makeEngine();
    h.card.insert();
    await h.at('pin');
    h.card.remove();
    await h.until(() => h.engine.snapshot().screen === 'cancelled', 'cancelled');
    expect(h.engine.snapshot().view).toMatchObject({ ending: 'removed' });
  });

  it('paper out while printing returns the money and voids the issuance', async () => {
    h = makeEngine();
    await h.toPayment();
    h.printer.failOnCopy = 1;
    h.cash.session!.bill(1000);
    await h.until(() => h.engine.snapshot().screen === 'error', 'error');
    await h.until(() => h.registry.voided.length === 1, 'void');
    expect(h.registry.voided).toEqual([{ id: 'ISS-1', reason: 'printFailed' }]);
    const tx = h.journal.db.prepare('SELECT id, status FROM transactions').get() as {
      id: string;
      status: string;
    };
    expect(tx.status).toBe('failed');
    expect(h.journal.cashBalance(tx.id)).toMatchObject({ escrowYen: 0, netYen: 0 });
    expect(h.engine.snapshot().view).toMatchObject({ messageKey: 'error.printer' });
    // The kiosk goes out of service after such a failure.
    h.engine.input({ type: 'ACK' });
    await h.at('outOfService');
  });

  it('cancel during payment refunds coins and voids', async () => {
    h = makeEngine();
    await h.toPayment();
    h.cash.session!.coin(100);
    await h.until(() => viewOn(h.engine.snapshot(), 'payment').insertedYen === 100, 'credit');
    h.engine.input({ type: 'CANCEL' });
    await h.until(() => h.registry.voided.length === 1, 'void');
    const tx = h.journal.db.prepare('SELECT id, status FROM transactions').get() as {
      id: string;
      status: string;
    };
    await h.until(() => (h.journal.transaction(tx.id)?.status ?? 'open') !== 'open', 'closed');
    expect(h.journal.transaction(tx.id)!.status).toBe('cancelled');
    expect(h.journal.cashBalance(tx.id)).toMatchObject({ receivedYen: 100, paidOutYen: 100, netYen: 0 });
    expect(h.registry.finalized).toEqual([]);
  });

  it('a refund the hoppers cannot pay in full: the screen and the IOU slip say paid and owed, the kiosk goes out of service', async () => {
    h = makeEngine();
    await h.toPayment();
    h.cash.session!.coin(100);
    await h.until(() => viewOn(h.engine.snapshot(), 'payment').insertedYen === 100, 'credit');
    h.cash.hopper = 40; // the hoppers hold only ¥40
    h.engine.input({ type: 'CANCEL' });
    await h.until(
      () => h.engine.snapshot().screen === 'cancelled' && !viewOn(h.engine.snapshot(), 'cancelled').busy,
      'refund done',
    );
    expect(viewOn(h.engine.snapshot(), 'cancelled')).toMatchObject({ refundedYen: 40, owedYen: 60 });
    expect(h.receipt.ious).toEqual([60]);
    expect(h.receipt.iouPaid).toEqual([40]);
    h.engine.input({ type: 'ACK' });
    await h.at('outOfService');
  });

  it('never counts down from more than the configured warning when a timer fires early', async () => {
    // Node's timers may fire a millisecond before the wall clock says they are due.
    class EarlyClock extends ManualClock {
      override setTimeout(fn: () => void, ms: number) {
        return super.setTimeout(fn, ms - 1);
      }
    }
    const clock = new EarlyClock();
    h = makeEngine({ timeouts: { default: 22 }, timeoutWarning: 20 }, { clock });
    h.engine.input({ type: 'START' });
    await h.at('insertCard');
    await clock.advance(1_999);
    expect(h.engine.snapshot().timeoutWarning).toEqual({ secondsLeft: 20 });
    await clock.advance(1_000);
    expect(h.engine.snapshot().timeoutWarning).toEqual({ secondsLeft: 20 });
    await clock.advance(1_000);
    expect(h.engine.snapshot().timeoutWarning).toEqual({ secondsLeft: 19 });
  });

  it('times out after a warning with a countdown, and EXTEND gives more time', async () => {
    const clock = new ManualClock();
    h = makeEngine({ timeouts: { default: 22 }, timeoutWarning: 20 }, { clock });
    h.engine.input({ type: 'START' });
    await h.at('insertCard');
    await clock.advance(1_999);
    expect(h.engine.snapshot().timeoutWarning).toBeNull();
    await clock.advance(1);
    expect(h.engine.snapshot().timeoutWarning).toEqual({ secondsLeft: 20 });
    await clock.advance(5_000);
    expect(h.engine.snapshot().timeoutWarning).toEqual({ secondsLeft: 15 });
    h.engine.input({ type: 'EXTEND' });
    expect(h.engine.snapshot().timeoutWarning).toBeNull();
    await clock.advance(21_999);
    expect(h.engine.snapshot().state).toBe('session.insertCard');
    await clock.advance(1);
    expect(h.engine.snapshot().screen).toBe('cancelled');
    expect(h.engine.snapshot().view).toMatchObject({ ending: 'timeout' });
    // The end screen goes back to idle after its own delay, on the same clock.
    await clock.advance(10_000);
    expect(h.engine.snapshot().state).toBe('idle');
  });

  it('ignores input that makes no sense in the current state', async () => {
    h = makeEngine();
    h.engine.input({ type: 'CONFIRM' });
    h.engine.input({ type: 'SELECT_CERTIFICATE', certificate: 'juminhyo' });
    expect(h.engine.snapshot().state).toBe('idle');
    await h.toConfirm();
    // A certificate not in the catalog is refused by the guard.
    h.engine.input({ type: 'BACK' });
    await h.at('options');
    h.engine.input({ type: 'SET_OPTIONS', options: {}, copies: 99 });
    expect(h.engine.snapshot().state).toBe('session.options');
  });
});
