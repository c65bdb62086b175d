// The core goes away under the page (a restart): the page drops the last screen at once and shows the
// reconnecting, out-of-service screen. (Reconnecting to the restarted core and taking its first
// snapshot is tested on the transport itself: test/host/reconnect.test.ts.)
import { afterAll, describe, expect, it } from 'vitest';
import { open, type Harness } from './helpers.js';

let h: Harness | null = null;
afterAll(async () => {
  await h?.browser.close();
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
  }, 60_000);
});
