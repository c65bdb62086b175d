// Every screen fits its kiosk panel: five languages × normal and large text × landscape full HD,
// 5:4 and portrait full HD. Nothing scrolls, the main actions (and the PIN keys) are wholly on
// screen, and in portrait the language and display controls sit in the lower, reachable half.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { LANGUAGES, type ScreenId } from '../../src/contract/index.js';
import { launchChromium } from '../support/browser.js';
import { FakeHost, VIEWS } from './stand-in-host.js';

const VIEWPORTS = [
  { width: 1920, height: 1080 },
  { width: 1280, height: 1024 },
  { width: 1080, height: 1920 },
];

let browser: Browser;
let host: FakeHost;
beforeAll(async () => {
  host = new FakeHost();
  host.demo = false;
  const [b] = await Promise.all([launchChromium(), host.start()]);
  browser = b;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

/** What does not fit on the page now showing, described for the failure message. */
function problems(page: Page, portrait: boolean): Promise<string[]> {
  return page.evaluate((portrait) => {
    const out: string[] = [];
    const doc = document.scrollingElement!;
    const w = window.innerWidth;
    const h = window.innerHeight;
    if (doc.scrollHeight > h + 1) out.push(`scrolls ${doc.scrollHeight - h}px down`);
    if (doc.scrollWidth > w + 1) out.push(`scrolls ${doc.scrollWidth - w}px across`);
    for (const el of document.querySelectorAll<HTMLElement>(
      'main .actions button, .pin-pad button, main button.choice',
    )) {
      const r = el.getBoundingClientRect();
      if (r.top < 0 || r.left < 0 || r.bottom > h + 1 || r.right > w + 1)
        out.push(
          `"${el.textContent?.trim().slice(0, 20)}" outside (${Math.round(r.left)},${Math.round(r.top)})–(${Math.round(r.right)},${Math.round(r.bottom)})`,
        );
    }
    if (portrait) {
      for (const el of document.querySelectorAll<HTMLElement>('.language-switch button, .toolbar button')) {
        if (el.getBoundingClientRect().top < h / 2)
          out.push(`"${el.textContent?.trim()}" above the reachable half`);
      }
    }
    return out;
  }, portrait);
}

describe('layouts', () => {
  for (const viewport of VIEWPORTS) {
    it(`every screen fits ${viewport.width}×${viewport.height} in five languages, normal and large text`, async () => {
      const page = await (await browser.newContext({ viewport })).newPage();
      await page.goto(host.url);
      await page.locator('.kiosk').waitFor();
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const failures: string[] = [];
      for (const large of [false, true]) {
        await page.evaluate((large) => document.documentElement.classList.toggle('large-text', large), large);
        for (const language of LANGUAGES) {
          for (const [screen, view] of VIEWS.filter(([s]) => s !== 'technician')) {
            host.show(screen as ScreenId, view, language);
            await page.waitForFunction((seq) => (window.__madoguchiRendered?.seq ?? 0) >= seq, host.seq);
            // Idle resets the display mode for the next resident: set it again.
            await page.evaluate(
              (large) => document.documentElement.classList.toggle('large-text', large),
              large,
            );
            for (const p of await problems(page, viewport.height > viewport.width))
              failures.push(`${screen} ${language}${large ? ' large' : ''}: ${p}`);
          }
        }
      }
      await page.close();
      expect(failures).toEqual([]);
    }, 300_000);
  }
});
