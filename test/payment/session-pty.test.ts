// Payment scenarios end to end: the kiosk's ccTalk driver on one end of a socat pty pair, the
// simulated coin acceptor, hoppers and bill validator on the other.
import { afterEach, describe, expect, it } from 'vitest';
import { startPtyCashBay, type PtyCashBay } from '../../fixtures/cash/bay.js';
import { answeredPolls, record, waitFor } from './helpers.js';

let bay: PtyCashBay | null = null;
afterEach(async () => {
  await bay?.close();
  bay = null;
});

async function open(over: Record<string, unknown> = {}) {
  bay = await startPtyCashBay(over);
  return bay;
}

/** Every journaled movement has an outcome, and what was kept equals what the resident owes. */
function expectReconciled(b: PtyCashBay, tx: string, keptYen: number) {
  const p = b.journal.position(tx);
  expect(p.open).toBe(0);
  expect(p.escrowYen).toBe(0);
  expect(b.journal.netYen(tx)).toBe(keptYen);
  // The journal agrees with the devices: cash boxes and hoppers.
  const all = b.journal.position();
  const boxes =
    Object.entries(b.sim.coin.cashBox).reduce((s, [y, n]) => s + Number(y) * n, 0) +
    Object.entries(b.sim.bill.cashBox).reduce((s, [y, n]) => s + Number(y) * n, 0);
  expect(all.receivedYen).toBe(boxes);
  expect(all.paidOutYen).toBe(b.sim.paidOutYen());
}

