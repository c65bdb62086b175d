// `madoguchi bench cash`: over a socat pty pair with the real ccTalk driver and the simulators.
// coinToCreditMs: a coin dropped at the simulator until the session emits "credited" (median, at
// the configured poll interval). pollsPerSec: back-to-back event-buffer polls one device sustains
// (a pty ignores the baud rate; at 9600 baud on a real line expect roughly 40/s for a 229 poll).
// refundMs: cancel pressed with coins inserted until the last refunded coin leaves a hopper (median).
import type { BenchArea } from '../src/bench/harness.js';
import { percentile, round } from '../src/bench/harness.js';
import { CashSection } from '../src/config/sections/cash.js';
import { Header } from '../drivers/payment/protocol.js';
import { startPtyCashBay } from '../fixtures/cash/bay.js';

const bench: BenchArea = async ({ quick }) => {
  const defaults = CashSection.parse({});
  const bay = await startPtyCashBay({
    pollIntervalMs: defaults.pollIntervalMs,
    replyTimeoutMs: defaults.replyTimeoutMs,
  });
  try {
    // 1. coin → credited
    const coins = quick ? 8 : 40;
    const session = await bay.cash.startPayment(coins * 10 + 10, 'bench');
    const latencies: number[] = [];
    let resolveCredit: (() => void) | null = null;
    session.onEvent((e) => {
      if (e.type === 'credited') resolveCredit?.();
    });
    await new Promise((r) => setTimeout(r, defaults.pollIntervalMs * 2));
    for (let i = 0; i < coins; i++) {
      // Drop coins at random phases of the poll cycle, as residents do.
      await new Promise((r) => setTimeout(r, Math.random() * defaults.pollIntervalMs));
      const credited = new Promise<void>((r) => (resolveCredit = r));
      const t0 = performance.now();
      if (bay.sim.insertCoin(10) !== 'credited') throw new Error('simulator refused the bench coin');
      await credited;
      latencies.push(performance.now() - t0);
    }
    await session.cancel();

    // 2. cancel → last coin out: the refund path (disable acceptors, plan, enable, dispense, status polls).
    const refunds: number[] = [];
    for (let i = 0; i < (quick ? 3 : 10); i++) {
      const s = await bay.cash.startPayment(1000, `bench-refund-${i}`);
      await new Promise((r) => setTimeout(r, defaults.pollIntervalMs * 2));
      for (const y of [100, 100, 10])
        if (bay.sim.insertCoin(y) !== 'credited') throw new Error('simulator refused the bench coin');
      while (s.insertedYen() < 210) await new Promise((r) => setTimeout(r, 5));
      const t0 = performance.now();
      const r = await s.cancel();
      if (r.shortYen > 0) throw new Error(`bench refund short by ¥${r.shortYen}`);
      refunds.push(Math.max(...bay.sim.hoppers.map((h) => h.lastCoinAt)) - t0);
    }

    // 3. sustained polls per device
    const windowMs = quick ? 300 : 2000;
    const rates: Record<string, number> = {};
    for (const [name, address, header] of [
      ['coin', bay.config.addresses.coin, Header.coinEvents],
      ['bill', bay.config.addresses.bill, Header.billEvents],
      ...bay.config.hoppers.map((h) => [`hopper.${h.yen}`, h.address, Header.hopperStatus] as const),
    ] as Array<[string, number, number]>) {
      let n = 0;
      const end = performance.now() + windowMs;
      while (performance.now() < end) {
        await bay.cash.bus.request(address, header);
        n++;
      }
      rates[name] = n / (windowMs / 1000);
    }
    const minRate = Math.min(...Object.values(rates));
    const median = percentile(latencies, 50);
    return {
      rows: [
        {
          metric: 'coinToCredit p50',
          value: round(median),
          unit: 'ms',
          note: `poll every ${defaults.pollIntervalMs} ms, ${coins} coins`,
        },
        { metric: 'coinToCredit p95', value: round(percentile(latencies, 95)), unit: 'ms' },
        { metric: 'coinToCredit max', value: round(Math.max(...latencies)), unit: 'ms' },
        ...Object.entries(rates).map(([k, v]) => ({
          metric: `polls/s ${k}`,
          value: round(v, 0),
          unit: '/s',
          note: 'pty, back to back',
        })),
        {
          metric: 'refund p50',
          value: round(percentile(refunds, 50)),
          unit: 'ms',
          note: 'cancel → last coin out, ¥210 in 3 coins',
        },
        { metric: 'refund max', value: round(Math.max(...refunds)), unit: 'ms' },
        { metric: 'bus timeouts', value: bay.cash.bus.counters.timeouts },
      ],
      figures: {
        coinToCreditMs: round(median),
        pollsPerSec: round(minRate, 0),
        refundMs: round(percentile(refunds, 50)),
      },
    };
  } finally {
    await bay.close();
  }
};

export default bench;
