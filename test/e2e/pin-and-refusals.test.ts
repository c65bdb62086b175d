// PIN entry (on-screen pad and keyboard), the PIN's privacy in the page, a blocked PIN, a
// 支援措置 refusal that says only "ask at the counter", the card pulled during PIN entry, and a revoked
// certificate refused from the card before the PIN.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  check,
  chooseOptions,
  enterPin,
  resetToIdle,
  insertCard,
  onScreen,
  open,
  pinTraces,
  removeCard,
  snap,
  type Harness,
} from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await open();
}, 120_000);
afterAll(() => h?.close());
afterEach(async () => {
  await resetToIdle(h);
});

const primary = () => h.page.locator('main .actions button.primary');
async function start(cardId: string, name: string) {
  await onScreen(h, 'idle');
  await primary().click();
  await onScreen(h, 'insertCard');
  await insertCard(h, cardId);
  await onScreen(h, 'pin', (s) => s.view.busy === false);
  await check(h, name);
}
async function finish(name: string) {
  if ((snap(h).view as { cardPresent?: boolean }).cardPresent) await removeCard(h);
  await onScreen(
    h,
    snap(h).screen,
    (s) => !(s.view as { busy?: boolean }).busy && !(s.view as { cardPresent?: boolean }).cardPresent,
  );
  await check(h, name);
  await primary().click();
  await onScreen(h, 'idle');
}

describe('PIN', () => {
  it('a wrong PIN shows the tries left, then the right PIN typed on the keyboard goes on; the PIN leaves no trace', async () => {
    await start('yamada-taro', 'pin-wrong');
    await expect(h.page.locator('main .tries').textContent()).resolves.toContain('3');
    await enterPin(h, '9876');
    await onScreen(h, 'pin', (s) => s.view.triesLeft === 2 && s.view.busy === false);
    // Announced: an alert with the tries left, and the spoken message.
    await expect.poll(() => h.page.locator('main [role="alert"]').textContent()).toContain('2');
    expect(await h.page.evaluate(() => (window.__madoguchiVoice ?? []).map((v) => v.clip))).toContain(
      'pinWrong',
    );
    expect(await h.page.locator('.pin-mask.filled').count()).toBe(0);
    expect(await pinTraces(h, '9876')).toEqual([]);
    await check(h, 'pin-wrong');

    // The numeric keypad / keyboard: digits, a correction, Enter.
    await h.page.locator('#screen-heading').focus();
    for (const key of ['1', '2', '3', '9', 'Backspace']) await h.page.keyboard.press(key);
    // The keypad with NumLock off reports "ArrowLeft" for its 4 key; the code still says Numpad4.
    await h.page.evaluate(() =>
      window.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'ArrowLeft', code: 'Numpad4', cancelable: true }),
      ),
    );
    expect(await h.page.locator('.pin-mask.filled').count()).toBe(4);
    // Masked while typing: the digits are only in the pad's ref, never in the DOM or its attributes.
    expect((await pinTraces(h, '1234')).filter((w) => !w.startsWith('react'))).toEqual([]);
    await h.page.keyboard.press('Enter');
    await onScreen(h, 'certificate');
    expect(await pinTraces(h, '1234')).toEqual([]);
    expect(await pinTraces(h, '9876')).toEqual([]);
    await check(h, 'pin-wrong');

    // Keyboard operation goes on: "." cancels.
    await h.page.keyboard.press('.');
    await onScreen(h, 'cancelled');
    await finish('pin-wrong');
  }, 90_000);

  it('a blocked PIN ends at the counter with how to reset it', async () => {
    await onScreen(h, 'idle');
    await primary().click();
    await onScreen(h, 'insertCard');
    await insertCard(h, 'blocked-pin');
    await onScreen(h, 'refused', (s) => s.view.reason === 'pinBlocked');
    await expect(h.page.locator('h1').textContent()).resolves.toBe('暗証番号がロックされています');
    await check(h, 'pin-blocked');
    await finish('pin-blocked');
  }, 60_000);

  it('the card pulled during PIN entry cancels and forgets the digits typed', async () => {
    await start('yamada-taro', 'pin-pulled');
    for (const d of ['5', '8'])
      await h.page.locator('.pin-pad').getByRole('button', { name: d, exact: true }).click();
    await removeCard(h);
    await onScreen(h, 'cancelled', (s) => s.view.ending === 'removed' && s.view.busy === false);
    await expect(h.page.locator('h1').textContent()).resolves.toBe('カードが抜かれたため中止しました');
    expect(await h.page.locator('.pin-mask').count()).toBe(0);
    await check(h, 'pin-pulled');
    await primary().click();
    await onScreen(h, 'idle');
  }, 60_000);
});

describe('refusals', () => {
  it('支援措置: only "please ask at the counter", never a reason', async () => {
    await start('shien-sochi', 'shien-sochi');
    await enterPin(h, '2468');
    await onScreen(h, 'certificate');
    await h.page.locator('main button.choice').first().click();
    await onScreen(h, 'options', (s) => s.view.busy === false);
    await chooseOptions(h);
    await primary().click();
    // The registry refuses at the eligibility check, before anything is confirmed or paid.
    await onScreen(h, 'refused', (s) => s.view.reason === 'counter');
    const text = await h.page.locator('main').innerText();
    expect(await h.page.locator('h1').textContent()).toBe('窓口でおたずねください');
    expect(text).toContain('窓口でおたずねください');
    for (const word of ['支援', '措置', 'DV', 'ストーカー', '理由', 'reason', 'reference', '参照'])
      expect(text).not.toContain(word);
    expect(JSON.stringify(snap(h).view)).not.toMatch(/shien|reference/i);
    await check(h, 'shien-sochi');
    await finish('shien-sochi');
  }, 90_000);

  it('a revoked certificate is refused from the card, before the PIN, naming 電子証明書の再発行', async () => {
    await onScreen(h, 'idle');
    await primary().click();
    await onScreen(h, 'insertCard');
    await insertCard(h, 'revoked');
    await onScreen(h, 'error', (s) => !s.view.busy, 20_000);
    expect(snap(h).view).toMatchObject({ messageKey: 'error.certificateRevoked', refundedYen: 0 });
    const text = await h.page.locator('main').innerText();
    expect(text).toContain('電子証明書の再発行');
    expect(text).toContain('暗証番号は使っていません');
    // The card was never asked for its PIN: no PIN screen, no verification journaled.
    expect(await h.page.locator('.pin-pad').count()).toBe(0);
    const db = h.kiosk.app.core.journal.db;
    const tx = db.prepare('SELECT id FROM transactions ORDER BY started_at DESC LIMIT 1').get() as {
      id: string;
    };
    expect(db.prepare('SELECT step FROM steps WHERE tx_id = ?').all(tx.id)).not.toContainEqual({
      step: 'card.verifyPin',
    });
    await check(h, 'revoked');
    await finish('revoked');
  }, 60_000);
});
