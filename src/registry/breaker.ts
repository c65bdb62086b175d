// A circuit breaker: after `failureThreshold` consecutive health failures the registry is treated as
// down (calls fail fast, the kiosk goes out of service); after `cooldownMs` one trial call is let
// through, and its success brings the kiosk back.
export type CircuitState = 'closed' | 'open' | 'halfOpen';

export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  now?: () => number;
}

export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private listeners = new Set<(s: CircuitState, reason: string | null) => void>();
  lastFailure: { kind: string; message: string; at: Date } | null = null;

  constructor(private readonly o: BreakerOptions) {}

  private get now(): number {
    return (this.o.now ?? Date.now)();
  }

  get current(): CircuitState {
    return this.state;
  }

  /** May a call go out now? In half-open only one trial call at a time. */
  allow(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (this.now - this.openedAt < this.o.cooldownMs) return false;
      this.set('halfOpen');
    }
    if (this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.trialInFlight = false;
    if (this.state !== 'closed') this.set('closed');
  }

  failure(kind: string, message: string): void {
    this.lastFailure = { kind, message, at: new Date(this.now) };
    this.trialInFlight = false;
    this.failures += 1;
    if (this.state === 'halfOpen' || (this.state === 'closed' && this.failures >= this.o.failureThreshold)) {
      this.openedAt = this.now;
      this.set('open');
    }
  }

  onChange(listener: (s: CircuitState, reason: string | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(s: CircuitState): void {
    this.state = s;
    const reason = s === 'closed' ? null : (this.lastFailure?.kind ?? 'unknown');
    for (const l of this.listeners) l(s, reason);
  }
}