describe('cash payment over ccTalk on a pty pair', () => {
  it('takes an exact payment in coins', async () => {
    const b = await open();
    const s = await b.cash.startPayment(600, 'tx-exact');
    const ev = record(s);
    await waitFor(b.sim, 'coins enabled', () => b.sim.coin.enabledYen().length === 4);
    expect(b.sim.insertCoin(500)).toBe('credited');
    await waitFor(b.sim, 'first credit', () => s.insertedYen() === 500);
    b.sim.insertCoin(100);
    await waitFor(b.sim, 'paid', () => ev.some((e) => e.type === 'paid'));
    expect(
      ev.filter((e) => e.type === 'credited').map((e) => (e.type === 'credited' ? e.totalYen : 0)),
    ).toEqual([500, 600]);
    await waitFor(b.sim, 'acceptance closed once paid', () => b.sim.coin.enabledYen().length === 0);
    const r = await s.commit();
    expect(r).toEqual({ requestedYen: 0, paidYen: 0, paid: {}, shortYen: 0 });
    expectReconciled(b, 'tx-exact', 600);
  });

  it('holds a ¥1000 bill in escrow until commit, then stacks it and pays change', async () => {
    const b = await open({ crc16Addresses: [40] }); // the validator set to CRC-16
    const s = await b.cash.startPayment(350, 'tx-change');
    const ev = record(s);
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().includes(1000));
    expect(b.sim.bill.enabledYen()).toEqual([1000]); // ¥2000/¥5000/¥10000 off by default
    expect(b.sim.insertBill(1000)).toBe('escrowed');
    await waitFor(b.sim, 'escrowed', () => ev.some((e) => e.type === 'escrowed'));
    await answeredPolls(b.sim, 3, b.config.addresses.bill);
    expect(b.sim.bill.escrow).toBe(1); // still held, not stacked
    expect(b.journal.position('tx-change').escrowYen).toBe(1000);
    const r = await s.commit();
    expect(r).toEqual({ requestedYen: 650, paidYen: 650, paid: { 100: 6, 10: 5 }, shortYen: 0 });
    expect(b.sim.bill.cashBox).toEqual({ 1000: 1 });
    expect(b.cash.levels()).toEqual([
      { yen: 100, count: 94 },
      { yen: 10, count: 95 },
    ]);
    expectReconciled(b, 'tx-change', 350);
  });

  it('refuses a bill up front when the hoppers cannot make its change, and says so', async () => {
    const b = await open({
      hoppers: [
        { yen: 100, address: 3, coins: 2 },
        { yen: 10, address: 4, coins: 5 },
      ],
    });
    expect(b.cash.canMakeChange(800)).toBe(false);
    const s = await b.cash.startPayment(200, 'tx-nochange');
    const ev = record(s);
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().includes(1000));
    b.sim.insertBill(1000);
    await waitFor(b.sim, 'refused', () => ev.some((e) => e.type === 'refusedNoChange'));
    // The screen can say what works instead: coins whose change (or refund) the hoppers can pay.
    expect(ev.find((e) => e.type === 'refusedNoChange')).toEqual({
      type: 'refusedNoChange',
      yen: 1000,
      works: [10, 50, 100],
    });
    await waitFor(b.sim, 'bill handed back', () => b.sim.bill.returned.length === 1);
    expect(s.insertedYen()).toBe(0);
    // ¥500 would need ¥300 change from 2×¥100 + 5×¥10: inhibited; ¥100 coins still welcome.
    expect(b.sim.coin.enabledYen()).toEqual([10, 50, 100]);
    b.sim.insertCoin(100);
    b.sim.insertCoin(100);
    await waitFor(b.sim, 'paid', () => ev.some((e) => e.type === 'paid'));
    await s.commit();
    expectReconciled(b, 'tx-nochange', 200);
  });

  it('cancels: returns the escrowed bill and refunds coins from the hoppers', async () => {
    const b = await open();
    const s = await b.cash.startPayment(1500, 'tx-cancel');
    await waitFor(b.sim, 'coins enabled', () => b.sim.coin.enabledYen().length > 0);
    b.sim.insertCoin(500);
    await waitFor(b.sim, 'coin', () => s.insertedYen() === 500);
    b.sim.insertBill(1000);
    await waitFor(b.sim, 'bill in escrow', () => s.insertedYen() === 1500);
    const r = await s.cancel();
    expect(r).toEqual({ requestedYen: 1500, paidYen: 1500, paid: { 1000: 1, 100: 5 }, shortYen: 0 });
    expect(b.sim.bill.returned).toEqual([1000]);
    expect(b.sim.bill.cashBox).toEqual({});
    expectReconciled(b, 'tx-cancel', 0);
  });

  it('stacks a bill that does not complete the payment, and refunds it in coins on cancel', async () => {
    const b = await open();
    const s = await b.cash.startPayment(2500, 'tx-two-bills');
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().length > 0);
    b.sim.insertBill(1000);
    await waitFor(b.sim, 'stacked and credited', () => s.insertedYen() === 1000);
    expect(b.sim.bill.cashBox).toEqual({ 1000: 1 });
    expect(b.sim.bill.escrow).toBeNull();
    const r = await s.cancel();
    expect(r.paid).toEqual({ 100: 10 });
    expectReconciled(b, 'tx-two-bills', 0);
  });

  it('a hopper running dry mid-change: the smaller hopper steps in, the rest is an IOU', async () => {
    const b = await open();
    const s = await b.cash.startPayment(200, 'tx-dry');
    const ev = record(s);
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().length > 0);
    b.sim.insertBill(1000);
    await waitFor(b.sim, 'paid', () => ev.some((e) => e.type === 'paid'));
    // The host counted 100 coins in each; the hoppers really hold fewer.
    b.sim.hopper(100).coins = 3;
    b.sim.hopper(10).coins = 20;
    const r = await s.commit();
    expect(r).toEqual({ requestedYen: 800, paidYen: 500, paid: { 100: 3, 10: 20 }, shortYen: 300 });
    expect(ev.at(-1)).toEqual({ type: 'fault', device: 'hopper', kind: 'payoutShort' });
    const hoppers = b.cash.status().filter((d) => d.kind === 'hopper');
    expect(hoppers.map((h) => h.media.coins)).toEqual(['empty', 'empty']);
    expect(b.cash.canMakeChange(10)).toBe(false);
    // Kept ¥500 = ¥200 due + ¥300 owed on the IOU: nothing lost silently.
    expectReconciled(b, 'tx-dry', 500);
    const failed = b.journal.entries.filter((e) => e.kind === 'change' && e.outcome && !e.outcome.ok);
    expect(failed.map((e) => [e.device, e.count, e.outcome!.count])).toEqual([
      ['hopper.100', 8, 3],
      ['hopper.10', 50, 20],
    ]);
  });

  it('a bill jam in the transport faults the validator and credits nothing', async () => {
    const b = await open();
    const s = await b.cash.startPayment(1000, 'tx-jam');
    const ev = record(s);
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().length > 0);
    b.sim.bill.jamInTransport();
    await waitFor(b.sim, 'jam fault', () => ev.some((e) => e.type === 'fault' && e.kind === 'jam'));
    expect(s.insertedYen()).toBe(0);
    expect(b.cash.status().find((d) => d.id === 'billValidator')!.state).toBe('hardwareError');
    await waitFor(b.sim, 'bills inhibited', () => b.sim.bill.enabledYen().length === 0);
    await s.cancel();
    expectReconciled(b, 'tx-jam', 0);
  });

  it('a bill that jams on its way back at cancel is owed, not lost', async () => {
    const b = await open();
    const s = await b.cash.startPayment(700, 'tx-jam-return');
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().length > 0);
    b.sim.insertBill(1000);
    await waitFor(b.sim, 'escrow', () => s.insertedYen() === 1000);
    b.sim.jam('bill');
    const r = await s.cancel();
    expect(r.shortYen).toBe(1000);
    expect(r.paidYen).toBe(0);
    const ret = b.journal.entries.find((e) => e.kind === 'return' && e.transactionId === 'tx-jam-return')!;
    expect(ret.outcome).toMatchObject({ ok: false, count: 0 });
  });

  it('garbage and corrupted frames on the line: typed errors, retries, every coin credited once', async () => {
    const b = await open();
    const s = await b.cash.startPayment(1000, 'tx-noise');
    await waitFor(b.sim, 'coins enabled', () => b.sim.coin.enabledYen().length === 4);
    for (let i = 0; i < 5; i++) {
      // Noise costs at most two attempts of an exchange; the third gets through. Garbage ahead of one
      // reply (its bogus length swallows the reply: a timeout), then a flipped bit in a later one.
      b.sim.bus.injectGarbage([0x00, 0xff, 0x13, 0x37]);
      await answeredPolls(b.sim, 1);
      b.sim.bus.corruptNextReplies(1);
      expect(b.sim.insertCoin(100)).toBe('credited');
      await waitFor(b.sim, `coin ${i + 1} credited`, () => s.insertedYen() === 100 * (i + 1), 5000);
    }
    await answeredPolls(b.sim, 5, b.config.addresses.coin); // more polls: no coin credited twice
    expect(s.insertedYen()).toBe(500);
    expect(b.cash.bus.counters.corrupted).toBeGreaterThan(0);
    expect(b.cash.bus.counters.retries).toBeGreaterThan(0);
    await s.cancel();
    expectReconciled(b, 'tx-noise', 0);
  });

  it('a coin acceptor reset mid-session is re-enabled and keeps counting', async () => {
    const b = await open();
    const s = await b.cash.startPayment(300, 'tx-reset');
    const ev = record(s);
    await waitFor(b.sim, 'coins enabled', () => b.sim.coin.enabledYen().length > 0);
    b.sim.insertCoin(100);
    await waitFor(b.sim, 'credit', () => s.insertedYen() === 100);
    b.sim.powerOff('coin');
    await waitFor(
      b.sim,
      'offline',
      () => b.cash.status().find((d) => d.id === 'coinAcceptor')!.state === 'offline',
    );
    await waitFor(b.sim, 'offline fault', () => ev.some((e) => e.type === 'fault' && e.kind === 'offline'));
    b.sim.powerOn('coin'); // power-up: counter 0, everything inhibited
    await waitFor(
      b.sim,
      'reset seen',
      () => b.cash.status().find((d) => d.id === 'coinAcceptor')!.lastError?.kind === 'reset',
    );
    await waitFor(b.sim, 're-enabled', () => b.sim.coin.enabledYen().length > 0);
    b.sim.insertCoin(100);
    b.sim.insertCoin(100);
    await waitFor(b.sim, 'paid', () => ev.some((e) => e.type === 'paid'));
    expect(s.insertedYen()).toBe(300);
    await s.commit();
    expectReconciled(b, 'tx-reset', 300);
  });

  it('a bill validator reset hands back its escrowed bill, and the session knows', async () => {
    const b = await open();
    const s = await b.cash.startPayment(800, 'tx-bill-reset');
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().length > 0);
    b.sim.insertBill(1000);
    await waitFor(b.sim, 'escrow', () => s.insertedYen() === 1000);
    b.sim.powerOff('bill');
    b.sim.powerOn('bill');
    await waitFor(b.sim, 'escrow gone', () => s.insertedYen() === 0);
    expect(b.sim.bill.returned).toEqual([1000]);
    await expect(s.commit()).rejects.toThrow(/cannot commit/);
    await s.cancel();
    expectReconciled(b, 'tx-bill-reset', 0);
  });

  it('event counters wrap 255 → 1 without losing or doubling a coin', async () => {
    const b = await open();
    // Drive the counter to 253 the honest way: refused coins while idle, read between batches.
    for (let i = 0; i < 51; i++) {
      for (let k = 0; k < (i < 50 ? 5 : 3); k++) expect(b.sim.insertCoin(100)).toBe('inhibited');
      await b.cash.pollOnce();
    }
    expect(b.sim.coin.events.counter).toBe(253);
    expect(b.cash.status().find((d) => d.id === 'coinAcceptor')!.state).toBe('online');
    const s = await b.cash.startPayment(1000, 'tx-wrap');
    await waitFor(b.sim, 'coins enabled', () => b.sim.coin.enabledYen().length > 0);
    for (let i = 0; i < 4; i++) {
      b.sim.insertCoin(10);
      await waitFor(b.sim, `coin ${i + 1} read`, () => s.insertedYen() === 10 * (i + 1));
    }
    b.sim.insertCoin(50);
    b.sim.insertCoin(50);
    await waitFor(b.sim, 'six coins', () => s.insertedYen() === 140);
    expect(b.sim.coin.events.counter).toBe(4); // 254, 255, 1, 2, 3, 4
    await s.cancel();
    expectReconciled(b, 'tx-wrap', 0);
  });

  it('a counter jump of more than 5 is lost events: a fault, never a credit', async () => {
    const b = await open();
    const s = await b.cash.startPayment(1000, 'tx-lost');
    const ev = record(s);
    await waitFor(b.sim, 'coins enabled', () => b.sim.coin.enabledYen().length > 0);
    for (let i = 0; i < 7; i++) b.sim.insertCoin(100); // between two polls
    await waitFor(b.sim, 'lost events', () => ev.some((e) => e.type === 'fault' && e.kind === 'lostEvents'));
    expect(s.insertedYen()).toBe(0);
    expect(b.cash.status().find((d) => d.id === 'coinAcceptor')!.state).toBe('hardwareError');
    await waitFor(b.sim, 'coins inhibited', () => b.sim.coin.enabledYen().length === 0);
  });
});
