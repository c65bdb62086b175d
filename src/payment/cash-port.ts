// The engine's CashPort over ccTalk: opens the line (serial port, pty or the embedded simulator),
// polls the acceptors, runs payment sessions, pays change and refunds from the hoppers, and keeps
// an XFS-like status per device. Every movement is journaled before and after it happens. What the
// devices say rules: the validator's operating mode and escrow slot, the hoppers' fault flags, level
// sensors and payout tallies.
import type { Logger } from 'pino';
import type { CashPort, Denomination, PayoutResult } from '../core/ports.js';
import type { CashConfig } from '../config/sections/cash.js';
import { deviceError, type DeviceKind, type DeviceStatus } from '../../drivers/common/status.js';
import { CcTalkBus } from '../../drivers/payment/bus.js';
import { CcTalkBillValidator, CcTalkCoinAcceptor } from '../../drivers/payment/acceptors.js';
import { CcTalkHopper } from '../../drivers/payment/hopper.js';
import { CcTalkError } from '../../drivers/payment/errors.js';
import type { AcceptorEvent, ByteTransport, LevelSensors } from '../../drivers/payment/interface.js';
import type { HopperCondition } from '../../drivers/payment/protocol.js';
import { memoryTransportPair, openSerialTransport } from '../../drivers/payment/transports.js';
import { CashSimulator, type CashSimControl } from '../../drivers/payment/simulator/index.js';
import type { CashJournal } from './cash-journal.js';
import { planChange, planPartial, type HopperLevel } from './change.js';
import { CashSession, type RouteOutcome, type SessionBay } from './session.js';

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
  /** Each hopper as the host knows it: count, what its fault flags say, its level sensors. */
  hoppers(): HopperView[];
  /** A technician refilled or counted a hopper (a jammed or empty one is then recovered). */
  setHopperLevel(yen: number, count: number): void;
  /** Jam recovery by the specification's sequence (reset, test, re-read counters) once cleared. */
  recoverHopper(yen: number): Promise<HopperView>;
  /** The bill validator's operating mode as last read from it. */
  billMode(): { stacker: boolean; escrow: boolean } | null;
  /** Reads the acceptors once now (tests and benches; the poll loop does this on its own). */
  pollOnce(): Promise<void>;
  /** Events straight from the devices, before any session sees them (bench, technician console). */
  onDeviceEvent(listener: (e: AcceptorEvent) => void): () => void;
  readonly bus: CcTalkBus;
  close(): Promise<void>;
}

const IDLE_POLL_MS = 1000;
/** Polls to wait for the event that says where a bill went once its escrow is empty. */
const ROUTE_SETTLE_POLLS = 10;

