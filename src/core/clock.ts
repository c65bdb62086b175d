// The clock port: all the engine, the service monitor and the scheduled jobs know of time. The system
// clock in production; tests pass a manual one and move time on instead of waiting for it. It is also
// the clock XState runs the chart's delays on.
export type TimerId = unknown;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
  setInterval(fn: () => void, ms: number): TimerId;
  clearInterval(id: TimerId): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (id) => clearInterval(id as NodeJS.Timeout),
};

/** A timer that should not keep the process alive on its own (a system timer; others ignore it). */
export function unref(id: TimerId): TimerId {
  (id as { unref?: () => void } | null)?.unref?.();
  return id;
}
