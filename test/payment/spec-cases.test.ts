// Cash devices as the ccTalk generic specification lets them behave, each case run over a socat pty
// pair against the simulated devices: the validator's operating mode, route failures and escrow
// timeouts, power cycles, hopper jams, empty hoppers and level sensors. Each case checks the device
// traffic and the journal rows that docs/cash.md lists for it.
import { afterEach, describe, expect, it } from 'vitest';
import { startPtyCashBay, type PtyCashBay } from '../../fixtures/cash/bay.js';
import { Header } from '../../drivers/payment/protocol.js';
import type { CashSimulator } from '../../drivers/payment/simulator/index.js';
import { answeredPolls, record, waitFor } from './helpers.js';

let bay: PtyCashBay | null = null;
afterEach(async () => {
  await bay?.close();
  bay = null;
});

async function open(over: Record<string, unknown> = {}, prepare?: (sim: CashSimulator) => void) {
  bay = await startPtyCashBay(over, undefined, prepare);
  return bay;
}

/** Headers sent to one address since `from` (an index into the simulator's traffic log). */
const headersTo = (b: PtyCashBay, address: number, from = 0) =>
  b.sim.bus.traffic
    .slice(from)
    .filter((t) => t.address === address)
    .map((t) => t.header);
/** Journal rows of a transaction as [kind, device, yen, count asked, count moved, ok]. */
const rows = (b: PtyCashBay, tx: string) =>
  b.journal.entries
    .filter((e) => e.transactionId === tx)
    .map((e) => [e.kind, e.device, e.yen, e.count, e.outcome?.count, e.outcome?.ok]);

function expectSettled(b: PtyCashBay, tx: string, keptYen: number) {
  const p = b.journal.position(tx);
  expect(p.open).toBe(0);
  expect(p.escrowYen).toBe(0);
  expect(b.journal.netYen(tx)).toBe(keptYen);
}

describe('bill validator operating mode', () => {
  it('is set (153) and read back (152) at start', async () => {
    const b = await open();
    expect(headersTo(b, 40)).toEqual(expect.arrayContaining([Header.modifyBillMode, Header.requestBillMode]));
    expect(b.sim.bill.operatingMode).toEqual({ stacker: true, escrow: true });
    expect(b.cash.billMode()).toEqual({ stacker: true, escrow: true });
  });

  it('after a reset mid-payment the mode is set again, acceptance restored, and the payment goes on', async () => {
    const b = await open();
    const s = await b.cash.startPayment(1500, 'tx-mode-reset');
    const ev = record(s);
    await waitFor(b.sim, 'coins enabled', () => b.sim.coin.enabledYen().length > 0);
    b.sim.insertCoin(500);
    await waitFor(b.sim, 'coin', () => s.insertedYen() === 500);
    await answeredPolls(b.sim, 3, b.config.addresses.bill); // the host re-enables after the coin, then the power dip
    const mark = b.sim.bus.traffic.length;
    b.sim.fault('bill', 'reset'); // power dip: escrow off (power-up mode), everything inhibited
    expect(b.sim.bill.operatingMode.escrow).toBe(false);
    await waitFor(b.sim, 'mode restored', () => b.sim.bill.operatingMode.escrow);
    await waitFor(b.sim, 'bills re-enabled', () => b.sim.bill.enabledYen().includes(1000));
    expect(headersTo(b, 40, mark)).toEqual(
      expect.arrayContaining([Header.modifyBillMode, Header.requestBillMode, Header.modifyInhibits]),
    );
    expect(b.sim.insertBill(1000)).toBe('escrowed');
    await waitFor(b.sim, 'paid', () => ev.some((e) => e.type === 'paid'));
    expect(ev.some((e) => e.type === 'fault')).toBe(false);
    await s.commit();
    expect(b.sim.bill.cashBox).toEqual({ 1000: 1 });
    expectSettled(b, 'tx-mode-reset', 1500);
  });
});

