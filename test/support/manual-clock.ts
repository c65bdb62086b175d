// A clock tests move by hand: nothing fires until advance(), which runs every timer falling due on the
// way in time order and lets promises settle after each, so a test waits on events, not on sleeps.
import type { Clock, TimerId } from '../../src/core/clock.js';

interface Timer {
  at: number;
  fn: () => void;
  every?: number;
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers = new Map<number, Timer>();

  constructor(start: Date | number = Date.parse('2026-04-01T01:00:00Z')) {
    this.t = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerId {
    this.timers.set(++this.seq, { at: this.t + Math.max(0, ms), fn });
    return this.seq;
  }

  clearTimeout(id: TimerId): void {
    this.timers.delete(id as number);
  }

  setInterval(fn: () => void, ms: number): TimerId {
    const every = Math.max(1, ms);
    this.timers.set(++this.seq, { at: this.t + every, fn, every });
    return this.seq;
  }

  clearInterval(id: TimerId): void {
    this.timers.delete(id as number);
  }

  /** Moves time on by `ms`, firing what falls due in order. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (;;) {
      let next: [number, Timer] | undefined;
      for (const entry of this.timers)
        if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      const [id, timer] = next;
      this.t = timer.at;
      if (timer.every) timer.at += timer.every;
      else this.timers.delete(id);
      timer.fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}
