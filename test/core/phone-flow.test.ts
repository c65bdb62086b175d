// The phone path through the transaction chart: the certificate is read after the PIN, a phone
// taken away before authentication gets its own retry state, and a PIN try spent meanwhile is told.
import { afterEach, describe, expect, it } from 'vitest';
import { makeEngine } from './harness.js';

let h: ReturnType<typeof makeEngine>;
afterEach(() => h?.engine.stop());

describe('a resident with the JPKI certificate in a phone', () => {
  it('holds the phone, enters its PIN, and may take it away once authenticated', async () => {
    h = makeEngine();
    h.card.cardType = 'android';
    h.engine.input({ type: 'START' });
    await h.at('insertCard');
    h.card.insert();
    await h.at('pin');
    // The phone guards its certificate: nothing read before the PIN.
    expect(h.card.calls).toEqual(['identify']);
    expect(h.engine.machineSnapshot().context).toMatchObject({
      tokenForm: 'phone',
      certificate: null,
      cardType: 'android',
    });
    h.engine.input({ type: 'PIN_SUBMIT', pin: '1234' });
    await h.at('certificate');
    expect(h.card.calls).toEqual(['identify', 'verify', 'read', 'sign']);
    const steps = h.journal
      .steps(h.engine.machineSnapshot().context.txId!)
      .map((s) => `${s.step}:${s.phase}`);
    expect(steps.indexOf('card.readCertificate:intent')).toBeGreaterThan(
      steps.indexOf('card.verifyPin:done'),
    );
    expect(steps.indexOf('card.sign:intent')).toBeGreaterThan(steps.indexOf('card.readCertificate:done'));
    // Taking the phone away now does not end the session.
    h.card.remove();
    await h.until(() => !h.engine.machineSnapshot().context.cardPresent, 'phone away');
    expect(h.engine.snapshot().state).toBe('session.certificate');
    h.engine.input({ type: 'SELECT_CERTIFICATE', certificate: 'juminhyo' });
    await h.at('options');
  });

  it('a phone taken away at the PIN screen gets a retry state, and coming back reads it afresh', async () => {
    h = makeEngine();
    h.card.cardType = 'iphone';
    h.card.insert();
    await h.at('pin');
    h.card.remove();
    await h.at('phoneAway');
    expect(h.engine.machineSnapshot().context.pinSpentWhileAway).toBe(false);
    h.card.insert();
    await h.at('pin');
    expect(h.engine.machineSnapshot().context.pinSpentWhileAway).toBe(false);
    h.engine.input({ type: 'PIN_SUBMIT', pin: '1234' });
    await h.at('certificate');
  });

  it('a try spent while the phone was away is told on the PIN screen, never hidden', async () => {
    h = makeEngine();
    h.card.cardType = 'android';
    h.card.insert();
    await h.at('pin');
    expect(h.engine.machineSnapshot().context.triesLeft).toBe(3);
    // The phone leaves during the check of a wrong PIN: the card counted the try.
    const verify = h.card.verifyAuthPin.bind(h.card);
    h.card.verifyAuthPin = async (pin: string) => {
      const r = await verify(pin);
      h.card.remove();
      return r;
    };
    h.engine.input({ type: 'PIN_SUBMIT', pin: '0000' });
    await h.at('phoneAway');
    h.card.verifyAuthPin = verify;
    h.card.insert();
    await h.at('pin');
    expect(h.engine.machineSnapshot().context).toMatchObject({ triesLeft: 2, pinSpentWhileAway: true });
    h.engine.input({ type: 'PIN_SUBMIT', pin: '1234' });
    await h.at('certificate');
    expect(h.engine.machineSnapshot().context.pinSpentWhileAway).toBe(false);
  });

  it('a card taken out before authentication still cancels the session', async () => {
    h = makeEngine();
    h.card.insert();
    await h.at('pin');
    h.card.remove();
    await h.until(
      () => ['session.cancelling', 'session.unwinding', 'session.ended'].includes(h.engine.snapshot().state),
      'cancelled',
    );
  });
});
