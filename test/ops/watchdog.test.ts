import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import { startSystemdWatchdog } from '../../src/ops/watchdog.js';

describe('systemd watchdog', () => {
  it('is off outside systemd (no NOTIFY_SOCKET / WATCHDOG_USEC)', () => {
    const w = startSystemdWatchdog({
      env: {},
      probe: () => {},
      log: silentLogger,
      notify: () => Promise.reject(new Error('must not be called')),
    });
    expect(w.active).toBe(false);
  });

  it('pings at half the interval while the core answers, and stops when it does not', async () => {
    const pings: string[] = [];
    let healthy = true;
    const w = startSystemdWatchdog({
      env: { NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '1000000' },
      probe: () => {
        if (!healthy) throw new Error('journal busy');
      },
      log: silentLogger,
      notify: async (m) => void pings.push(m),
    });
    expect(w).toMatchObject({ active: true, intervalMs: 500 });
    await sleep(1200);
    const n = pings.length;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(new Set(pings)).toEqual(new Set(['WATCHDOG=1']));
    healthy = false;
    await sleep(1100);
    expect(pings.length).toBe(n);
    w.stop();
  });
});
