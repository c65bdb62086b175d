// A resident with the JPKI certificate in a phone, through the screens: the insert screen offers the
// contactless reader, the phone stays on it through the PIN, may leave once authenticated, and a
// phone lifted too early gets its own retry screen in every language.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { viewOn, type Language } from '../../src/contract/index.js';
import {
  check,
  chooseOptions,
  enterPin,
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
  h = await open();
}, 120_000);
afterAll(() => h?.close());
afterEach(async () => {
  await resetToIdle(h);
});

const primary = () => h.page.locator('main .actions button.primary');
const LANGUAGE_BUTTON: Record<Language, string> = {
  ja: '日本語',
  en: 'English',
  zh: '中文',
  ko: '한국어',
  'ja-easy': 'やさしい にほんご',
};

describe('phone (スマホ用電子証明書)', () => {
  it('issues a 印鑑登録証明書 to a resident who holds an Android phone on the reader', async () => {
    await onScreen(h, 'idle');
    await primary().click();
    await onScreen(h, 'insertCard', (s) => s.view.phoneAccepted);
    await expect
      .poll(() => h.page.locator('h1').textContent())
      .toBe('カードを差し込むか、スマートフォンをかざしてください');
    await expect.poll(() => h.page.locator('main .token-way').count()).toBe(2);
    await check(h, 'phone-insert');
    await insertCard(h, 'phone-android');
    await onScreen(h, 'pin', (s) => s.view.form === 'phone' && s.view.busy === false);
    await expect(h.page.locator('main .keep-phone').textContent()).resolves.toContain('置いたまま');
    await check(h, 'phone-pin');
    await enterPin(h, '3141');
    await onScreen(h, 'certificate');
    // Authenticated: the screen says the phone may leave, and leaving it does not end the session.
    await expect(h.page.locator('main .phone-may-leave').textContent()).resolves.toContain('離して');
    await check(h, 'phone-certificate');
    await removeCard(h);
    await onScreen(h, 'certificate', (s) => s.view.phoneOnReader === false);
    // The snapshot arrives before React redraws: wait for the note to go.
    await expect.poll(() => h.page.locator('main .phone-may-leave').count()).toBe(0);
    const types = viewOn(snap(h), 'certificate').certificates.map((c) => c.type);
    // 印鑑登録証明書: no options to choose, so this test follows the phone, not the options screen.
    await h.page.locator('main button.choice').nth(types.indexOf('inkan')).click();
    await onScreen(h, 'options', (s) => s.view.busy === false);
    await chooseOptions(h);
    await primary().click();
    await onScreen(h, 'confirm');
    const fee = viewOn(snap(h), 'confirm').feeYen;
    await primary().click();
    // The phone is already away: straight on to payment.
    await onScreen(h, 'payment', (s) => s.view.accepting === true, 30_000);
    await insertCoin(h, 500);
    await onScreen(h, 'thankYou', () => true, 30_000);
    expect(viewOn(snap(h), 'thankYou').changeYen).toBe(500 - fee);
    await primary().click();
    await onScreen(h, 'idle');
  }, 120_000);

  it('a phone lifted before authentication gets a retry screen in every language; holding it again goes on', async () => {
    for (const language of ['ja', 'en', 'zh', 'ko', 'ja-easy'] as Language[]) {
      await onScreen(h, 'idle');
      await h.page.getByRole('button', { name: LANGUAGE_BUTTON[language], exact: true }).click();
      await onScreen(h, 'idle', (s) => s.language === language);
      await primary().click();
      await onScreen(h, 'insertCard');
      await insertCard(h, 'phone-iphone');
      await onScreen(h, 'pin', (s) => s.view.form === 'phone' && s.view.busy === false);
      await removeCard(h);
      await onScreen(h, 'phoneAway');
      // The snapshot arrives before React redraws: wait for the heading in this language, then the picture.
      const heading = (
        JSON.parse(readFileSync(`renderer/src/locales/${language}.json`, 'utf8')) as Record<string, string>
      )['phoneAway.heading'];
      await expect.poll(() => h.page.locator('h1').textContent()).toBe(heading);
      await expect.poll(() => h.page.locator('main svg.ill-phone').count()).toBe(1);
      await check(h, `phone-away-${language}`);
      await insertCard(h, 'phone-iphone');
      await onScreen(
        h,
        'pin',
        (s) => s.view.form === 'phone' && s.view.busy === false && s.view.spentWhileAway === false,
      );
      await h.page
        .locator('main .actions button')
        .first()
        .click()
        .catch(() => undefined);
      await resetToIdle(h);
    }
    // back to Japanese for the next test
    await h.page.getByRole('button', { name: LANGUAGE_BUTTON.ja, exact: true }).click();
    await onScreen(h, 'idle', (s) => s.language === 'ja');
  }, 180_000);
});
