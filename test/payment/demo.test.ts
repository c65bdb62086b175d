// Embedded demo mode: the same ccTalk driver against the same simulators over an in-memory line,
// driven through the control API the demo panel uses.
import { afterEach, describe, expect, it } from 'vitest';
import { CashSection } from '../../src/config/sections/cash.js';
import { silentLogger } from '../../src/log/logger.js';
import { MemoryCashJournal } from '../../src/payment/cash-journal.js';
import { createCashPort, type CashAdapter } from '../../src/payment/cash-port.js';
import { CashSimulator } from '../../drivers/payment/simulator/index.js';
import { memoryTransportPair } from '../../drivers/payment/transports.js';
import { record, waitFor } from './helpers.js';

const opened: CashAdapter[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
});

async function demo(over: Record<string, unknown> = {}) {
  const journal = new MemoryCashJournal();
  const cash = await createCashPort(CashSection.parse({ pollIntervalMs: 20, ...over }), {
    log: silentLogger,
    journal,
  });
  opened.push(cash);
  return { cash, journal, ctl: cash.simulator! };
}

describe('demo cash bay (driver "simulator")', () => {
  it('pays with the control API and reconciles', async () => {
    const { cash, journal, ctl } = await demo();
    expect(ctl).not.toBeNull();
    const s = await cash.startPayment(300, 'demo-1');
    const ev = record(s);
    await waitFor(ctl.raw, 'enabled', () => ctl.raw.coin.enabledYen().length > 0);
    expect(ctl.insertCoin(500)).toBe('credited');
    await waitFor(ctl.raw, 'paid', () => ev.some((e) => e.type === 'paid'));
    const r = await s.commit();
    expect(r.paid).toEqual({ 100: 2 });
    expect(journal.netYen('demo-1')).toBe(300);
    expect(journal.position().open).toBe(0);
    expect(cash.status().map((d) => `${d.id}:${d.state}`)).toEqual([
      'coinAcceptor:online',
      'billValidator:online',
      'hopper.100:online',
      'hopper.10:online',
    ]);
  });

  it('cash box full: the validator stops taking bills and the status says so', async () => {
    const { cash, ctl } = await demo();
    const s = await cash.startPayment(1000, 'demo-full');
    const ev = record(s);
    await waitFor(ctl.raw, 'bills on', () => ctl.raw.bill.enabledYen().length > 0);
    ctl.cashBoxFull();
    await waitFor(ctl.raw, 'fault', () => ev.some((e) => e.type === 'fault' && e.kind === 'cashBoxFull'));
    await waitFor(ctl.raw, 'bills off', () => ctl.raw.bill.enabledYen().length === 0);
    expect(cash.status().find((d) => d.id === 'billValidator')!.media.cashBox).toBe('full');
    expect(ctl.insertBill(1000)).toBe('inhibited');
    await s.cancel();
  });

  it('a coin on a string is a fraud fault, never a credit', async () => {
    const { cash, ctl } = await demo();
    const s = await cash.startPayment(500, 'demo-fraud');
    const ev = record(s);
    ctl.raw.coin.stringFraud();
    await waitFor(ctl.raw, 'fraud', () => ev.some((e) => e.type === 'fault' && e.kind === 'fraud'));
    expect(s.insertedYen()).toBe(0);
    await s.cancel();
  });

  it('a powered-off hopper is left out of change planning; payout uses the other', async () => {
    const { cash, ctl, journal } = await demo({ replyTimeoutMs: 30, retries: 0 });
    ctl.powerOff('hopper.100');
    ctl.emptyHopper(10);
    const r = await cash.payout(200, 'demo-payout');
    // ¥100 hopper silent: its dispense is owed; the empty ¥10 hopper pays nothing
    expect(r.paidYen).toBe(0);
    expect(r.shortYen).toBe(200);
    expect(journal.position('demo-payout').open).toBe(0);
    expect(cash.canMakeChange(100)).toBe(false);
    expect(cash.status().find((d) => d.id === 'hopper.100')).toMatchObject({
      state: 'offline',
      lastError: { kind: 'timeout' },
    });
    ctl.powerOn('hopper.100');
    await cash.pollOnce();
    expect(cash.status().find((d) => d.id === 'hopper.100')!.state).toBe('online');
    expect(cash.canMakeChange(100)).toBe(false); // its count is unknown until a technician counts it
    cash.setHopperLevel(100, 50);
    expect(cash.canMakeChange(100)).toBe(true);
    const again = await cash.payout(200, 'demo-payout-2');
    expect(again).toEqual({ requestedYen: 200, paidYen: 200, paid: { 100: 2 }, shortYen: 0 });
  });

  it('a device at the wrong address is caught at start', async () => {
    const [host, line] = memoryTransportPair();
    const sim = new CashSimulator(line, {
      addresses: { coin: 2, bill: 40 },
      hoppers: [{ yen: 100, address: 3 }],
    });
    // The kiosk is configured with the coin acceptor at 3, where the hopper really is.
    const cash = await createCashPort(
      CashSection.parse({ addresses: { coin: 3 }, hoppers: [{ yen: 100, address: 5 }] }),
      { log: silentLogger, journal: new MemoryCashJournal(), transport: host },
    );
    opened.push(cash);
    expect(cash.simulator).toBeNull();
    sim.close();
    expect(cash.status().find((d) => d.id === 'coinAcceptor')).toMatchObject({
      state: 'hardwareError',
      lastError: { kind: 'wrongDevice' },
    });
  });

  it('refuses a second open payment and a bad amount', async () => {
    const { cash } = await demo();
    await cash.startPayment(100, 'a');
    await expect(cash.startPayment(100, 'b')).rejects.toThrow(/already open/);
    const other = await demo();
    await expect(other.cash.startPayment(105, 'c')).rejects.toThrow(/bad amount/);
  });

  it('driver "cctalk" with a missing port fails fast with a typed error', async () => {
    const journal = new MemoryCashJournal();
    await expect(
      createCashPort(CashSection.parse({ driver: 'cctalk', port: '/nonexistent/ttyCCTALK' }), {
        log: silentLogger,
        journal,
      }),
    ).rejects.toMatchObject({
      name: 'CcTalkError',
      kind: 'closed',
    });
  });
});