describe('a validator with escrow off (bills stacked at once, event [channel][0])', () => {
  it('credits the bill exactly once and journals it as accepted and stacked', async () => {
    const b = await open({}, (sim) => sim.fault('bill', 'noEscrow'));
    expect(b.cash.billMode()).toEqual({ stacker: true, escrow: false });
    const s = await b.cash.startPayment(700, 'tx-noescrow');
    const ev = record(s);
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().includes(1000));
    expect(b.sim.insertBill(1000)).toBe('stacked');
    await waitFor(b.sim, 'paid', () => ev.some((e) => e.type === 'paid'));
    await answeredPolls(b.sim, 5, b.config.addresses.bill); // more polls: the bill must not be credited again
    expect(s.insertedYen()).toBe(1000);
    expect(ev.filter((e) => e.type === 'credited')).toEqual([
      { type: 'credited', yen: 1000, totalYen: 1000 },
    ]);
    const r = await s.commit();
    expect(r).toEqual({ requestedYen: 300, paidYen: 300, paid: { 100: 3 }, shortYen: 0 });
    expect(headersTo(b, 40)).not.toContain(Header.billRoute);
    expect(rows(b, 'tx-noescrow')).toEqual([
      ['accept', 'bill', 1000, 1, 1, true],
      ['stack', 'bill', 1000, 1, 1, true],
      ['change', 'hopper.100', 100, 3, 3, true],
    ]);
    expectSettled(b, 'tx-noescrow', 700);
  });

  it('keeps a bill inhibited whose change the hoppers cannot pay (it could not be handed back)', async () => {
    const b = await open(
      {
        hoppers: [
          { yen: 100, address: 3, coins: 2 },
          { yen: 10, address: 4, coins: 5 },
        ],
      },
      (sim) => sim.fault('bill', 'noEscrow'),
    );
    const s = await b.cash.startPayment(200, 'tx-noescrow-nochange');
    await waitFor(b.sim, 'coins enabled', () => b.sim.coin.enabledYen().length > 0);
    expect(b.sim.bill.enabledYen()).toEqual([]);
    expect(b.sim.insertBill(1000)).toBe('inhibited');
    await s.cancel();
    expectSettled(b, 'tx-noescrow-nochange', 0);
  });
});

