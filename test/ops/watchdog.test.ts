import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import { startSystemdWatchdog } from '../../src/ops/watchdog.js';
import { ManualClock } from '../support/manual-clock.js';

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
    const clock = new ManualClock();
    const w = startSystemdWatchdog({
      clock,
      env: { NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '1000000' },
      probe: () => {
        if (!healthy) throw new Error('journal busy');
      },
      log: silentLogger,
      notify: async (m) => void pings.push(m),
    });
    expect(w).toMatchObject({ active: true, intervalMs: 500 });
    // One ping at start, then one every 500 ms.
    await clock.advance(1_200);
    expect(pings).toEqual(['WATCHDOG=1', 'WATCHDOG=1', 'WATCHDOG=1']);
    healthy = false;
    await clock.advance(1_100);
    expect(pings).toHaveLength(3);
    healthy = true;
    await clock.advance(300);
    expect(pings).toHaveLength(4);
    w.stop();
  });
});
