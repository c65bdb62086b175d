// The engine's CashPort over ccTalk: opens the line (serial port, pty or the embedded simulator),
// polls the acceptors, runs payment sessions, pays change and refunds from the hoppers, and keeps
// an XFS-like status per device. Every movement is journaled before and after it happens.
import type { Logger } from 'pino';
import type { CashPort, Denomination, PayoutResult } from '../core/ports.js';
import type { CashConfig } from '../config/sections/cash.js';
import { deviceError, type DeviceKind, type DeviceStatus } from '../../drivers/common/status.js';
import { CcTalkBus } from '../../drivers/payment/bus.js';
import { CcTalkBillValidator, CcTalkCoinAcceptor } from '../../drivers/payment/acceptors.js';
import { CcTalkHopper } from '../../drivers/payment/hopper.js';
import { CcTalkError } from '../../drivers/payment/errors.js';
import type { AcceptorEvent, ByteTransport } from '../../drivers/payment/interface.js';
import { memoryTransportPair, openSerialTransport } from '../../drivers/payment/transports.js';
import { CashSimulator, type CashSimControl } from '../../drivers/payment/simulator/index.js';
import type { CashJournal } from './cash-journal.js';
import { planChange, planPartial, type HopperLevel } from './change.js';
import { CashSession, type SessionBay } from './session.js';

export interface CashPortDeps {
  log: Logger;
  journal: CashJournal;
  /** Overrides the transport chosen by config.driver (tests). */
  transport?: ByteTransport;
}

export interface CashAdapter extends CashPort {
  /** The embedded simulator's controls (driver "simulator" only): the demo panel drives these. */
  readonly simulator: (CashSimControl & { raw: CashSimulator }) | null;
  /** Coins the host believes each hopper holds. */
  levels(): HopperLevel[];
  /** A technician refilled or counted a hopper. */
  setHopperLevel(yen: number, count: number): void;
  /** Reads the acceptors once now (tests and benches; the poll loop does this on its own). */
  pollOnce(): Promise<void>;
  /** Events straight from the devices, before any session sees them (bench, technician console). */
  onDeviceEvent(listener: (e: AcceptorEvent) => void): () => void;
  readonly bus: CcTalkBus;
  close(): Promise<void>;
}

const IDLE_POLL_MS = 1000;

function freshStatus(id: string, kind: DeviceKind, media: Record<string, string> = {}): DeviceStatus {
  return { id, kind, state: 'online', media, counters: {}, lastError: null };
}