describe('route bill (154) failures', () => {
  it('"failed to route" (255) on stacking: the bill stays in escrow, never counted as taken', async () => {
    const b = await open();
    const s = await b.cash.startPayment(2500, 'tx-route-fail');
    const ev = record(s);
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().length > 0);
    b.sim.fault('bill', 'routeFail');
    b.sim.insertBill(1000);
    await waitFor(b.sim, 'escrowed', () => ev.some((e) => e.type === 'escrowed'));
    expect(b.sim.bill.escrow).toBe(1); // the device still holds it
    expect(b.sim.bill.cashBox).toEqual({});
    expect(s.insertedYen()).toBe(1000); // inserted, in escrow, not taken
    expect(b.journal.position('tx-route-fail').receivedYen).toBe(0);
    await waitFor(b.sim, 'bills inhibited (slot full)', () => b.sim.bill.enabledYen().length === 0);
    const r = await s.cancel();
    expect(r).toEqual({ requestedYen: 1000, paidYen: 1000, paid: { 1000: 1 }, shortYen: 0 });
    expect(b.sim.bill.returned).toEqual([1000]);
    expect(b.sim.paidOutYen()).toBe(0); // no coins paid for a bill that was never taken
    expect(rows(b, 'tx-route-fail')).toEqual([
      ['accept', 'bill', 1000, 1, 1, true],
      ['stack', 'bill', 1000, 1, 0, false],
      ['return', 'bill', 1000, 1, 1, true],
    ]);
    expectSettled(b, 'tx-route-fail', 0);
  });

  it('no answer to the stack command at commit: the device is asked (route 255), the bill stacked once, change paid once', async () => {
    const b = await open();
    const s = await b.cash.startPayment(700, 'tx-route-silent');
    const ev = record(s);
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().length > 0);
    b.sim.insertBill(1000);
    await waitFor(b.sim, 'paid', () => ev.some((e) => e.type === 'paid'));
    b.sim.fault('bill', 'routeSilent'); // the command is lost: the bill is still held
    const mark = b.sim.bus.traffic.length;
    const r = await s.commit();
    expect(r).toEqual({ requestedYen: 300, paidYen: 300, paid: { 100: 3 }, shortYen: 0 });
    expect(b.sim.bill.cashBox).toEqual({ 1000: 1 });
    const routes = b.sim.bus.traffic
      .slice(mark)
      .filter((t) => t.address === 40 && t.header === Header.billRoute)
      .map((t) => t.data[0]);
    expect(routes).toEqual([1, 255, 1]); // stack (lost), hold = "still in escrow?", stack again
    expect(rows(b, 'tx-route-silent').filter((x) => x[0] === 'stack')).toEqual([
      ['stack', 'bill', 1000, 1, 0, false],
      ['stack', 'bill', 1000, 1, 1, true],
    ]);
    expectSettled(b, 'tx-route-silent', 700);
  });

  it('the stack done but its reply lost: "escrow empty" and the stacked event settle it; never stacked or paid twice', async () => {
    const b = await open();
    const s = await b.cash.startPayment(700, 'tx-route-lost-reply');
    const ev = record(s);
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().length > 0);
    b.sim.insertBill(1000);
    await waitFor(b.sim, 'paid', () => ev.some((e) => e.type === 'paid'));
    b.sim.fault('bill', 'routeSilentDone');
    const r = await s.commit();
    expect(r.paidYen).toBe(300);
    // The stacked event is read after the commit: two more reads of the validator must not stack or pay again.
    await b.cash.pollOnce();
    await b.cash.pollOnce();
    expect(b.sim.bill.cashBox).toEqual({ 1000: 1 });
    expect(b.sim.paidOutYen()).toBe(300);
    expect(rows(b, 'tx-route-lost-reply').filter((x) => x[0] === 'stack')).toEqual([
      ['stack', 'bill', 1000, 1, 1, true],
    ]);
    expectSettled(b, 'tx-route-lost-reply', 700);
  });

  it('a stack that keeps failing at commit: the bill goes back, the fee is uncollected, no change is paid for it', async () => {
    const b = await open();
    const s = await b.cash.startPayment(700, 'tx-stack-fails');
    const ev = record(s);
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().length > 0);
    b.sim.insertBill(1000);
    await waitFor(b.sim, 'paid', () => ev.some((e) => e.type === 'paid'));
    b.sim.bill.routeFailuresLeft = 2;
    const r = await s.commit();
    expect(r).toEqual({ requestedYen: 0, paidYen: 0, paid: {}, shortYen: 0, uncollectedYen: 700 });
    expect(b.sim.bill.returned).toEqual([1000]);
    expect(b.sim.paidOutYen()).toBe(0);
    expect(ev).toContainEqual({ type: 'fault', device: 'bill', kind: 'stackFailed' });
    expect(rows(b, 'tx-stack-fails')).toEqual([
      ['accept', 'bill', 1000, 1, 1, true],
      ['stack', 'bill', 1000, 1, 0, false],
      ['stack', 'bill', 1000, 1, 0, false],
      ['return', 'bill', 1000, 1, 1, true],
    ]);
    expectSettled(b, 'tx-stack-fails', 0);
  });
});