export interface HopperView {
  yen: number;
  count: number;
  condition: HopperCondition | 'offline';
  sensors: LevelSensors | null;
  /** Coins change planning may count on now (0 while not usable). */
  usable: number;
}

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
    .map((h) => ({
      driver: new CcTalkHopper(bus, h.address, h.yen, {
        statusIntervalMs: Math.min(20, config.pollIntervalMs),
      }),
      count: h.coins,
      lowLevelCoins: h.lowLevelCoins,
      condition: 'ok' as HopperCondition | 'offline',
      /** False after the hopper went silent mid-payout: what it paid is unknown until counted. */
      countKnown: true,
      sensors: null as LevelSensors | null,
    }));
  type Hopper = (typeof hoppers)[number];

  const status = {
    coin: freshStatus('coinAcceptor', 'coinAcceptor', { cashBox: 'ok' }),
    bill: freshStatus('billValidator', 'billValidator', { cashBox: 'ok' }),
    hoppers: new Map(
      hoppers.map((h) => [h.driver.yen, freshStatus(`hopper.${h.driver.yen}`, 'hopper', { coins: 'ok' })]),
    ),
  };
  const acceptance = { coin: [] as number[], bill: [] as number[] };
  const deviceListeners = new Set<(e: AcceptorEvent) => void>();
  let session: CashSession | null = null;
  let closed = false;
  let mode: { stacker: boolean; escrow: boolean } | null = null;
  /** Set while a route's outcome is awaited: the poll loop hands the stacked/returned event here. */
  let routeWatch: ((where: 'stacked' | 'returned') => void) | null = null;
  /** Recoveries started by a technician's refill or count; payouts wait for them. */
  const recovering = new Set<Promise<unknown>>();
  /** The transaction whose bill the validator still holds after its payment ended (route failed). */
  let escrowOwner: { transactionId: string; yen: number } | null = null;

  const fault = (s: DeviceStatus, state: DeviceStatus['state'], kind: string, message: string) => {
    s.state = state;
    s.lastError = deviceError(kind, message);
    log.warn({ device: s.id, kind }, message);
  };

  /**
   * Coins change planning may count on. The low-level sensor bounds the truth from above: a host
   * count above the trip point is wrong (coins jammed, a refill not entered), so nothing is promised
   * from that hopper until a technician counts it. A hopper that is not ok is not counted at all.
   */
  const usable = (h: Hopper) => {
    if (h.condition !== 'ok' || !h.countKnown) return 0;
    if (h.sensors?.low && h.count > h.lowLevelCoins) return 0;
    return h.count;
  };
  /** Best guess for a last-resort payout: never more than the low sensor allows. */
  const likely = (h: Hopper) =>
    h.condition === 'ok' && h.countKnown
      ? h.sensors?.low
        ? Math.min(h.count, h.lowLevelCoins)
        : h.count
      : 0;

  const hopperMedia = (h: Hopper) => {
    const s = status.hoppers.get(h.driver.yen)!;
    s.media.coins =
      h.condition === 'empty' || h.count === 0
        ? 'empty'
        : h.condition === 'jammed'
          ? 'jammed'
          : h.sensors?.low || h.count <= h.lowLevelCoins
            ? 'low'
            : h.sensors?.high
              ? 'high'
              : 'ok';
    s.counters.coins = h.count;
  };
  hoppers.forEach(hopperMedia);

  const hopperView = (h: Hopper): HopperView => ({
    yen: h.driver.yen,
    count: h.count,
    condition: h.condition,
    sensors: h.sensors,
    usable: usable(h),
  });
  const usableLevels = (): HopperLevel[] => hoppers.map((h) => ({ yen: h.driver.yen, count: usable(h) }));
  const canMakeChange = (yen: number) => planChange(yen, usableLevels()) !== null;

  /** Reads a hopper's fault flags (163) and level sensors (217); its counters (166) answer too. */
  async function refreshHopper(h: Hopper): Promise<void> {
    const s = status.hoppers.get(h.driver.yen)!;
    try {
      const t = await h.driver.test();
      h.sensors = await h.driver.levelSensors();
      await h.driver.status();
      // "Payout disabled" alone is the idle state: we enable a hopper only while it pays.
      const was = h.condition;
      if (t.condition === 'jammed' || t.condition === 'fault') h.condition = t.condition;
      else if (t.condition === 'empty') h.condition = 'empty';
      else if (was === 'offline') h.condition = 'ok';
      if (h.condition === 'ok') {
        if (s.state !== 'online') log.info({ device: s.id }, 'back online');
        s.state = 'online';
      } else if (h.condition === 'jammed' || h.condition === 'fault')
        fault(
          s,
          'hardwareError',
          h.condition,
          `hopper ¥${h.driver.yen}: ${h.condition} (flags ${t.flags.toString(16)})`,
        );
      else if (h.condition === 'empty') s.state = 'online';
    } catch (e) {
      if (!(e instanceof CcTalkError)) throw e;
      h.condition = 'offline';
      fault(s, 'offline', e.kind, `hopper ¥${h.driver.yen}: ${e.message}`);
    }
    hopperMedia(h);
  }
  const refreshHoppers = async () => {
    for (const h of hoppers) await refreshHopper(h);
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

  /** Sets the wanted bill operating mode (153) and reads back what the device really does (152). */
  async function syncBillMode(): Promise<void> {
    try {
      await bill.setMode({ stacker: true, escrow: config.billEscrow });
    } catch (e) {
      if (!(e instanceof CcTalkError)) throw e;
      log.warn({ device: 'billValidator', kind: e.kind }, 'bill validator refused the operating mode');
    }
    try {
      mode = await bill.readMode();
      status.bill.media.escrow = mode.escrow ? 'on' : 'off';
      if (mode.escrow !== config.billEscrow)
        log.warn(
          { device: 'billValidator', escrow: mode.escrow },
          'bill validator runs with escrow as it reports, not as configured',
        );
    } catch (e) {
      if (!(e instanceof CcTalkError)) throw e;
      // Unknown mode: assume escrow off, the side where a bill is credited the moment it is read.
      mode = null;
    }
  }

  async function dispense(
    yen: number,
    transactionId: string,
    kind: 'change' | 'refund' | 'payout',
  ): Promise<PayoutResult> {
    await Promise.all(recovering);
    const result: PayoutResult = { requestedYen: yen, paidYen: 0, paid: {}, shortYen: 0 };
    let left = yen;
    // Replan after every hopper: one that runs dry hands its share to the smaller ones.
    while (left > 0) {
      const levels = usableLevels();
      const plan =
        planChange(left, levels) ??
        planPartial(
          left,
          hoppers.map((h) => ({ yen: h.driver.yen, count: likely(h) })),
        );
      const next = [...plan.entries()].sort((a, b) => b[0] - a[0])[0];
      if (!next) break;
      const [denom, count] = next;
      const h = hoppers.find((x) => x.driver.yen === denom)!;
      const device = `hopper.${denom}`;
      const id = journal.intent({ transactionId, kind, device, yen: denom, count });
      let paid = 0;
      let detail: string | undefined;
      try {
        const r = await h.driver.dispense(count);
        paid = r.paid;
        if (r.unpaid > 0) detail = `hopper stopped with ${r.unpaid} unpaid`;
      } catch (e) {
        detail = e instanceof Error ? e.message : String(e);
      }
      journal.outcome(id, { ok: paid === count, count: paid, ...(detail ? { detail } : {}) });
      h.count = Math.max(0, h.count - paid);
      // After each payout: fault flags, level sensors and counters say what the hopper is now.
      await refreshHopper(h);
      if (paid < count) {
        const s = status.hoppers.get(denom)!;
        if (h.condition === 'empty')
          h.count = 0; // ran dry: the host count was wrong
        else if (h.condition === 'offline') h.countKnown = false;
        else if (h.condition === 'ok') {
          // Stopped short with no fault flag (NAK, lost replies): not used again until checked.
          h.condition = 'disabled';
          fault(
            s,
            'hardwareError',
            'disabled',
            `hopper ¥${denom} paid ${paid} of ${count} (${detail ?? 'no reason given'})`,
          );
        }
        if (h.condition === 'empty')
          fault(s, 'online', 'empty', `hopper ¥${denom} ran dry after ${paid} of ${count}`);
        hopperMedia(h);
      }
      if (paid > 0) result.paid[denom as Denomination] = (result.paid[denom as Denomination] ?? 0) + paid;
      result.paidYen += paid * denom;
      left -= paid * denom;
    }
    result.shortYen = yen - result.paidYen;
    if (result.shortYen > 0)
      log.error({ transactionId, shortYen: result.shortYen }, 'payout short: IOU owed');
    return result;
  }

  /**
   * Routes the escrowed bill and finds out where it really went. An acknowledged route is done; a
   * "failed to route" leaves the bill in escrow; with no answer we ask the device (route 255, which
   * only extends the escrow timeout): still held, or the slot is empty and the event buffer tells
   * whether the bill was stacked or returned.
   */
  async function routeBill(action: 'stack' | 'return'): Promise<RouteOutcome> {
    let reply: Awaited<ReturnType<typeof bill.route>> | null = null;
    try {
      reply = await bill.route(action);
    } catch (e) {
      if (!(e instanceof CcTalkError)) throw e;
      log.warn(
        { device: 'billValidator', kind: e.kind, action },
        'route bill went unanswered; asking the validator',
      );
    }
    if (reply?.ok) {
      bill.escrow.routed(action);
      return 'done';
    }
    if (reply && reply.reason === 'failedToRoute') return 'held';
    if (!reply) {
      const probe = await bill.hold().catch(() => null);
      if (!probe) return 'unknown';
      if (probe.ok) return 'held';
    }
    // Escrow empty: the bill left the slot; its event says which way (read here or by the poll loop).
    let seen: 'stacked' | 'returned' | null = null;
    routeWatch = (w) => (seen ??= w);
    try {
      for (let i = 0; i < ROUTE_SETTLE_POLLS && !seen; i++) {
        const events = await bill.poll().catch(() => [] as AcceptorEvent[]);
        const rest: AcceptorEvent[] = [];
        let jammed = false;
        for (const e of events) {
          if (!seen && (e.type === 'stacked' || e.type === 'returned')) seen = e.type;
          else rest.push(e);
          if (e.type === 'jam') jammed = true;
        }
        if (rest.length) void onEvents('bill', rest);
        if (seen || jammed) break; // a jam: stuck in the transport, neither stacked nor returned
        await new Promise((r) => setTimeout(r, config.pollIntervalMs));
      }
    } finally {
      routeWatch = null;
    }
    if (seen) return seen;
    bill.escrow.emptied();
    return 'unknown';
  }

  const bay: SessionBay = {
    journal,
    canMakeChange,
    setAcceptance,
    acceptCoins: config.acceptCoins,
    acceptBills: config.acceptBills,
    billEscrow: () => mode?.escrow ?? false,
    routeBill,
    dispense,
    leftInEscrow: (transactionId, yen) => {
      escrowOwner = { transactionId, yen };
      fault(
        status.bill,
        'hardwareError',
        'escrowStuck',
        `bill validator still holds ¥${yen} of ${transactionId}`,
      );
    },
    ended: (s) => {
      if (session === s) session = null;
    },
  };

  /** Money the devices report with no payment open: journaled and settled against its owner. */
  async function settleOutsidePayment(dev: 'coin' | 'bill', e: AcceptorEvent): Promise<void> {
    const tx = escrowOwner?.transactionId ?? 'unattributed';
    const note = (kind: 'accept' | 'stack' | 'return', yen: number, detail: string) => {
      const id = journal.intent({ transactionId: tx, kind, device: dev, yen, count: 1 });
      journal.outcome(id, { ok: true, count: 1, detail });
    };
    if (e.type === 'credited') {
      // Should be impossible while inhibited: keep it on record for the technician.
      note('accept', e.yen, 'no payment open');
      if (dev === 'bill') note('stack', e.yen, 'stacked by the validator (escrow off), no payment open');
    } else if (e.type === 'escrowed') {
      note('accept', e.yen, 'no payment open');
      await routeBill('return').catch(() => undefined);
      note('return', e.yen, 'no payment open');
    } else if (e.type === 'returned' && escrowOwner) {
      note('return', escrowOwner.yen, 'returned by the validator after the payment ended');
      escrowOwner = null;
      status.bill.state = 'online';
    } else if (e.type === 'stacked' && escrowOwner) {
      note('stack', escrowOwner.yen, 'stacked by the validator after the payment ended');
      escrowOwner = null;
      status.bill.state = 'online';
    }
  }

  /** After a validator reset: its mode is back to power-up and its slot may be empty. */
  async function afterBillReset(): Promise<AcceptorEvent[]> {
    await syncBillMode();
    if (!bill.escrow.held) return [];
    const probe = await bill.hold().catch(() => null);
    if (probe && !probe.ok && probe.reason === 'escrowEmpty') {
      const yen = bill.escrow.held.yen;
      bill.escrow.emptied();
      return [{ type: 'returned', device: 'bill', yen }];
    }
    return [];
  }

  async function onEvents(dev: 'coin' | 'bill', events: AcceptorEvent[]): Promise<void> {
    const s = dev === 'coin' ? status.coin : status.bill;
    for (const e of events) {
      for (const l of deviceListeners) l(e);
      s.counters[e.type] = (s.counters[e.type] ?? 0) + 1;
      let extra: AcceptorEvent[] = [];
      if (e.type === 'lostEvents')
        fault(s, 'hardwareError', 'lostEvents', `${dev}: ${e.missed} events lost; acceptance stopped`);
      else if (e.type === 'jam') fault(s, 'hardwareError', 'jam', `${dev} jammed (${e.reason})`);
      else if (e.type === 'fraud') s.lastError = deviceError('fraud', `${dev}: fraud attempt (${e.reason})`);
      else if (e.type === 'cashBoxFull') s.media.cashBox = 'full';
      else if (e.type === 'cashBoxOk') s.media.cashBox = 'ok';
      else if (e.type === 'reset') {
        // A reset device is inhibited again and back in its power-up mode; restore what we want.
        s.lastError = deviceError('reset', `${dev} reset`);
        if (dev === 'bill') extra = await afterBillReset();
        await applyAcceptance(dev);
      }
      if (routeWatch && (e.type === 'stacked' || e.type === 'returned')) routeWatch(e.type);
      else if (session) await session.handle(e);
      else await settleOutsidePayment(dev, e);
      if (extra.length) await onEvents(dev, extra);
    }
  }

  async function pollDevice(dev: 'coin' | 'bill'): Promise<void> {
    const s = dev === 'coin' ? status.coin : status.bill;
    try {
      const events = await (dev === 'coin' ? coin : bill).poll();
      if (s.state === 'offline' || (s.state === 'hardwareError' && events.some((e) => e.type === 'reset'))) {
        s.state = 'online';
        log.info({ device: s.id }, 'back online');
        if (dev === 'bill' && !events.some((e) => e.type === 'reset')) await syncBillMode();
        await applyAcceptance(dev);
      }
      await onEvents(dev, events);
    } catch (e) {
      if (!(e instanceof CcTalkError)) throw e;
      if (e.kind === 'sequence') {
        // A stale reply: the baseline is kept, the next poll reads the buffer again.
        s.counters.outOfSequence = (s.counters.outOfSequence ?? 0) + 1;
        log.warn({ device: s.id }, e.message);
        return;
      }
      // A device already in hardware error keeps that state (and its reason).
      if (s.state === 'online') {
        fault(s, 'offline', e.kind, `${dev}: ${e.message}`);
        if (session) await session.handle({ type: 'offline', device: dev }).catch(() => undefined);
      }
    }
  }

  /** A hopper that was silent answers again: its flags and sensors are read afresh. */
  async function recheckHoppers(): Promise<void> {
    for (const h of hoppers) if (h.condition === 'offline') await refreshHopper(h);
  }

  let polling: Promise<void> = Promise.resolve();
  const pollOnce = () => {
    polling = polling
      .then(() => pollDevice('coin'))
      .then(() => pollDevice('bill'))
      .then(() => (session ? undefined : recheckHoppers()));
    return polling;
  };

  // One recovery per hopper at a time: a second one (a refill's, then the technician's) runs after the
  // first, so an older test result never overwrites a newer one.
  const hopperRecoveries = new Map<number, Promise<unknown>>();
  function recoverHopper(yen: number): Promise<HopperView> {
    const next = (hopperRecoveries.get(yen) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => recoverHopperNow(yen));
    hopperRecoveries.set(yen, next);
    return next;
  }

  async function recoverHopperNow(yen: number): Promise<HopperView> {
    const h = hoppers.find((x) => x.driver.yen === yen);
    if (!h) throw new Error(`no hopper for ¥${yen}`);
    const s = status.hoppers.get(yen)!;
    try {
      const r = await h.driver.recover();
      if (r.paidSinceLastLook > 0) {
        // Coins that left after we gave up on the payout: on record, and off the count, never paid again.
        const id = journal.intent({
          transactionId: 'recovery',
          kind: 'payout',
          device: `hopper.${yen}`,
          yen,
          count: r.paidSinceLastLook,
        });
        journal.outcome(id, {
          ok: true,
          count: r.paidSinceLastLook,
          detail: 'paid by the hopper after the payout was given up',
        });
        h.count = Math.max(0, h.count - r.paidSinceLastLook);
      }
      h.condition = r.test.condition; // tested while enabled: "disabled" means it refused the enable
      h.sensors = await h.driver.levelSensors();
      if (h.condition === 'ok') {
        s.state = 'online';
        s.lastError = null;
        log.info({ device: s.id }, 'hopper recovered');
      } else fault(s, 'hardwareError', h.condition, `hopper ¥${yen} still ${h.condition} after reset`);
    } catch (e) {
      if (!(e instanceof CcTalkError)) throw e;
      h.condition = 'offline';
      fault(s, 'offline', e.kind, `hopper ¥${yen}: ${e.message}`);
    }
    hopperMedia(h);
    return hopperView(h);
  }

  // Identity: a device at the wrong address would otherwise be polled with the wrong headers.
  for (const [dev, want] of [
    ['coin', 'Coin Acceptor'],
    ['bill', 'Bill Validator'],
  ] as const) {
    const got = await (dev === 'coin' ? coin : bill).category().catch(() => null);
    const s = dev === 'coin' ? status.coin : status.bill;
    if (got !== null && got !== want)
      fault(
        s,
        'hardwareError',
        'wrongDevice',
        `address ${dev === 'coin' ? config.addresses.coin : config.addresses.bill} is a "${got}", not a ${want}`,
      );
  }
  // Baseline: read the counters once so events from before we started are never credited.
  await pollOnce();
  if (status.bill.state !== 'hardwareError') await syncBillMode();
  await refreshHoppers();
  for (const h of hoppers) if (h.condition !== 'offline') await h.driver.disable().catch(() => undefined);
  await setAcceptance([], []);

  // One poll loop: `timer` is the next poll, null while a poll is under way (it arms the next itself).
  let timer: NodeJS.Timeout | null = null;
  const loop = () => {
    if (closed) return;
    timer = setTimeout(
      () => {
        timer = null;
        void pollOnce().finally(loop);
      },
      session ? config.pollIntervalMs : IDLE_POLL_MS,
    );
  };
  loop();
  /** Polls sooner (a payment started). A kick during a poll would start a second loop that never ends. */
  const kick = () => {
    if (!timer) return;
    clearTimeout(timer);
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
          fault: (d, f) => sim.fault(d, f),
        }
      : null,
    async startPayment(amountDueYen, transactionId) {
      if (session?.active) throw new Error(`a payment is already open (${session.transactionId})`);
      if (!Number.isInteger(amountDueYen) || amountDueYen <= 0 || amountDueYen % 10 !== 0)
        throw new Error(`bad amount due: ${amountDueYen}`);
      // Before each payment: what the hoppers say now decides which money can be taken, and the
      // validator's mode is checked (a reset with nothing in its buffer shows no counter change).
      await polling.catch(() => undefined);
      await Promise.all(recovering);
      await refreshHoppers();
      const was = mode;
      await syncBillMode();
      if (was && mode && was.escrow !== mode.escrow)
        log.warn({ device: 'billValidator', escrow: mode.escrow }, 'bill validator operating mode changed');
      const s = new CashSession(amountDueYen, transactionId, bay);
      session = s;
      await s.start();
      kick();
      return s;
    },
    canMakeChange,
    async payout(yen, transactionId) {
      const r = await dispense(yen, transactionId, 'payout');
      if (r.shortYen > 0) {
        const id = journal.intent({ transactionId, kind: 'iou', device: 'kiosk', yen: r.shortYen, count: 1 });
        journal.outcome(id, { ok: true, count: 1, detail: `paid ¥${r.paidYen} of ¥${r.requestedYen}` });
      }
      return r;
    },
    async settleEscrow(transactionId, yen, action) {
      // Recovery: the validator outlives a kiosk crash and may still hold the bill. A route command
      // answers "escrow empty" when it does not (it timed out or was reset and gave the bill back).
      const id = journal.intent({ transactionId, kind: action, device: 'bill', yen, count: 1 });
      let r: Awaited<ReturnType<typeof bill.route>>;
      try {
        r = await bill.route(action);
      } catch (e) {
        journal.outcome(id, { ok: false, count: 0, detail: 'no answer' });
        throw e;
      }
      if (r.ok) {
        bill.escrow.routed(action); // its stacked/returned event is this row, not a new credit
        journal.outcome(id, { ok: true, count: 1 });
        return action === 'stack' ? 'stacked' : 'returned';
      }
      journal.outcome(id, { ok: false, count: 0, detail: r.reason });
      if (r.reason === 'escrowEmpty') return 'empty';
      throw new Error(`bill validator could not ${action} its escrow`);
    },
    status: () => [status.coin, status.bill, ...status.hoppers.values()].map((s) => structuredClone(s)),
    levels: () => hoppers.map((h) => ({ yen: h.driver.yen, count: h.count })),
    hoppers: () => hoppers.map(hopperView),
    billMode: () => (mode ? { ...mode } : null),
    setHopperLevel(yen, count) {
      const h = hoppers.find((x) => x.driver.yen === yen);
      if (!h) throw new Error(`no hopper for ¥${yen}`);
      h.count = count;
      h.countKnown = true;
      if (h.condition !== 'ok' && h.condition !== 'offline') {
        // The technician had the hopper open: its fault flags stay latched until the recovery
        // sequence (reset, enable) runs, so run it now; payouts wait for it.
        const p: Promise<unknown> = recoverHopper(yen).finally(() => recovering.delete(p));
        recovering.add(p);
      }
      hopperMedia(h);
    },
    recoverHopper,
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
