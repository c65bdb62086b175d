// The resident's whole transaction through the screens, on every simulator: one happy path per
// certificate type (each in another language), and a ¥1000 bill paying a ¥200 fee with change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewOn, type Language } from '../../src/contract/index.js';
import { snapshotWhere } from '../support/wait.js';
import {
  check,
  chooseOptions,
  enterPin,
  insertBill,
  insertCard,
  insertCoin,
  onScreen,
  open,
  removeCard,
  snap,
  type Harness,
} from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await open();
}, 120_000);
afterAll(() => h?.close());

const LANGUAGE_BUTTON: Record<Language, string> = {
  ja: '日本語',
  en: 'English',
  zh: '中文',
  ko: '한국어',
  'ja-easy': 'やさしい にほんご',
};
const primary = () => h.page.locator('main .actions button.primary');

/** From idle to the certificate menu, in `language`. */
async function toMenu(name: string, language: Language, cardId = 'yamada-taro', pin = '1234') {
  await onScreen(h, 'idle');
  if (language !== 'ja') {
    await h.page.getByRole('button', { name: LANGUAGE_BUTTON[language], exact: true }).click();
    await onScreen(h, 'idle', (s) => s.language === language);
  }
  await check(h, name);
  await primary().click();
  await onScreen(h, 'insertCard');
  await check(h, name);
  await insertCard(h, cardId);
  await onScreen(h, 'pin', (s) => s.view.busy === false);
  await check(h, name);
  await enterPin(h, pin);
  await onScreen(h, snap(h).screen === 'municipality' ? 'municipality' : 'certificate').catch(
    () => undefined,
  );
  await snapshotWhere(
    h.kiosk.app.core.engine,
    (s) => ['municipality', 'certificate'].includes(s.screen),
    'the certificate menu',
    20_000,
  );
}

/** From the certificate menu to the thank-you screen, paying with `pay`. */
async function issue(name: string, type: string, pay: () => Promise<void>) {
  if (snap(h).screen === 'municipality') {
    await onScreen(h, 'municipality');
    await check(h, name);
    const codes = viewOn(snap(h), 'municipality').municipalities.map((m) => m.code);
    await h.page
      .locator('main button.choice')
      .nth(codes.indexOf('012050') >= 0 ? codes.indexOf('012050') : 0)
      .click();
  }
  await onScreen(h, 'certificate');
  await check(h, name);
  const types = viewOn(snap(h), 'certificate').certificates.map((c) => c.type);
  expect(types).toContain(type);
  await h.page.locator('main button.choice').nth(types.indexOf(type)).click();
  await onScreen(h, 'options', (s) => s.view.busy === false);
  await check(h, name);
  await chooseOptions(h);
  await primary().click();
  await onScreen(h, 'confirm');
  await check(h, name);
  const fee = viewOn(snap(h), 'confirm').feeYen;
  expect(await h.page.locator('main .summary-total dd').textContent()).toMatch(String(fee));
  await primary().click();
  await onScreen(h, 'takeCard');
  await check(h, name);
  await removeCard(h);
  await onScreen(h, 'payment', (s) => s.view.accepting === true);
  await check(h, name);
  await pay();
  await onScreen(h, 'thankYou', () => true, 30_000);
  await check(h, name);
  return fee;
}

describe('happy paths through the screens', () => {
  it('issues every certificate type, each in another language', async () => {
    const languages: Language[] = ['ja', 'en', 'zh', 'ko', 'ja-easy'];
    const types = [
      'juminhyo',
      'juminhyo-kisai',
      'inkan',
      'koseki-zenbu',
      'koseki-kojin',
      'fuhyo',
      'shotoku-kazei',
    ];
    for (const [i, type] of types.entries()) {
      const language = languages[i % languages.length]!;
      await toMenu(`happy-${type}`, language);
      expect(snap(h).language).toBe(language);
      const fee = await issue(`happy-${type}`, type, () => insertCoin(h, 500));
      expect(viewOn(snap(h), 'thankYou').changeYen).toBe(500 - fee);
      await h.page.locator('main .actions button.primary').click();
      await onScreen(h, 'idle');
    }
    const tx = h.kiosk.app.core.journal.db
      .prepare("SELECT COUNT(*) AS n FROM transactions WHERE status = 'completed'")
      .get() as { n: number };
    expect(tx.n).toBe(types.length);
    expect(h.errors).toEqual([]);
  }, 240_000);

  it('pays a ¥200 fee with a ¥1000 bill and gives ¥800 change', async () => {
    await toMenu('bill', 'ja');
    const fee = await issue('bill', 'juminhyo', () => insertBill(h, 1000));
    expect(fee).toBe(200);
    expect(viewOn(snap(h), 'thankYou').changeYen).toBe(800);
    await expect(h.page.locator('main .amount-line').textContent()).resolves.toContain('800円');
    await h.page.locator('main .actions button.primary').click();
    await onScreen(h, 'idle');
  }, 90_000);
});
