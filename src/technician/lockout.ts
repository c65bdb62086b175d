// Failed-login throttling kept in the journal, so a restart or a power cut does not reset it.
// Two keys per attempt: the technician id (locked after `attempts` failures in a row, for
// `lockSeconds` doubling with each further lock, at most four times that) and the entry point (the
// screen's fallback form or the card slot), which only ever backs off briefly so nobody at the
// screen can keep technicians out. A success clears both.
import type { Journal } from '../core/journal/journal.js';

export interface LockoutPolicy {
  attempts: number;
  lockSeconds: number;
}

interface Counter {
  failures: number;
  locks: number;
  lockedUntil: string | null;
  lastFailureAt: string | null;
}

/** The entry point's back-off: 1, 2, 4 … seconds per failure past the first few, never above this. */
export const ENTRY_BACKOFF_MAX_SECONDS = 30;
/** Failures older than this no longer count for an entry point. */
const ENTRY_MEMORY_MS = 15 * 60_000;

const idKey = (id: string) => `login.lockout.id.${id}`;
const entryKey = (entry: string) => `login.lockout.entry.${entry}`;
const empty = (): Counter => ({ failures: 0, locks: 0, lockedUntil: null, lastFailureAt: null });

export function createLockout(journal: Pick<Journal, 'getState' | 'setState'>, policy: LockoutPolicy) {
  const read = (key: string) => journal.getState<Counter>(key) ?? empty();
  const lockedUntil = (c: Counter, now: Date) =>
    c.lockedUntil && Date.parse(c.lockedUntil) > now.getTime() ? c.lockedUntil : null;

  return {
    /** When attempts for this id or at this entry point are refused until (ISO), or null. */
    blockedUntil(id: string | null, entry: string, now: Date): string | null {
      const times = [
        lockedUntil(read(entryKey(entry)), now),
        id === null ? null : lockedUntil(read(idKey(id)), now),
      ].filter((x): x is string => x !== null);
      return times.sort().at(-1) ?? null;
    },
    /** The entry point's back-off alone (shown on screen: it says nothing about any id). */
    entryBlockedUntil(entry: string, now: Date): string | null {
      return lockedUntil(read(entryKey(entry)), now);
    },
    failed(id: string | null, entry: string, now: Date): void {
      if (id !== null) {
        const c = read(idKey(id));
        c.failures += 1;
        c.lastFailureAt = now.toISOString();
        if (c.failures >= policy.attempts) {
          c.locks += 1;
          const seconds = Math.min(policy.lockSeconds * 2 ** (c.locks - 1), policy.lockSeconds * 4);
          c.lockedUntil = new Date(now.getTime() + seconds * 1000).toISOString();
          c.failures = 0;
        }
        journal.setState(idKey(id), c);
      }
      const e = read(entryKey(entry));
      if (e.lastFailureAt && now.getTime() - Date.parse(e.lastFailureAt) > ENTRY_MEMORY_MS) e.failures = 0;
      e.failures += 1;
      e.lastFailureAt = now.toISOString();
      const over = e.failures - policy.attempts;
      e.lockedUntil =
        over >= 0
          ? new Date(now.getTime() + Math.min(2 ** over, ENTRY_BACKOFF_MAX_SECONDS) * 1000).toISOString()
          : null;
      journal.setState(entryKey(entry), e);
    },
    succeeded(id: string, entry: string): void {
      journal.setState(idKey(id), empty());
      journal.setState(entryKey(entry), empty());
    },
  };
}
export type Lockout = ReturnType<typeof createLockout>;
