// The inactivity timeout (warning with countdown, "continue", then back to idle) and the
// certificate printer out of paper while the resident pays: the payment stops and the money comes back.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  check,
  chooseOptions,
  enterPin,
  fault,
  insertCard,
  insertCoin,
  onScreen,
  open,
  removeCard,
  resetToIdle,
  snap,
  type Harness,
} from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await open({
    ui: { timeouts: { default: 60, insertCard: 23, pin: 60, payment: 120 }, timeoutWarning: 20 },
  });
}, 120_000);
afterAll(() => h?.close());
afterEach(() => resetToIdle(h));

const primary = () => h.page.locator('main .actions button.primary');

describe('inactivity', () => {
  it('warns with a countdown, extends on "continue", then times out back to idle', async () => {
    await onScreen(h, 'idle');
    await primary().click();
    await onScreen(h, 'insertCard');
    const dialog = h.page.locator('dialog.timeout-warning');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    await onScreen(h, 'insertCard', (s) => s.timeoutWarning !== null);
    const first = Number(await dialog.locator('.countdown').textContent());
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(20);
    await expect
      .poll(async () => Number(await dialog.locator('.countdown').textContent()), { timeout: 3000 })
      .toBeLessThan(first);
    await check(h, 'timeout', { axe: true });
    await dialog.getByRole('button').click();
    await dialog.waitFor({ state: 'hidden' });
    expect(snap(h).timeoutWarning).toBeNull();
    expect(snap(h).screen).toBe('insertCard');

    // Left alone this time: the warning again, then the session ends and the kiosk returns to idle.
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    await onScreen(h, 'cancelled', (s) => s.view.ending === 'timeout' && !s.view.busy, 25_000);
    await check(h, 'timeout');
    await onScreen(h, 'idle', () => true, 20_000);
    await check(h, 'timeout');
  }, 90_000);
});

describe('printer faults', () => {
  it('paper out during payment: the acceptors stop at once and the coin inserted comes back', async () => {
    await onScreen(h, 'idle');
    await primary().click();
    await onScreen(h, 'insertCard');
    await insertCard(h, 'yamada-taro');
    await onScreen(h, 'pin', (s) => s.view.busy === false);
    await enterPin(h, '1234');
    await onScreen(h, 'certificate');
    await h.page.locator('main button.choice').first().click();
    await onScreen(h, 'options', (s) => s.view.busy === false);
    await chooseOptions(h);
    await primary().click();
    await onScreen(h, 'confirm');
    await primary().click();
    await onScreen(h, 'takeCard');
    await removeCard(h);
    await onScreen(h, 'payment', (s) => s.view.accepting === true);
    await insertCoin(h, 100);
    await onScreen(h, 'payment', (s) => s.view.insertedYen === 100);
    await check(h, 'paper-out');
    // Paper out with part of the fee in: the payment stops at the printer's next check, not once the
    // rest of the fee is in, and the coin comes back.
    await fault(h, 'certificatePrinter:paperOut');
    await onScreen(h, 'error', (s) => !s.view.busy, 30_000);
    expect(snap(h).view).toMatchObject({ messageKey: 'error.printer', refundedYen: 100 });
    const text = await h.page.locator('main').innerText();
    expect(text).toContain('印刷できませんでした');
    expect(text).toContain('100円');
    await check(h, 'paper-out');
    const tx = h.kiosk.app.core.journal.db
      .prepare('SELECT id, status FROM transactions ORDER BY started_at DESC LIMIT 1')
      .get() as { id: string; status: string };
    expect(h.kiosk.app.core.journal.cashBalance(tx.id)).toMatchObject({ netYen: 0 });

    // The kiosk then stops taking residents until the paper is back.
    await primary().click();
    await onScreen(h, 'outOfService', () => true, 15_000);
    await check(h, 'paper-out');
    await fault(h, 'certificatePrinter:paperOk');
    await onScreen(h, 'idle', () => true, 15_000);
  }, 120_000);
});
