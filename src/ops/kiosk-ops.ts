// Operations that run inside the kiosk process: the systemd watchdog and the daily journal backup
// (online backup API on the live connection, then backups older than keepDays are deleted).
import type { Config } from '../config/schema.js';
import { systemClock, unref, type Clock, type TimerId } from '../core/clock.js';
import type { Journal } from '../core/journal/journal.js';
import type { Logger } from '../log/logger.js';
import { tokyoDay } from '../technician/reports.js';
import { backupJournal, defaultBackupDir, listBackups, pruneBackups } from './backup.js';
import { startSystemdWatchdog, type Notify } from './watchdog.js';

/** Hour of day in Asia/Tokyo, where the kiosks are. */
const tokyoHour = (d: Date) => new Date(d.getTime() + 9 * 3600_000).getUTCHours();

/** True when today's (Tokyo) backup is due: past atHour and none taken yet today. */
export function backupDue(lastCreatedAt: string | null, now: Date, atHour: number): boolean {
  if (tokyoHour(now) < atHour) return false;
  return lastCreatedAt === null || tokyoDay(new Date(lastCreatedAt)) !== tokyoDay(now);
}

export const backupDirOf = (config: Config, journalPath: string) =>
  config.journal.backup.dir || defaultBackupDir(journalPath);

export async function runDailyBackup(o: {
  config: Config;
  journalPath: string;
  keyPath?: string;
  journal: Journal;
  log: Logger;
  now?: Date;
}): Promise<string | null> {
  const b = o.config.journal.backup;
  const dir = backupDirOf(o.config, o.journalPath);
  const now = o.now ?? new Date();
  const last = listBackups(dir).find(
    (x) => x.manifest && (x.manifest.reason === 'daily' || x.manifest.reason === 'manual'),
  );
  if (!backupDue(last?.manifest?.createdAt ?? null, now, b.atHour)) return null;
  const r = await backupJournal(o.journal.db, {
    journalPath: o.journalPath,
    kioskId: o.journal.kioskId,
    dir,
    reason: 'daily',
    ...(o.keyPath ? { keyPath: o.keyPath } : {}),
    now,
  });
  if (r.manifest.verified)
    o.log.info(
      { backup: r.path, auditRows: r.manifest.auditRows, bytes: r.manifest.bytes },
      'journal backup written',
    );
  else
    o.log.error(
      { backup: r.path, problems: r.manifest.problems.slice(0, 5) },
      'journal backup written but the journal does NOT verify',
    );
  const deleted = pruneBackups(dir, b.keepDays, now);
  if (deleted.length) o.log.info({ deleted }, 'old journal backups deleted');
  return r.path;
}

export interface KioskOps {
  stop(): void;
}

export function startKioskOps(o: {
  config: Config;
  journalPath: string;
  keyPath?: string;
  journal: Journal;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  notify?: Notify;
  checkEveryMs?: number;
  firstCheckMs?: number;
  /** When backups are due and are dated (default: the system clock). */
  clock?: Clock;
}): KioskOps {
  const clock = o.clock ?? systemClock;
  const log = o.log.child({ area: 'ops' });
  const watchdog = startSystemdWatchdog({
    env: o.env ?? process.env,
    probe: () => o.journal.db.prepare('SELECT 1').get(),
    log,
    ...(o.notify ? { notify: o.notify } : {}),
  });
  const timers: TimerId[] = [];
  if (o.config.journal.backup.enabled && o.journalPath !== ':memory:') {
    let running = false;
    const check = () => {
      if (running) return;
      running = true;
      runDailyBackup({
        config: o.config,
        journalPath: o.journalPath,
        ...(o.keyPath ? { keyPath: o.keyPath } : {}),
        journal: o.journal,
        log,
        now: new Date(clock.now()),
      })
        .catch((e: unknown) =>
          log.error(
            { err: (e as Error).message, kind: (e as { kind?: string }).kind },
            'journal backup failed',
          ),
        )
        .finally(() => (running = false));
    };
    // Not at once: start-up (recovery, devices) comes first.
    const first = clock.setTimeout(() => {
      check();
      timers.push(unref(clock.setInterval(check, o.checkEveryMs ?? 10 * 60_000)));
    }, o.firstCheckMs ?? 60_000);
    timers.push(unref(first));
  }
  return {
    stop() {
      watchdog.stop();
      for (const t of timers) clock.clearTimeout(t);
    },
  };
}