describe('bills the validator returns by itself', () => {
  it('an escrow timeout during the payment: journaled, no longer counted, the payment goes on', async () => {
    const b = await open();
    const s = await b.cash.startPayment(800, 'tx-escrow-timeout');
    const ev = record(s);
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().length > 0);
    b.sim.insertBill(1000);
    await waitFor(b.sim, 'paid', () => ev.some((e) => e.type === 'paid'));
    b.sim.fault('bill', 'escrowTimeout');
    await waitFor(b.sim, 'returned', () => ev.some((e) => e.type === 'returned'));
    expect(ev.find((e) => e.type === 'returned')).toEqual({ type: 'returned', yen: 1000, totalYen: 0 });
    expect(s.insertedYen()).toBe(0);
    await expect(s.commit()).rejects.toThrow(/cannot commit/);
    await waitFor(b.sim, 'coins enabled', () => b.sim.coin.enabledYen().includes(500));
    b.sim.insertCoin(500);
    await waitFor(b.sim, 'coin', () => s.insertedYen() === 500);
    b.sim.insertCoin(100);
    b.sim.insertCoin(100);
    b.sim.insertCoin(100);
    await waitFor(b.sim, 'paid again', () => s.insertedYen() === 800);
    await s.commit();
    expect(rows(b, 'tx-escrow-timeout').slice(0, 2)).toEqual([
      ['accept', 'bill', 1000, 1, 1, true],
      ['return', 'bill', 1000, 1, 1, true],
    ]);
    expectSettled(b, 'tx-escrow-timeout', 800);
  });

  it('a bill left in escrow after its payment ended is journaled against that payment when the validator returns it', async () => {
    const b = await open();
    const s = await b.cash.startPayment(700, 'tx-late-return');
    const ev = record(s);
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().length > 0);
    b.sim.insertBill(1000);
    await waitFor(b.sim, 'paid', () => ev.some((e) => e.type === 'paid'));
    b.sim.bill.routeFailuresLeft = 2; // cancel: return fails twice, the bill stays held
    const r = await s.cancel();
    expect(r).toEqual({ requestedYen: 1000, paidYen: 0, paid: {}, shortYen: 1000 });
    expect(b.sim.bill.escrow).toBe(1);
    expect(b.cash.status().find((d) => d.id === 'billValidator')!.lastError?.kind).toBe('escrowStuck');
    b.sim.fault('bill', 'escrowTimeout'); // later, the validator gives it back by itself
    await waitFor(
      b.sim,
      'late return journaled',
      () => rows(b, 'tx-late-return').filter((x) => x[0] === 'return' && x[5] === true).length === 1,
    );
    expect(rows(b, 'tx-late-return')).toEqual([
      ['accept', 'bill', 1000, 1, 1, true],
      ['return', 'bill', 1000, 1, 0, false],
      ['return', 'bill', 1000, 1, 0, false],
      ['iou', 'kiosk', 1000, 1, 1, true],
      ['return', 'bill', 1000, 1, 1, true],
    ]);
    expect(b.journal.position('tx-late-return').escrowYen).toBe(0);
  });

  it('a power cycle returns the held bill; the host learns it by asking (route 255 → escrow empty)', async () => {
    const b = await open();
    const s = await b.cash.startPayment(800, 'tx-power-cycle');
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().length > 0);
    b.sim.insertBill(1000);
    await waitFor(b.sim, 'escrow', () => s.insertedYen() === 1000);
    const mark = b.sim.bus.traffic.length;
    b.sim.fault('bill', 'reset');
    await waitFor(b.sim, 'escrow gone', () => s.insertedYen() === 0);
    expect(
      b.sim.bus.traffic
        .slice(mark)
        .some((t) => t.address === 40 && t.header === Header.billRoute && t.data[0] === 255),
    ).toBe(true);
    await s.cancel();
    expect(rows(b, 'tx-power-cycle')).toEqual([
      ['accept', 'bill', 1000, 1, 1, true],
      ['return', 'bill', 1000, 1, 1, true],
    ]);
    expectSettled(b, 'tx-power-cycle', 0);
  });
});

