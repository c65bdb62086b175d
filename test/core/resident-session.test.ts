// A card left behind never opens the next session, and the inactivity timer follows what the
// resident does (PIN digits, options, coins, language), not only what reaches the chart.
import { afterEach, describe, expect, it } from 'vitest';
import { viewOn } from '../../src/contract/index.js';
import { ManualClock } from '../support/manual-clock.js';
import { makeEngine } from './harness.js';

let h: ReturnType<typeof makeEngine>;
afterEach(() => h?.engine.stop());

describe('card left behind', () => {
  it('a cancelled session with the card still in goes to "take your card", never to a new session', async () => {
    h = makeEngine();
    h.card.insert();
    await h.at('pin');
    h.engine.input({ type: 'CANCEL' });
    await h.at('ended');
    h.engine.input({ type: 'ACK' });
    await h.until(() => h.engine.snapshot().screen === 'cardLeft', 'cardLeft');
    // The resident's data is gone although the card is not.
    const ctx = h.engine.machineSnapshot().context;
    expect(ctx.txId).toBeNull();
    expect(ctx.certificate).toBeNull();
    expect(ctx.triesLeft).toBeNull();
    expect(ctx.cardPresent).toBe(true);
    // "Start" and a second insertion event do nothing while the old card is there.
    h.engine.input({ type: 'START' });
    expect(h.engine.snapshot().screen).toBe('cardLeft');
    expect(viewOn(h.engine.snapshot(), 'cardLeft').abandoned).toBe(false);
    h.card.remove();
    await h.at('idle');
    // Only a card inserted now starts a session, and it is read afresh.
    h.engine.input({ type: 'START' });
    await h.at('insertCard');
    h.card.insert();
    await h.at('pin');
    expect(viewOn(h.engine.snapshot(), 'pin').triesLeft).toBe(3);
  });

  it('a card still there after the configured time: the technician is told and the screen stays', async () => {
    const clock = new ManualClock();
    h = makeEngine({ cardLeftAlertSeconds: 5 }, { clock });
    h.card.insert();
    await h.at('pin');
    h.engine.input({ type: 'CANCEL' });
    await h.at('ended');
    h.engine.input({ type: 'ACK' });
    await h.until(() => h.engine.snapshot().state === 'cardLeft.reminding', 'reminding');
    await clock.advance(4_999);
    expect(h.engine.snapshot().state).toBe('cardLeft.reminding');
    await clock.advance(1);
    expect(h.engine.snapshot().state).toBe('cardLeft.abandoned');
    expect(viewOn(h.engine.snapshot(), 'cardLeft').abandoned).toBe(true);
    const audit = h.db.prepare("SELECT category, event FROM audit_log WHERE event = 'leftBehind'").all();
    expect(audit).toEqual([{ category: 'card', event: 'leftBehind' }]);
    h.engine.input({ type: 'START' });
    expect(h.engine.snapshot().screen).toBe('cardLeft');
    h.card.remove();
    await h.at('idle');
  });
});

describe('inactivity timer follows the resident', () => {
  it('ACTIVITY (a PIN digit, never its value) clears the warning and restarts the countdown', async () => {
    const clock = new ManualClock();
    h = makeEngine({ timeouts: { default: 22, pin: 22 }, timeoutWarning: 20 }, { clock });
    h.card.insert();
    await h.at('pin');
    await clock.advance(2_000);
    expect(h.engine.snapshot().timeoutWarning).toEqual({ secondsLeft: 20 });
    h.engine.input({ type: 'ACTIVITY', kind: 'pinDigit' });
    expect(h.engine.snapshot().timeoutWarning).toBeNull();
    expect(h.engine.snapshot().state).toBe('session.pin');
    // A full new countdown: no warning until two seconds after the digit.
    await clock.advance(1_999);
    expect(h.engine.snapshot().timeoutWarning).toBeNull();
    await clock.advance(1);
    expect(h.engine.snapshot().timeoutWarning).toEqual({ secondsLeft: 20 });
  });

  it('changing the language restarts the countdown', async () => {
    const clock = new ManualClock();
    h = makeEngine({ timeouts: { default: 22 }, timeoutWarning: 20 }, { clock });
    h.engine.input({ type: 'START' });
    await h.at('insertCard');
    await clock.advance(2_000);
    expect(h.engine.snapshot().timeoutWarning).not.toBeNull();
    h.engine.setLanguage('en');
    expect(h.engine.snapshot().timeoutWarning).toBeNull();
    await clock.advance(1_999);
    expect(h.engine.snapshot().timeoutWarning).toBeNull();
  });

  it('a coin restarts the payment countdown', async () => {
    const clock = new ManualClock();
    h = makeEngine({ timeouts: { default: 60, payment: 22 }, timeoutWarning: 20 }, { clock });
    await h.toPayment();
    await clock.advance(2_000);
    expect(h.engine.snapshot().timeoutWarning).not.toBeNull();
    // The amount still due stays in the snapshot while the warning shows.
    expect(viewOn(h.engine.snapshot(), 'payment').remainingYen).toBe(200);
    h.cash.session!.coin(100);
    await h.until(() => viewOn(h.engine.snapshot(), 'payment').insertedYen === 100, 'credit');
    expect(h.engine.snapshot().timeoutWarning).toBeNull();
    await clock.advance(1_999);
    expect(h.engine.snapshot().timeoutWarning).toBeNull();
    await clock.advance(1);
    expect(h.engine.snapshot().timeoutWarning).toEqual({ secondsLeft: 20 });
    h.engine.input({ type: 'CANCEL' });
    await h.at('ended');
  });

  it('refuses a warning shorter than 20 seconds in the configuration', () => {
    expect(() => makeEngine({ timeoutWarning: 15 })).toThrow();
  });
});

describe('the printer is asked again before each copy', () => {
  it('paper gone after the first copy: the second is never started, the money comes back', async () => {
    h = makeEngine();
    await h.toPayment(2);
    const print = h.printer.printCertificate.bind(h.printer);
    h.printer.printCertificate = async (doc, copy) => {
      const r = await print(doc, copy);
      h.printer.paper = false;
      return r;
    };
    h.cash.session!.bill(1000);
    await h.until(() => h.engine.snapshot().screen === 'error', 'error');
    expect(h.printer.printed).toHaveLength(1);
    const jobs = h.db.prepare("SELECT copy_index FROM print_jobs WHERE kind = 'certificate'").all();
    expect(jobs).toEqual([{ copy_index: 1 }]);
    expect(viewOn(h.engine.snapshot(), 'error').messageKey).toBe('error.printer');
  });
});
