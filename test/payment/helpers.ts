import type { PaymentEvent, PaymentSessionPort } from '../../src/core/ports.js';

export async function waitFor(what: string, cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function record(s: PaymentSessionPort): PaymentEvent[] {
  const events: PaymentEvent[] = [];
  s.onEvent((e) => events.push(e));
  return events;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