describe('hoppers', () => {
  it('are tested (163), counted (166) and their level sensors read (217) at start, before each payment and after each payout, and disabled after paying', async () => {
    const b = await open();
    for (const a of [3, 4])
      expect(headersTo(b, a)).toEqual(
        expect.arrayContaining([Header.hopperTest, Header.hopperStatus, Header.payoutLevelStatus]),
      );
    let mark = b.sim.bus.traffic.length;
    const s = await b.cash.startPayment(350, 'tx-hopper-reads');
    for (const a of [3, 4])
      expect(headersTo(b, a, mark)).toEqual([
        Header.hopperTest,
        Header.payoutLevelStatus,
        Header.hopperStatus,
      ]);
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().length > 0);
    b.sim.insertBill(1000);
    await waitFor(b.sim, 'escrow', () => s.insertedYen() === 1000);
    mark = b.sim.bus.traffic.length;
    await s.commit();
    const to3 = headersTo(b, 3, mark);
    expect(to3[0]).toBe(Header.hopperEnable);
    const afterPay = to3.slice(to3.lastIndexOf(Header.hopperEnable) - 0);
    expect(afterPay).toEqual([
      Header.hopperEnable,
      Header.hopperTest,
      Header.payoutLevelStatus,
      Header.hopperStatus,
    ]);
    expect(
      b.sim.bus.traffic
        .slice(mark)
        .filter((t) => t.address === 3 && t.header === Header.hopperEnable)
        .map((t) => t.data[0]),
    ).toEqual([0xa5, 0]);
    expect(b.sim.hopper(100).enabled).toBe(false);
    expect(b.sim.hopper(10).enabled).toBe(false);
  });

  it('a jam mid-payout: paid coins journaled, the rest from the other hopper; recovered by reset, test, counters; nothing paid twice', async () => {
    const b = await open();
    const s = await b.cash.startPayment(200, 'tx-jam');
    const ev = record(s);
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().length > 0);
    b.sim.insertBill(1000);
    await waitFor(b.sim, 'paid', () => ev.some((e) => e.type === 'paid'));
    b.sim.hopper(100).jamAfterCoins = 3;
    const r = await s.commit();
    expect(r).toEqual({ requestedYen: 800, paidYen: 800, paid: { 100: 3, 10: 50 }, shortYen: 0 });
    expect(rows(b, 'tx-jam').filter((x) => x[0] === 'change')).toEqual([
      ['change', 'hopper.100', 100, 8, 3, false],
      ['change', 'hopper.10', 10, 50, 50, true],
    ]);
    const h = b.cash.hoppers().find((x) => x.yen === 100)!;
    expect(h).toMatchObject({ condition: 'jammed', count: 97, usable: 0 });
    expect(b.cash.status().find((d) => d.id === 'hopper.100')).toMatchObject({
      state: 'hardwareError',
      media: { coins: 'jammed' },
    });
    // A technician takes the stuck coin out; the host runs the recovery sequence.
    b.sim.hopper(100).clearJam();
    const dispenses = b.sim.hopper(100).dispenses;
    const mark = b.sim.bus.traffic.length;
    const after = await b.cash.recoverHopper(100);
    expect(headersTo(b, 3, mark)).toEqual([
      Header.hopperStatus,
      Header.reset,
      Header.hopperEnable,
      Header.hopperTest,
      Header.hopperStatus,
      Header.hopperEnable,
      Header.payoutLevelStatus,
    ]);
    expect(after).toMatchObject({ condition: 'ok', count: 97 });
    expect(b.sim.hopper(100).dispenses).toBe(dispenses);
    expect(b.sim.hopper(100).paidOut).toBe(3);
    expect(b.cash.canMakeChange(500)).toBe(true);
    expectSettled(b, 'tx-jam', 200);
  });

  it('empty (payout timeout), jammed (opto blocked) and disabled (will not enable) are told apart', async () => {
    const b = await open();
    b.sim.hopper(100).coins = 2; // the host still counts 100
    const r1 = await b.cash.payout(500, 'tx-empty');
    expect(r1).toEqual({ requestedYen: 500, paidYen: 500, paid: { 100: 2, 10: 30 }, shortYen: 0 });
    expect(b.cash.hoppers().find((x) => x.yen === 100)).toMatchObject({ condition: 'empty', count: 0 });
    expect(b.cash.status().find((d) => d.id === 'hopper.100')!.media.coins).toBe('empty');

    b.sim.hopper(10).jammed = true;
    await b.cash.payout(10, 'tx-jammed');
    expect(b.cash.hoppers().find((x) => x.yen === 10)).toMatchObject({ condition: 'jammed' });

    b.sim.hopper(100).coins = 50;
    b.sim.fault('hopper.100', 'inhibit');
    // Technician refill: the recovery (reset, enable, test, counters) clears the latched "empty",
    // but the hopper still will not enable: disabled, not empty, not jammed.
    await b.cash.recoverHopper(100);
    b.cash.setHopperLevel(100, 50);
    expect(b.cash.hoppers().find((x) => x.yen === 100)).toMatchObject({
      condition: 'disabled',
      count: 50,
      usable: 0,
    });
    expect(b.cash.canMakeChange(100)).toBe(false);
    b.sim.fault('hopper.100', 'uninhibit');
    expect(await b.cash.recoverHopper(100)).toMatchObject({ condition: 'ok', usable: 50 });
    const r3 = await b.cash.payout(100, 'tx-after');
    expect(r3).toEqual({ requestedYen: 100, paidYen: 100, paid: { 100: 1 }, shortYen: 0 });
  });

  it('level sensors: a low ¥100 hopper the host counts as full refuses a ¥1000 bill up front and says what works', async () => {
    const b = await open({
      hoppers: [
        { yen: 100, address: 3, coins: 100 },
        { yen: 10, address: 4, coins: 20 },
      ],
    });
    b.sim.hopper(100).coins = 4; // really 4 left: the low sensor (10) has tripped; the host still counts 100
    const s = await b.cash.startPayment(200, 'tx-low');
    const ev = record(s);
    expect(b.cash.hoppers().find((x) => x.yen === 100)).toMatchObject({
      sensors: { low: true },
      count: 100,
      usable: 0,
    });
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().length > 0);
    b.sim.insertBill(1000);
    await waitFor(b.sim, 'refused', () => ev.some((e) => e.type === 'refusedNoChange'));
    // ¥800 change cannot be promised; coins up to the fee need none, ¥500 would need ¥300 (20 × ¥10 = ¥200).
    expect(ev.find((e) => e.type === 'refusedNoChange')).toEqual({
      type: 'refusedNoChange',
      yen: 1000,
      works: [10, 50, 100],
    });
    await waitFor(b.sim, 'bill handed back', () => b.sim.bill.returned.length === 1);
    expect(b.sim.paidOutYen()).toBe(0);
    await s.cancel();
    expect(rows(b, 'tx-low')).toEqual([
      ['accept', 'bill', 1000, 1, 1, true],
      ['return', 'bill', 1000, 1, 1, true],
    ]);
    expectSettled(b, 'tx-low', 0);
  });

  it('a ¥500 coin inhibited for want of change comes back with the reason and what works on screen', async () => {
    const b = await open({
      hoppers: [
        { yen: 100, address: 3, coins: 2 },
        { yen: 10, address: 4, coins: 5 },
      ],
    });
    // ¥300 change for ¥500 against a ¥200 fee: 2 × ¥100 + 5 × ¥10 = ¥250 cannot pay it.
    const s = await b.cash.startPayment(200, 'tx-coin-no-change');
    const ev = record(s);
    await waitFor(b.sim, 'coins enabled', () => b.sim.coin.enabledYen().includes(100));
    expect(b.sim.coin.enabledYen()).not.toContain(500);
    expect(b.sim.insertCoin(500)).toBe('inhibited');
    await waitFor(b.sim, 'refused', () => ev.some((e) => e.type === 'refusedNoChange'));
    expect(ev.find((e) => e.type === 'refusedNoChange')).toEqual({
      type: 'refusedNoChange',
      yen: 500,
      works: [10, 50, 100],
    });
    expect(s.insertedYen()).toBe(0);
    await s.cancel();
    expect(rows(b, 'tx-coin-no-change')).toEqual([]);
    expectSettled(b, 'tx-coin-no-change', 0);
  });

  it('a short payout: the IOU is exactly the unpaid amount, journaled, and the kiosk owes no more', async () => {
    const b = await open();
    const s = await b.cash.startPayment(200, 'tx-short');
    const ev = record(s);
    await waitFor(b.sim, 'bills enabled', () => b.sim.bill.enabledYen().length > 0);
    b.sim.insertBill(1000);
    await waitFor(b.sim, 'paid', () => ev.some((e) => e.type === 'paid'));
    b.sim.hopper(100).coins = 5;
    b.sim.hopper(10).coins = 12;
    const r = await s.commit();
    expect(r).toEqual({ requestedYen: 800, paidYen: 620, paid: { 100: 5, 10: 12 }, shortYen: 180 });
    expect(b.sim.paidOutYen()).toBe(620);
    expect(rows(b, 'tx-short').filter((x) => x[0] === 'iou')).toEqual([['iou', 'kiosk', 180, 1, 1, true]]);
    expect(b.journal.position('tx-short').owedYen).toBe(180);
    expect(ev.at(-1)).toEqual({ type: 'fault', device: 'hopper', kind: 'payoutShort' });
  });
});
