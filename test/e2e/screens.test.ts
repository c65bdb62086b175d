// Every screen of the machine, in every language and in the large-text and high-contrast modes,
// drawn from snapshots served by a stand-in host (the same envelopes as the browser host), so the
// short-lived screens (reading the card, printing, …) are checked as thoroughly as the rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { LANGUAGES, type Language, type ScreenId, type Snapshot } from '../../src/contract/index.js';
import { launchChromium } from '../support/browser.js';
import { check, type Harness } from './helpers.js';
import { FakeHost, UI, VIEWS, certificate } from './stand-in-host.js';

let browser: Browser;
let host: FakeHost;
let page: Page;
let h: Harness;
beforeAll(async () => {
  host = new FakeHost();
  const [b, url] = await Promise.all([launchChromium(), host.start()]);
  browser = b;
  page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await page.goto(url);
  await page.locator('.kiosk').waitFor();
  // check() reads the core's snapshot; here the stand-in host holds it.
  h = {
    browser,
    page,
    console: [],
    errors: [],
    kiosk: { app: { core: { snapshot: () => host.current } } } as unknown as Harness['kiosk'],
    close: async () => {},
  };
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

async function shows(
  screen: ScreenId,
  view: Record<string, unknown>,
  language: Language,
  warning: Snapshot['timeoutWarning'] = null,
) {
  host.show(screen, view, language, warning);
  const seq = host.seq;
  await page.waitForFunction((seq) => (window.__madoguchiRendered?.seq ?? 0) >= seq, seq);
}

describe('every screen', () => {
  for (const language of LANGUAGES) {
    it(`draws every screen in ${language} with no axe violations and its voice clip`, async () => {
      for (const [screen, view] of VIEWS) {
        await shows(screen, view, language);
        expect(await page.locator('.kiosk').getAttribute('data-screen')).toBe(screen);
        if (language === 'ja-easy' && screen === 'idle')
          expect(await page.locator('main h1 ruby rt').first().textContent()).toBe('しょうめいしょ');
        if (language === 'en' && screen === 'idle')
          expect(await page.locator('main h1').textContent()).toBe('Certificates');
        await check(h, `screens-${language}`, { axe: true });
      }
    }, 240_000);
  }

  it('every screen in large text and high contrast passes axe', async () => {
    // The tests before leave the page in the last language of the loop (やさしい日本語): back to 日本語.
    await shows('idle', {}, 'ja');
    await page.getByRole('button', { name: '文字を大きく' }).click();
    await page.getByRole('button', { name: '白黒反転' }).click();
    expect(await page.evaluate(() => document.documentElement.className)).toMatch(
      /large-text.*high-contrast|high-contrast.*large-text/,
    );
    for (const [screen, view] of VIEWS.filter(([s]) => s !== 'idle')) {
      await shows(screen, view, 'ja');
      await check(h, 'screens-contrast', { axe: true, layout: false });
    }
  }, 240_000);

  it('the timeout warning counts down and "continue" sends EXTEND', async () => {
    await shows('payment', VIEWS.find(([s]) => s === 'payment')![1], 'en', { secondsLeft: 9 });
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain('9 seconds');
    // The amount still due stays in sight, and the warning chimes and speaks.
    await expect(dialog.locator('.amount-line').textContent()).resolves.toContain('300');
    await expect
      .poll(() => page.evaluate(() => (window.__madoguchiVoice ?? []).map((v) => v.clip)))
      .toEqual(expect.arrayContaining(['chime', 'timeout']));
    await check(h, 'screens-timeout', { axe: true });
    await dialog.getByRole('button', { name: 'Continue' }).click();
    expect(host.inputs.at(-1)).toEqual({ type: 'EXTEND' });
  });

  it('mute: the clip is still requested but not played; "M" toggles it', async () => {
    await shows('idle', {}, 'ko');
    await page.keyboard.press('M');
    await shows('insertCard', { phoneAccepted: false }, 'ko');
    const last = await page.evaluate(() => window.__madoguchiVoice!.at(-1));
    expect(last).toMatchObject({ language: 'ko', clip: 'insertCard', muted: true });
    await page.keyboard.press('M');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => window.__madoguchiVoice!.at(-1))).toMatchObject({
      clip: 'insertCard',
      muted: false,
    });
  });

  it('options: nothing privacy-related is preselected; every choice is reachable from the keypad, NumLock on or off', async () => {
    await shows('options', { certificate, options: {}, copies: 1, busy: false }, 'ja');
    const next = page.locator('main .actions button.primary');
    expect(await page.locator('main input:checked').count()).toBe(0);
    expect(await next.isDisabled()).toBe(true);
    await expect(page.locator('.keypad-legend').textContent()).resolves.toContain('1〜9');
    // 個人番号 is not offered: it says to ask at the counter.
    await expect(page.locator('main .option-counter-only').textContent()).resolves.toContain('窓口');
    // NumLock off: the keypad's 2, 4, 6, 8 arrive as arrows, with their Numpad codes.
    const press = (key: string, code: string) =>
      page.evaluate(
        ([key, code]) => window.dispatchEvent(new KeyboardEvent('keydown', { key, code, cancelable: true })),
        [key, code],
      );
    const active = () => page.locator('main fieldset.keypad-active').getAttribute('data-option');
    // Six choices on the page: numbered 1–6 at once. 1 is the whole household.
    await press('End', 'Numpad1');
    await press('ArrowLeft', 'Numpad4');
    await press('ArrowRight', 'Numpad6');
    expect(await page.locator('#opt-scope-household').isChecked()).toBe(true);
    expect(await next.isDisabled()).toBe(false);
    // 2 is "some of the household": the four members join the page, ten choices, so the keypad
    // goes one question at a time; 0 moves on, * goes back.
    await press('ArrowDown', 'Numpad2');
    await expect
      .poll(() => page.locator('main fieldset[data-option=members] input[type=checkbox]').count())
      .toBe(4);
    expect(await next.isDisabled()).toBe(true);
    await expect.poll(active).toBe('scope');
    await press('Insert', 'Numpad0');
    await expect.poll(active).toBe('members');
    await press('ArrowDown', 'Numpad2');
    await press('PageDown', 'Numpad3');
    await press('PageDown', 'Numpad3');
    await press('ArrowLeft', 'Numpad4');
    expect(await page.locator('#opt-members-P2').isChecked()).toBe(true);
    expect(await page.locator('#opt-members-P3').isChecked()).toBe(false);
    await press('*', 'NumpadMultiply');
    await expect.poll(active).toBe('scope');
    await press('Insert', 'Numpad0');
    await press('Insert', 'Numpad0');
    await expect.poll(active).toBe('showHouseholder');
    expect(await page.locator('#opt-showHouseholder-true').isChecked()).toBe(false);
    await press('Insert', 'Numpad0');
    expect(await next.isDisabled()).toBe(false);
    await press('+', 'NumpadAdd');
    // On the last question 0 is "next": the choices go to the core.
    await press('Insert', 'Numpad0');
    await expect
      .poll(() => host.inputs.at(-1))
      .toEqual({
        type: 'SET_OPTIONS',
        options: { scope: 'members', members: ['P2', 'P4'], showHouseholder: false, showHonseki: false },
        copies: 2,
      });
    // "*" is back, from the first question of a fresh options screen.
    await shows('idle', {}, 'en');
    await shows('options', { certificate, options: {}, copies: 1, busy: false }, 'en');
    await press('*', 'NumpadMultiply');
    await expect.poll(() => host.inputs.at(-1)).toEqual({ type: 'BACK' });
  });

  it('the shuffled PIN pad shows each digit once, and the demo panel only when demo is on', async () => {
    await shows(
      'pin',
      { triesLeft: 3, cardType: 'mynumber', form: 'card', spentWhileAway: false, busy: false },
      'ja',
    );
    const digits = await page.locator('.pin-pad button').allTextContents();
    expect(digits.slice(0, 10).map(Number).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await page.locator('.demo-panel').count()).toBe(1);
    host.current = { ...host.current, demo: false, seq: ++host.seq };
    for (const ws of host.sockets)
      ws.send(JSON.stringify({ kind: 'event', event: { type: 'snapshot', snapshot: host.current } }));
    await page.locator('.demo-panel').waitFor({ state: 'detached' });
  });

  it("the pictures follow this kiosk's layout: the openings of the step drawn where they are, and said in words", async () => {
    const standard = UI.layout;
    const place = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('.where-list div')].map((d) =>
          [...d.children].map((c) => c.textContent!.trim()).join(' '),
        ),
      );
    /** The centre of each highlighted opening, in the picture's own coordinates (viewBox 320 × 140). */
    const openings = () =>
      page.evaluate(() =>
        [...document.querySelectorAll<SVGRectElement>('.where svg .ill-active')].map((r) => [
          r.x.baseVal.value + r.width.baseVal.value / 2,
          r.y.baseVal.value + r.height.baseVal.value / 2,
        ]),
      );
    try {
      await shows('thankYou', { changeYen: 0, shortYen: 0, failure: null }, 'ja');
      expect(await place()).toEqual(['証明書の取り出し口 画面の真下', '領収書の取り出し口 画面の左下']);
      // Another cabinet: certificate at the lower left, receipt and card on the left of the screen.
      UI.layout = { ...standard, certificateOutlet: 'lowerLeft', receiptOutlet: 'left', cardSlot: 'left' };
      await page.reload();
      await page.locator('.kiosk').waitFor();
      await shows('thankYou', { changeYen: 0, shortYen: 0, failure: null }, 'en');
      expect(await place()).toEqual([
        'Certificate outlet below the screen, on the left',
        'Receipt outlet left of the screen',
      ]);
      const [cert, receipt] = await openings();
      expect(cert![0]).toBeLessThan(140);
      expect(cert![1]).toBeGreaterThan(70);
      expect(receipt![0]).toBeLessThan(100);
      expect(receipt![1]).toBeLessThan(70);
      await shows('insertCard', { phoneAccepted: false }, 'en');
      expect(await place()).toEqual(['Card slot left of the screen']);
      await check(h, 'screens-layout', { axe: true });
    } finally {
      UI.layout = standard;
      await page.reload();
      await page.locator('.kiosk').waitFor();
    }
  });
});
