// Per-source rate limit for log lines. A source is the log call site's message (plus its area):
// one noisy source (a client hammering the host with refused requests) is cut to a trickle while
// every other source keeps logging. When a window ends with lines suppressed, the next line
// from that source carries how many were dropped.
export interface RateLimitOptions {
  /** Lines one source may write per window. */
  perWindow: number;
  windowMs: number;
  /** Sources tracked at once; the oldest window is forgotten past this (bounded memory). */
  maxSources?: number;
}

export class LogRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number; suppressed: number }>();

  constructor(
    private readonly opts: RateLimitOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a line from this source may be written now, and how many were suppressed before it. */
  admit(source: string): { ok: boolean; suppressed: number } {
    const t = this.now();
    let w = this.windows.get(source);
    if (!w || t - w.start >= this.opts.windowMs) {
      const suppressed = w?.suppressed ?? 0;
      if (w) this.windows.delete(source);
      w = { start: t, count: 0, suppressed: 0 };
      this.windows.set(source, w);
      this.trim();
      w.count++;
      return { ok: true, suppressed };
    }
    if (w.count < this.opts.perWindow) {
      w.count++;
      return { ok: true, suppressed: 0 };
    }
    w.suppressed++;
    return { ok: false, suppressed: 0 };
  }

  private trim(): void {
    const max = this.opts.maxSources ?? 1000;
    while (this.windows.size > max) this.windows.delete(this.windows.keys().next().value!);
  }
}
