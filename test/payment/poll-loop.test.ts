// The cash port polls its devices in one loop: a payment that starts just as the idle poll falls due
// must not leave a second loop behind (each one would poll the bus for the rest of the kiosk's life).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CashSection } from '../../src/config/sections/cash.js';
import { silentLogger } from '../../src/log/logger.js';
import { MemoryCashJournal } from '../../src/payment/cash-journal.js';
import { createCashPort, type CashAdapter } from '../../src/payment/cash-port.js';
import { answeredPolls } from './helpers.js';

const POLL_MS = 37; // distinct from every other delay the port uses, so its poll timers can be told apart
const IDLE_POLL_MS = 1000;
const MODIFY_INHIBITS = 231;
const BILL_ADDRESS = CashSection.parse({}).addresses.bill;

const opened: CashAdapter[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of opened.splice(0)) await c.close();
});

/** Every timer set and not yet fired or cleared, with its delay and callback. */
function trackTimers() {
  const pending = new Map<NodeJS.Timeout, { ms: number; fire: () => void }>();
  const onSet = new Set<(ms: number) => void>();
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
    fn: (...a: unknown[]) => void,
    ms?: number,
    ...a: unknown[]
  ) => {
    const h: NodeJS.Timeout = realSet(() => {
      pending.delete(h);
      fn(...a);
    }, ms);
    pending.set(h, { ms: ms ?? 0, fire: () => fn(...a) });
    for (const l of onSet) l(ms ?? 0);
    return h;
  }) as typeof setTimeout);
  vi.spyOn(globalThis, 'clearTimeout').mockImplementation((h) => {
    pending.delete(h as NodeJS.Timeout);
    realClear(h);
  });
  return {
    pending,
    /** Calls `l` with each new timer's delay, once it is pending. */
    onSet(l: (ms: number) => void) {
      onSet.add(l);
      return () => void onSet.delete(l);
    },
    /** Runs the pending timers of this delay now, as if they fell due this instant. */
    fireNow(ms: number) {
      for (const [h, t] of [...pending]) {
        if (t.ms !== ms) continue;
        realClear(h);
        pending.delete(h);
        t.fire();
      }
    },
  };
}

describe('cash poll loop', () => {
  it('stays one loop when the idle poll falls due while a payment is starting', async () => {
    const timers = trackTimers();
    const cash = await createCashPort(CashSection.parse({ pollIntervalMs: POLL_MS }), {
      log: silentLogger,
      journal: new MemoryCashJournal(),
    });
    opened.push(cash);
    const bus = cash.simulator!.raw.bus;
    // The idle poll falls due just as the payment opens the bill validator, its last step before it
    // asks for quicker polls: that poll is still on the line when it does.
    let starting = true;
    const off = bus.onCommand((c) => {
      if (!starting || c.address !== BILL_ADDRESS || c.header !== MODIFY_INHIBITS) return;
      if (c.data.every((b) => b === 0)) return;
      starting = false;
      timers.fireNow(IDLE_POLL_MS);
    });
    const s = await cash.startPayment(300, 'poll-loop-1');
    off();
    expect(starting).toBe(false);
    // Each time a poll is armed, count the armed polls: one loop never has two.
    let most = 0;
    const watch = timers.onSet((ms) => {
      if (ms === POLL_MS)
        most = Math.max(most, [...timers.pending.values()].filter((t) => t.ms === POLL_MS).length);
    });
    await answeredPolls(cash.simulator!.raw, 40);
    watch();
    await s.cancel();
    expect(most).toBe(1);
  });
});
