// The browser renderer's transport follows the core across a restart: the socket reopens with
// backoff, a call in flight fails at once, and a fresh snapshot arrives after the reconnect.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestKiosk } from '../support/kiosk.js';
import { startBrowserHost } from '../../src/host/browser-host.js';
import { silentLogger } from '../../src/log/logger.js';
import type { CoreEvent, KioskBridge } from '../../src/contract/index.js';
import { when } from '../support/wait.js';

// The renderer's own module, loaded as the page loads it (it is type-checked with the renderer's DOM types).
const BRIDGE = '../../renderer/src/client/bridge.js';
const { connectWebSocket } = (await import(BRIDGE)) as {
  connectWebSocket(
    url: string,
    opts: { reload(): void },
  ): Promise<KioskBridge & { onConnection(l: (up: boolean) => void): () => void }>;
};

describe('renderer transport across a core restart', () => {
  it('reconnects and resynchronises the screen', async () => {
    const first = await startTestKiosk();
    const { port, cookie, origin } = first.host;
    // What the page's browser does: it sends the host's session cookie with every upgrade.
    (globalThis as { WebSocket?: unknown }).WebSocket = class extends WebSocket {
      constructor(url: string) {
        super(url, { headers: { cookie, origin } });
      }
    };
    const token = cookie.split('=')[1]!;
    const bridge = await connectWebSocket(`ws://127.0.0.1:${port}/contract`, {
      reload: () => undefined,
    });
    const events: CoreEvent[] = [];
    bridge.onEvent((e) => events.push(e));
    // What the page is told about the connection: it shows the reconnecting screen in between.
    const connection: boolean[] = [];
    bridge.onConnection((up) => connection.push(up));
    expect((await bridge.call('hello', {})).snapshot.screen).toBe('idle');

    // The core goes away; a call made meanwhile fails rather than waiting for ever (at once when the
    // socket has seen the close, else when it does).
    await first.stop();
    await expect(bridge.call('hello', {})).rejects.toMatchObject({ code: 'disconnected' });
    expect(connection).toEqual([false]);

    // A new core on the same port: the transport finds it and the screen gets a fresh snapshot.
    const second = await startTestKiosk();
    const host = await startBrowserHost({
      dispatch: second.app.dispatch,
      subscribe: (l) => second.app.core.subscribe(l),
      rendererDir: 'renderer/dist',
      port,
      token,
      log: silentLogger,
    });
    try {
      const before = events.length;
      await when(
        (l) => bridge.onEvent(l),
        () => events.length > before,
        'an event after the reconnect',
        5_000,
      );
      expect(events.slice(before)[0]).toMatchObject({ type: 'snapshot', snapshot: { screen: 'idle' } });
      // Told once that it is back, however many attempts failed in between.
      expect(connection).toEqual([false, true]);
      expect((await bridge.call('hello', {})).snapshot.screen).toBe('idle');
    } finally {
      await host.close();
      await second.stop();
    }
  });
});
