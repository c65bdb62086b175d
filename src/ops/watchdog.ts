// systemd watchdog for the kiosk core. The unit sets WatchdogSec= and NotifyAccess=all (the main
// process is the cage compositor; the core runs in its Electron child). While the core's event loop
// turns and its journal answers, we ping at half the interval; a hung core stops pinging and
// systemd kills and restarts the whole session. Node has no unix datagram sockets, so the ping goes
// through systemd-notify (which waits for systemd to take it, so the sender is attributed).
import { execFile } from 'node:child_process';
import type { Logger } from '../log/logger.js';
import { systemClock, unref, type Clock } from '../core/clock.js';

export type Notify = (message: string) => Promise<void>;

export const systemdNotify: Notify = (message) =>
  new Promise((resolve, reject) =>
    execFile('systemd-notify', [message], { timeout: 5000 }, (e) => (e ? reject(e) : resolve())),
  );

export interface Watchdog {
  active: boolean;
  intervalMs: number;
  stop(): void;
}

export function startSystemdWatchdog(o: {
  env: NodeJS.ProcessEnv;
  probe: () => void;
  log: Logger;
  notify?: Notify;
  /** Time for the ping interval (default: the system clock). */
  clock?: Clock;
}): Watchdog {
  const usec = Number(o.env.WATCHDOG_USEC ?? 0);
  if (!o.env.NOTIFY_SOCKET || !Number.isFinite(usec) || usec <= 0)
    return { active: false, intervalMs: 0, stop() {} };
  const notify = o.notify ?? systemdNotify;
  const intervalMs = Math.max(500, Math.floor(usec / 2000));
  let failing = false;
  const tick = () => {
    try {
      o.probe();
    } catch (e) {
      // Not pinging is the point: systemd restarts the session when the interval runs out.
      o.log.error({ err: (e as Error).message }, 'watchdog: core probe failed, not pinging systemd');
      return;
    }
    notify('WATCHDOG=1').then(
      () => (failing = false),
      (e: unknown) => {
        if (!failing) o.log.error({ err: (e as Error).message }, 'watchdog: systemd-notify failed');
        failing = true;
      },
    );
  };
  const clock = o.clock ?? systemClock;
  const timer = unref(clock.setInterval(tick, intervalMs));
  tick();
  o.log.info({ intervalMs }, 'watchdog: pinging systemd');
  return { active: true, intervalMs, stop: () => clock.clearInterval(timer) };
}
