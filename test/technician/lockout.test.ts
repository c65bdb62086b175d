// The login throttle's arithmetic with a fake clock: per-id locks double up to four times the
// configured time, the screen's entry point only ever backs off briefly, and success clears both.
import { describe, expect, it } from 'vitest';
import { createLockout, ENTRY_BACKOFF_MAX_SECONDS } from '../../src/technician/lockout.js';

function store() {
  const m = new Map<string, string>();
  return {
    getState: <T>(k: string) => (m.has(k) ? (JSON.parse(m.get(k)!) as T) : undefined),
    setState: (k: string, v: unknown) => void m.set(k, JSON.stringify(v)),
  };
}
const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000);
const secondsLeft = (until: string | null, now: number) =>
  until ? (Date.parse(until) - at(now).getTime()) / 1000 : 0;

describe('login lockout', () => {
  it('locks an id after the configured failures, doubling each time up to four times', () => {
    const l = createLockout(store(), { attempts: 3, lockSeconds: 60 });
    let t = 0;
    const lockOnce = () => {
      for (let i = 0; i < 3; i++) l.failed('eng1', 'pin', at(t));
      return secondsLeft(l.blockedUntil('eng1', 'card', at(t)), t);
    };
    expect(lockOnce()).toBe(60);
    t += 61;
    expect(lockOnce()).toBe(120);
    t += 121;
    expect(lockOnce()).toBe(240);
    t += 241;
    expect(lockOnce()).toBe(240);
    // Another id is not locked by eng1's failures.
    expect(l.blockedUntil('op1', 'card', at(t))).toBeNull();
    l.succeeded('eng1', 'pin');
    expect(l.blockedUntil('eng1', 'card', at(t))).toBeNull();
  });

  it('backs the entry point off 1, 2, 4 … s, never above the cap, and forgets after a quiet spell', () => {
    const l = createLockout(store(), { attempts: 3, lockSeconds: 60 });
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      l.failed(`guess${i}`, 'pin', at(i * 100));
      waits.push(secondsLeft(l.entryBlockedUntil('pin', at(i * 100)), i * 100));
    }
    expect(waits).toEqual([0, 0, 1, 2, 4, 8, 16, 30, 30, 30, 30, 30]);
    expect(Math.max(...waits)).toBeLessThanOrEqual(ENTRY_BACKOFF_MAX_SECONDS);
    // The card slot is its own entry point.
    expect(l.entryBlockedUntil('card', at(1100))).toBeNull();
    // Sixteen quiet minutes later a failure starts from the beginning.
    l.failed('x', 'pin', at(1100 + 16 * 60));
    expect(l.entryBlockedUntil('pin', at(1100 + 16 * 60))).toBeNull();
  });
});
