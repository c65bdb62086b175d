// The core goes away under the page (a restart): the page drops the last screen at once and shows the
// reconnecting, out-of-service screen; a core started again with the same session secret (what
// `madoguchi start` keeps in its runtime directory) gets the page back with the browser's cookie.
import { afterAll, describe, expect, it } from 'vitest';
import { open, type Harness } from './helpers.js';
import { startTestKiosk } from '../support/kiosk.js';
import { startBrowserHost, type BrowserHost } from '../../src/host/browser-host.js';
import { silentLogger } from '../../src/log/logger.js';

let h: Harness | null = null;
let again: { stop(): Promise<void> } | null = null;
afterAll(async () => {
  await h?.browser.close();
  await again?.stop();
});

describe('the core goes away under the page', () => {
  it('shows that it is reconnecting, never the last screen', async () => {
    h = await open();
    const { page, kiosk } = h;
    await kiosk.app.dispatch({
      kind: 'request',
      id: 1,
      command: 'demo',
      payload: { action: { type: 'insertCard', cardId: 'yamada-taro' } },
    });
    await page.locator('.kiosk[data-screen="pin"]').waitFor();

    await kiosk.stop();
    await page.locator('[data-screen="disconnected"]').waitFor();
    expect(await page.locator('.kiosk[data-screen="pin"]').count()).toBe(0);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('ただいま休止中です');
    expect(await page.getByRole('status').textContent()).toBe(
      '機械を再起動しています。しばらくお待ちください。',
    );
    // Only the network errors of a core that is gone; nothing thrown in the page.
    const gone =
      /^(WebSocket connection to .* failed|Failed to load resource: net::ERR_CONNECTION_(RESET|REFUSED))/;
    expect(h.errors.filter((e) => !gone.test(e))).toEqual([]);

    // The core again, on the same port with the same secret: the page is back on the idle screen.
    const second = await startTestKiosk();
    let host: BrowserHost | null = null;
    again = {
      async stop() {
        await host?.close();
        await second.stop();
      },
    };
    host = await startBrowserHost({
      dispatch: second.app.dispatch,
      subscribe: (l) => second.app.core.subscribe(l),
      rendererDir: 'renderer/dist',
      port: kiosk.host.port,
      token: kiosk.host.cookie.split('=')[1]!,
      log: silentLogger,
    });
    await page.locator('.kiosk[data-screen="idle"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-screen="disconnected"]').count()).toBe(0);
  }, 60_000);
});
