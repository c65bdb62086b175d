// The card's certificate is judged by the registry (JPKI CA, validity, CRL) before the PIN: a revoked
// one is refused with the procedure to do at the counter, and no PIN try is asked for or spent.
import { afterEach, describe, expect, it } from 'vitest';
import { viewOn } from '../../src/contract/index.js';
import { RegistryError } from '../../src/registry/errors.js';
import { makeEngine } from './harness.js';

let h: ReturnType<typeof makeEngine>;
afterEach(() => h?.engine.stop());

const errorShown = () =>
  h.until(
    () => h.engine.snapshot().screen === 'error' && !viewOn(h.engine.snapshot(), 'error').busy,
    'error',
  );

describe('certificate status before the PIN', () => {
  it('a good certificate goes on to the PIN, checked once', async () => {
    h = makeEngine();
    h.card.insert();
    await h.at('pin');
    expect(h.registry.certificateChecks).toBe(1);
  });

  it.each([
    ['revoked', 'error.certificateRevoked'],
    ['expired', 'error.certificateExpired'],
    ['untrusted', 'error.certificateInvalid'],
  ] as const)('%s: refused before the PIN with %s, no try spent', async (status, messageKey) => {
    h = makeEngine();
    h.registry.certificate = status;
    h.card.insert();
    await errorShown();
    expect(viewOn(h.engine.snapshot(), 'error').messageKey).toBe(messageKey);
    expect(h.card.calls).not.toContain('verify');
    expect(h.card.tries).toBe(3);
    const tx = h.db.prepare('SELECT status FROM transactions').get() as { status: string };
    expect(tx.status).toBe('failed');
  });

  it('registry unreachable: the session stops before the PIN with the registry message', async () => {
    h = makeEngine();
    h.registry.certificate = new RegistryError('unreachable', 'registry unreachable (ECONNREFUSED)');
    h.card.insert();
    await errorShown();
    expect(viewOn(h.engine.snapshot(), 'error').messageKey).toBe('error.registry');
    expect(h.card.calls).not.toContain('verify');
  });

  it('a phone shows its certificate after the PIN: checked then, before anything is signed', async () => {
    h = makeEngine();
    h.card.cardType = 'android';
    h.registry.certificate = 'revoked';
    h.card.insert();
    await h.at('pin');
    expect(h.registry.certificateChecks).toBe(0);
    h.engine.input({ type: 'PIN_SUBMIT', pin: '1234' });
    await errorShown();
    expect(viewOn(h.engine.snapshot(), 'error').messageKey).toBe('error.certificateRevoked');
    expect(h.registry.certificateChecks).toBe(1);
    expect(h.card.calls).not.toContain('sign');
  });
});