export async function createCashPort(config: CashConfig, deps: CashPortDeps): Promise<CashAdapter> {
  const { log, journal } = deps;
  let sim: CashSimulator | null = null;
  let transport = deps.transport;
  if (!transport) {
    if (config.driver === 'cctalk') transport = await openSerialTransport(config.port, config.baudRate);
    else {
      const [host, line] = memoryTransportPair();
      sim = new CashSimulator(line, {
        addresses: config.addresses,
        hoppers: config.hoppers,
        crc16Addresses: config.crc16Addresses,
        echo: config.simulator.echo,
        coinIntervalMs: config.simulator.coinIntervalMs,
      });
      transport = host;
    }
  }
  const bus = new CcTalkBus(transport, {
    replyTimeoutMs: config.replyTimeoutMs,
    retries: config.retries,
    checksumFor: (a) => (config.crc16Addresses.includes(a) ? 'crc16' : 'simple'),
    log,
  });
  const coin = new CcTalkCoinAcceptor(bus, config.addresses.coin);
  const bill = new CcTalkBillValidator(bus, config.addresses.bill);
  const hoppers = [...config.hoppers]
    .sort((a, b) => b.yen - a.yen)
    .map((h) => ({ driver: new CcTalkHopper(bus, h.address, h.yen, { statusIntervalMs: Math.min(20, config.pollIntervalMs) }), count: h.coins, failed: false }));

  const status = {
    coin: freshStatus('coinAcceptor', 'coinAcceptor', { cashBox: 'ok' }),
    bill: freshStatus('billValidator', 'billValidator', { cashBox: 'ok' }),
    hoppers: new Map(hoppers.map((h) => [h.driver.yen, freshStatus(`hopper.${h.driver.yen}`, 'hopper', { coins: 'ok' })])),
  };
  const acceptance = { coin: [] as number[], bill: [] as number[] };
  const deviceListeners = new Set<(e: AcceptorEvent) => void>();
  let session: CashSession | null = null;
  let closed = false;

  const hopperMedia = (h: (typeof hoppers)[number]) => {
    const s = status.hoppers.get(h.driver.yen)!;
    s.media.coins = h.count === 0 || h.failed ? 'empty' : h.count <= 10 ? 'low' : 'ok';
    s.counters.coins = h.count;
  };
  hoppers.forEach(hopperMedia);

  const usableLevels = (): HopperLevel[] =>
    hoppers.filter((h) => !h.failed && status.hoppers.get(h.driver.yen)!.state === 'online').map((h) => ({ yen: h.driver.yen, count: h.count }));
  const canMakeChange = (yen: number) => planChange(yen, usableLevels()) !== null;

  const fault = (s: DeviceStatus, state: DeviceStatus['state'], kind: string, message: string) => {
    s.state = state;
    s.lastError = deviceError(kind, message);
    log.warn({ device: s.id, kind }, message);
  };

  /** What the session wants accepted; applied to each acceptor only while it is healthy. */
  async function applyAcceptance(dev: 'coin' | 'bill'): Promise<void> {
    const s = dev === 'coin' ? status.coin : status.bill;
    const healthy = s.state === 'online' && s.media.cashBox !== 'full';
    await (dev === 'coin' ? coin : bill).enable(healthy ? acceptance[dev] : []).catch(() => undefined);
  }
  async function setAcceptance(coins: number[], bills: number[]): Promise<void> {
    acceptance.coin = coins;
    acceptance.bill = bills;
    await applyAcceptance('coin');
    await applyAcceptance('bill');
  }

  async function dispense(yen: number, transactionId: string, kind: 'change' | 'refund' | 'payout'): Promise<PayoutResult> {
    const result: PayoutResult = { requestedYen: yen, paidYen: 0, paid: {}, shortYen: 0 };
    let left = yen;
    // Replan after every hopper: one that runs dry hands its share to the smaller ones.
    while (left > 0) {
      const levels = usableLevels();
      const plan = planChange(left, levels) ?? planPartial(left, levels);
      const next = [...plan.entries()].sort((a, b) => b[0] - a[0])[0];
      if (!next) break;
      const [denom, count] = next;
      const h = hoppers.find((x) => x.driver.yen === denom)!;
      const device = `hopper.${denom}`;
      const id = journal.intent({ transactionId, kind, device, yen: denom, count });
      let paid = 0;
      let detail: string | undefined;
      let silent = false;
      try {
        const r = await h.driver.dispense(count);
        paid = r.paid;
        if (r.unpaid > 0) detail = `hopper stopped with ${r.unpaid} unpaid`;
      } catch (e) {
        silent = e instanceof CcTalkError && e.kind === 'timeout';
        detail = e instanceof Error ? e.message : String(e);
      }
      journal.outcome(id, { ok: paid === count, count: paid, ...(detail ? { detail } : {}) });
      h.count = Math.max(0, h.count - paid);
      if (paid < count) {
        // Its real count is now unknown: out of change planning until a technician counts it.
        h.failed = true;
        const s = status.hoppers.get(denom)!;
        if (silent) fault(s, 'offline', 'timeout', `hopper ¥${denom} stopped answering (${detail})`);
        else fault(s, 'online', 'empty', `hopper ¥${denom} paid ${paid} of ${count}`);
      }
      hopperMedia(h);
      if (paid > 0) result.paid[denom as Denomination] = (result.paid[denom as Denomination] ?? 0) + paid;
      result.paidYen += paid * denom;
      left -= paid * denom;
    }
    result.shortYen = yen - result.paidYen;
    if (result.shortYen > 0) log.error({ transactionId, shortYen: result.shortYen }, 'payout short: IOU owed');
    return result;
  }

  const bay: SessionBay = {
    journal,
    canMakeChange,
    setAcceptance,
    acceptCoins: config.acceptCoins,
    acceptBills: config.acceptBills,
    routeBill: (action) => bill.route(action),
    dispense,
    ended: (s) => {
      if (session === s) session = null;
    },
  };

  async function onEvents(dev: 'coin' | 'bill', events: AcceptorEvent[]): Promise<void> {
    const s = dev === 'coin' ? status.coin : status.bill;
    for (const e of events) {
      for (const l of deviceListeners) l(e);
      s.counters[e.type] = (s.counters[e.type] ?? 0) + 1;
      if (e.type === 'lostEvents') fault(s, 'hardwareError', 'lostEvents', `${dev}: ${e.missed} events lost; acceptance stopped`);
      else if (e.type === 'jam') fault(s, 'hardwareError', 'jam', `${dev} jammed (${e.reason})`);
      else if (e.type === 'fraud') s.lastError = deviceError('fraud', `${dev}: fraud attempt (${e.reason})`);
      else if (e.type === 'cashBoxFull') s.media.cashBox = 'full';
      else if (e.type === 'cashBoxOk') s.media.cashBox = 'ok';
      else if (e.type === 'reset') {
        // A reset device is inhibited again; restore what the session wants.
        s.lastError = deviceError('reset', `${dev} reset`);
        await applyAcceptance(dev);
      }
      if (session) await session.handle(e);
      else if (e.type === 'credited' || e.type === 'escrowed') {
        // Money with no payment open (should be impossible while inhibited): keep it on record.
        const id = journal.intent({ transactionId: 'unattributed', kind: 'accept', device: dev, yen: e.yen, count: 1 });
        journal.outcome(id, { ok: true, count: 1, detail: 'no payment open' });
        if (e.type === 'escrowed') await bill.route('return').catch(() => undefined);
      }
    }
  }

  async function pollDevice(dev: 'coin' | 'bill'): Promise<void> {
    const s = dev === 'coin' ? status.coin : status.bill;
    try {
      const events = await (dev === 'coin' ? coin : bill).poll();
      if (s.state === 'offline' || (s.state === 'hardwareError' && events.some((e) => e.type === 'reset'))) {
        s.state = 'online';
        log.info({ device: s.id }, 'back online');
        await applyAcceptance(dev);
      }
      await onEvents(dev, events);
    } catch (e) {
      if (!(e instanceof CcTalkError)) throw e;
      // A device already in hardware error keeps that state (and its reason).
      if (s.state === 'online') {
        fault(s, 'offline', e.kind, `${dev}: ${e.message}`);
        if (session) await session.handle({ type: 'offline', device: dev }).catch(() => undefined);
      }
    }
  }

  /** A hopper that was silent answers again: back online (its count stays as last known). */
  async function recheckHoppers(): Promise<void> {
    for (const h of hoppers) {
      const s = status.hoppers.get(h.driver.yen)!;
      if (s.state !== 'offline') continue;
      try {
        await h.driver.status();
        s.state = 'online';
        log.info({ device: s.id }, 'back online');
      } catch {
        // still silent
      }
    }
  }

  let polling: Promise<void> = Promise.resolve();
  const pollOnce = () => {
    polling = polling
      .then(() => pollDevice('coin'))
      .then(() => pollDevice('bill'))
      .then(() => (session ? undefined : recheckHoppers()));
    return polling;
  };

  // Identity: a device at the wrong address would otherwise be polled with the wrong headers.
  for (const [dev, want] of [['coin', 'Coin Acceptor'], ['bill', 'Bill Validator']] as const) {
    const got = await (dev === 'coin' ? coin : bill).category().catch(() => null);
    const s = dev === 'coin' ? status.coin : status.bill;
    if (got !== null && got !== want) fault(s, 'hardwareError', 'wrongDevice', `address ${dev === 'coin' ? config.addresses.coin : config.addresses.bill} is a "${got}", not a ${want}`);
  }
  // Baseline: read the counters once so events from before we started are never credited.
  await pollOnce();
  for (const h of hoppers) {
    await h.driver.status().catch((e: unknown) => {
      if (e instanceof CcTalkError) fault(status.hoppers.get(h.driver.yen)!, 'offline', e.kind, `hopper ¥${h.driver.yen}: ${e.message}`);
    });
  }
  await setAcceptance([], []);

  let timer: NodeJS.Timeout | null = null;
  const loop = () => {
    if (closed) return;
    timer = setTimeout(() => void pollOnce().finally(loop), session ? config.pollIntervalMs : IDLE_POLL_MS);
  };
  loop();
  const kick = () => {
    if (timer) clearTimeout(timer);
    loop();
  };

  return {
    bus,
    simulator: sim
      ? {
          raw: sim,
          insertCoin: (y) => sim.insertCoin(y),
          insertBill: (y) => sim.insertBill(y),
          jam: (d) => sim.jam(d),
          emptyHopper: (y) => sim.emptyHopper(y),
          cashBoxFull: () => sim.cashBoxFull(),
          powerOff: (d) => sim.powerOff(d),
          powerOn: (d) => sim.powerOn(d),
        }
      : null,
    async startPayment(amountDueYen, transactionId) {
      if (session?.active) throw new Error(`a payment is already open (${session.transactionId})`);
      if (!Number.isInteger(amountDueYen) || amountDueYen <= 0 || amountDueYen % 10 !== 0) throw new Error(`bad amount due: ${amountDueYen}`);
      const s = new CashSession(amountDueYen, transactionId, bay);
      session = s;
      await s.start();
      kick();
      return s;
    },
    canMakeChange,
    payout: (yen, transactionId) => dispense(yen, transactionId, 'payout'),
    async settleEscrow(transactionId, yen, action) {
      // Recovery: the validator outlives a kiosk crash and may still hold the bill. A route command
      // answers "escrow empty" when it does not (it timed out or was reset and gave the bill back).
      const id = journal.intent({ transactionId, kind: action, device: 'bill', yen, count: 1 });
      try {
        const r = await bill.route(action);
        if (r.ok) {
          journal.outcome(id, { ok: true, count: 1 });
          return action === 'stack' ? 'stacked' : 'returned';
        }
        journal.outcome(id, { ok: false, count: 0, detail: r.reason });
        if (r.reason === 'escrowEmpty') return 'empty';
        throw new Error(`bill validator could not ${action} its escrow`);
      } catch (e) {
        if (!(e instanceof Error && /could not/.test(e.message))) journal.outcome(id, { ok: false, count: 0, detail: 'no answer' });
        throw e;
      }
    },
    status: () => [status.coin, status.bill, ...status.hoppers.values()].map((s) => structuredClone(s)),
    levels: () => hoppers.map((h) => ({ yen: h.driver.yen, count: h.count })),
    setHopperLevel(yen, count) {
      const h = hoppers.find((x) => x.driver.yen === yen);
      if (!h) throw new Error(`no hopper for ¥${yen}`);
      h.count = count;
      h.failed = false;
      const s = status.hoppers.get(yen)!;
      s.state = 'online';
      s.lastError = null;
      hopperMedia(h);
    },
    pollOnce,
    onDeviceEvent(l) {
      deviceListeners.add(l);
      return () => deviceListeners.delete(l);
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await polling.catch(() => undefined);
      await bus.close();
      sim?.close();
    },
  };
}
