// The choices real kiosks offer, through the screens on every simulator: the municipality's 利用規約
// agreed to from the keypad, a certificate outside its own hours shown disabled with them, a 住民票 of
// chosen household members picked one question at a time from the keypad, 個人番号 sent to the counter,
// and the certificate that comes out listing only the members chosen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewOn, type Snapshot } from '../../src/contract/index.js';
import type { SignedDocument } from '../../src/registry/document.js';
import {
  check,
  enterPin,
  insertCard,
  insertCoin,
  onScreen,
  open,
  removeCard,
  snap,
  type Harness,
} from './helpers.js';
import { when } from '../support/wait.js';

const TERMS = {
  ja: '取得した情報は証明書の交付にのみ使います。',
  en: 'What is read is used only to issue your certificate.',
};
// Every day but today (in Japan): the 戸籍 is closed now, whatever the day the test runs.
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const today = DAYS[new Date(Date.now() + 9 * 3600_000).getUTCDay()]!;
const kosekiHours = { days: DAYS.filter((d) => d !== today), opens: '00:00', closes: '23:59' };

let h: Harness;
beforeAll(async () => {
  h = await open({
    service: {
      terms: { required: true, text: TERMS },
      certificateHours: { 'koseki-zenbu': kosekiHours, 'koseki-kojin': kosekiHours },
    },
  });
}, 120_000);
afterAll(() => h?.close());

/** A key of the 10-key keypad, as Chromium reports it with NumLock on. */
const key = (k: string) =>
  h.page.keyboard.press(/^\d$/.test(k) ? `Numpad${k}` : k === '#' ? 'NumpadEnter' : 'NumpadMultiply');
const activeQuestion = () => h.page.locator('main fieldset.keypad-active').getAttribute('data-option');

describe('choices as real kiosks offer them', () => {
  it('agrees to the terms, finds the 戸籍 closed, and issues a 住民票 of chosen members from the keypad', async () => {
    await onScreen(h, 'idle');
    await h.page.getByRole('button', { name: 'English', exact: true }).click();
    await onScreen(h, 'idle', (s) => s.language === 'en');
    await key('0');
    await onScreen(h, 'terms');
    await expect(h.page.locator('main .terms-text').textContent()).resolves.toBe(TERMS.en);
    await check(h, 'choices');
    // A card inserted before consent is not read. The core hears of the card before this test does (its
    // listener came first), so once the reader reports it, the core has already answered it.
    const reader = h.kiosk.app.core.devices.card;
    let inserted = false;
    const seen = when(
      (l) =>
        reader.onEvent((e) => {
          if (e.type === 'cardInserted') inserted = true;
          l();
        }),
      () => inserted,
      'the reader to report the card',
    );
    await insertCard(h, 'yamada-taro');
    await seen;
    expect(snap(h).state).toBe('session.terms');
    await key('#');
    await onScreen(h, 'pin', (s) => s.view.busy === false);
    await enterPin(h, '1234');
    await onScreen(h, 'certificate');
    // The municipality with its reading; the 戸籍 listed, disabled, with its hours.
    await expect(h.page.locator('main .lead').textContent()).resolves.toContain('Muroran');
    const menu = viewOn(snap(h), 'certificate').certificates;
    const koseki = menu.findIndex((c) => c.type === 'koseki-zenbu');
    expect(menu[koseki]).toMatchObject({ available: false, hours: kosekiHours });
    const kosekiButton = h.page.locator('main button.choice').nth(koseki);
    expect(await kosekiButton.isDisabled()).toBe(true);
    await expect(kosekiButton.textContent()).resolves.toMatch(/Only .*00:00–23:59/);
    await check(h, 'choices');
    // The disabled key does nothing: the keys reach the core in the order pressed, so everything it
    // publishes until the 住民票's options stays on this menu.
    const published: Snapshot[] = [];
    const offPublished = h.kiosk.app.core.engine.subscribe((s) => published.push(s));
    await key(String(koseki + 1));
    await key(String(menu.findIndex((c) => c.type === 'juminhyo') + 1));
    await onScreen(h, 'options', (s) => s.view.busy === false);
    offPublished();
    const left = published.findIndex((s) => s.screen !== 'certificate');
    expect(published[left]?.screen).toBe('options');
    expect(viewOn(published[left]!, 'options').certificate?.type).toBe('juminhyo');
    await expect(h.page.locator('main .option-counter-only').textContent()).resolves.toContain('counter');
    // Some of the household: the four members join the page, so the keypad asks one question at a time.
    await key('2');
    await expect.poll(activeQuestion).toBe('scope');
    await key('0');
    await expect.poll(activeQuestion).toBe('members');
    const members = h.page.locator('main fieldset[data-option=members] label');
    await expect(members.allTextContents()).resolves.toEqual([
      '1山田 太郎',
      '2山田 花子',
      '3山田 一郎',
      '4山田 さくら',
    ]);
    await key('2');
    await key('0');
    await expect.poll(activeQuestion).toBe('showHouseholder');
    await key('2');
    await key('0');
    await expect.poll(activeQuestion).toBe('showHonseki');
    await key('2');
    await check(h, 'choices');
    await key('0');
    await onScreen(h, 'confirm');
    const order = viewOn(snap(h), 'confirm');
    expect(order.options).toEqual({
      scope: 'members',
      members: [expect.any(String)],
      showHouseholder: false,
      showHonseki: false,
    });
    await expect(h.page.locator('main .summary').textContent()).resolves.toContain('山田 花子');
    await expect(h.page.locator('main .summary').textContent()).resolves.not.toContain('山田 太郎');
    await check(h, 'choices');
    await key('#');
    await onScreen(h, 'takeCard');
    await removeCard(h);
    await onScreen(h, 'payment', (s) => s.view.accepting === true);
    await insertCoin(h, 500);
    await onScreen(h, 'thankYou', () => true, 30_000);
    // The registry certified only the member chosen, without householder or relationship.
    const row = h.kiosk.app.core.devices
      .embeddedRegistry!.simulator.db.prepare(
        'SELECT document FROM issuances ORDER BY created_at DESC LIMIT 1',
      )
      .get() as { document: string };
    const body = (JSON.parse(row.document) as SignedDocument).body;
    expect(body).toMatchObject({ kind: 'juminhyo', scope: 'members' });
    if (body.kind !== 'juminhyo') throw new Error('not a 住民票');
    expect(body.members.map((m) => [m.name, m.relationship])).toEqual([['山田 花子', undefined]]);
    expect(h.errors).toEqual([]);
  }, 120_000);
});
