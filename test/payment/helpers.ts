// Cash tests wait on what the simulated devices were asked, never on time: every wait re-checks its
// condition each time a device acts on a command (the host polls all the time a payment is open).
import type { PaymentEvent, PaymentSessionPort } from '../../src/core/ports.js';
import type { SimCcTalkBus } from '../../drivers/payment/simulator/index.js';
import { when } from '../support/wait.js';

/** The simulated devices' side of the line (a CashSimulator, or anything holding its bus). */
export interface SimLine {
  bus: SimCcTalkBus;
}

/** Resolves once `cond` holds, checked now and after each command the simulated devices act on. */
export function waitFor(sim: SimLine, what: string, cond: () => boolean, timeoutMs = 3000): Promise<void> {
  return when((l) => sim.bus.onCommand(l), cond, what, timeoutMs);
}

/**
 * Resolves after `n` further commands (to `address`, or to any device) were answered: "nothing more
 * happens" is asserted over a definite number of polls instead of a stretch of wall time.
 */
export function answeredPolls(sim: SimLine, n: number, address?: number, timeoutMs = 3000): Promise<void> {
  let seen = 0;
  return when(
    (l) =>
      sim.bus.onCommand((c) => {
        if (c.answered && (address === undefined || c.address === address)) seen++;
        l();
      }),
    () => seen >= n,
    `${n} answered commands${address === undefined ? '' : ` to address ${address}`}`,
    timeoutMs,
  );
}

export function record(s: PaymentSessionPort): PaymentEvent[] {
  const events: PaymentEvent[] = [];
  s.onEvent((e) => events.push(e));
  return events;
}
