import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startTestKiosk } from '../support/kiosk.js';

let browser: Browser;
let kiosk: Awaited<ReturnType<typeof startTestKiosk>>;
beforeAll(async () => {
  [browser, kiosk] = await Promise.all([launchChromium(), startTestKiosk()]);
});
afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
});

describe('renderer through the browser host', () => {
  it('shows the idle screen in Japanese, then in English after switching', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(kiosk.host.url);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('証明書の交付');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ja');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Certificates' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(kiosk.app.core.snapshot().language).toBe('en');
    expect(errors).toEqual([]);
  });

  it('without the token the page cannot reach the core', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${kiosk.host.port}/`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/cannot reach/);
  });
});
