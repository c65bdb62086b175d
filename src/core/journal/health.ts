// Whether the journal can take a whole transaction right now. Checked at start (integrity with
// quick_check, a real write, free space above the configured floor) and again before every
// session: money is only accepted when what follows can be journaled.
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from './db.js';

export interface JournalHealth {
  ok: boolean;
  /** One line for the technician's screen and the log; null when ok. */
  problem: string | null;
  freeBytes: number | null;
}

/** Free bytes for an unprivileged writer on the file system holding path (null for :memory:). */
export function freeBytes(path: string): number | null {
  if (path === ':memory:') return null;
  const s = statfsSync(dirname(path));
  return Number(s.bavail) * Number(s.bsize);
}

/** SQLite's own errors: the storage is full, read-only, corrupt or gone. */
export function isStorageError(e: unknown): e is Error & { code: string } {
  return (
    e instanceof Error &&
    typeof (e as { code?: unknown }).code === 'string' &&
    (e as unknown as { code: string }).code.startsWith('SQLITE_')
  );
}

export interface HealthCheckOptions {
  path: string;
  minFreeBytes: number;
  /** Run PRAGMA quick_check (at start; it reads the whole file). */
  integrity?: boolean;
}

export function checkJournalHealth(db: Db, opts: HealthCheckOptions): JournalHealth {
  let free: number | null = null;
  try {
    free = freeBytes(opts.path);
    if (free !== null && free < opts.minFreeBytes) {
      return {
        ok: false,
        problem: `journal disk has ${Math.floor(free / 1048576)} MiB free, below the ${Math.floor(opts.minFreeBytes / 1048576)} MiB floor`,
        freeBytes: free,
      };
    }
    if (opts.integrity) {
      const rows = db.pragma('quick_check') as { quick_check: string }[];
      const bad = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
      if (bad.length)
        return {
          ok: false,
          problem: `journal integrity check failed: ${bad.slice(0, 3).join('; ')}`,
          freeBytes: free,
        };
    }
    // A real, committed write (one small WAL frame and its fsync): the file takes writes now.
    db.prepare(
      "INSERT INTO kiosk_state (key, value, at) VALUES ('health.probe', '0', ?) ON CONFLICT(key) DO UPDATE SET at = excluded.at",
    ).run(new Date().toISOString());
    return { ok: true, problem: null, freeBytes: free };
  } catch (e) {
    return {
      ok: false,
      problem: `journal not writable: ${(e as { code?: string }).code ?? (e as Error).message}`,
      freeBytes: free,
    };
  }
}
