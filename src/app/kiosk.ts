// The kiosk, assembled: opens the journal and the devices, resolves what a crash left open, runs the
// transaction engine, watches whether service can be offered, and serves the contract's handlers.
// Plain TypeScript: no Electron, no DOM.
import type { CoreEvent, DemoAction, Snapshot, UiConfig } from '../contract/index.js';
import type { Config } from '../config/schema.js';
import { usesSimulators, type dataPaths } from '../config/load.js';
import type { Logger } from '../log/logger.js';
import { CommandRejected, type CommandHandlers } from '../core/dispatcher.js';
import { openDevices, type Devices } from './devices.js';
import { systemClock, unref, type Clock } from '../core/clock.js';
import { createEngine, type Engine } from '../core/engine.js';
import { openKioskJournal } from '../ops/open-journal.js';
import type { Journal, JournalFailure, StepPhase } from '../core/journal/journal.js';
import { checkJournalHealth, freeBytes } from '../core/journal/health.js';
import { checkAnchor } from '../core/journal/anchor.js';
import { recoverOpenTransactions, type RecoveryResult } from '../core/recovery.js';
import { closeInterruptedClaims, offerClaims, syncReclaim } from '../core/reclaim.js';
import { serviceState, type Maintenance, type ServiceHours } from '../core/service-hours.js';
import { createTechnicianConsole } from '../technician/console.js';
import { startFleetReporter } from '../fleet/reporter.js';

export interface KioskCore {
  readonly handlers: CommandHandlers;
  readonly journal: Journal;
  readonly devices: Devices;
  readonly engine: Engine;
  readonly recovered: RecoveryResult[];
  /** Why the journal takes no writes (the kiosk is out of service meanwhile), or null. */
  journalFailure(): JournalFailure | null;
  /** Stops the acceptors at once: every open payment is cancelled through its session. */
  inhibitAcceptors(): Promise<void>;
  subscribe(listener: (event: CoreEvent) => void): () => void;
  snapshot(): Snapshot;
  /** Re-evaluates whether service can be offered (devices, registry, hours, technician flags). */
  checkService(): Promise<string[]>;
  stop(): Promise<void>;
}

export interface KioskCoreOptions {
  /** Test hook: called after each journal write (the crash test kills the process there). */
  crashPoint?: (step: string, phase: StepPhase) => void;
  /** How often service conditions are re-checked, ms. */
  monitorMs?: number;
  now?: () => Date;
  /** Time for the engine, the service monitor and the catalog refresh (default: the system clock). */
  clock?: Clock;
  /** The configuration file in use (the technician's validated edit rewrites it). */
  configFile?: string | null;
  /** Restarts the kiosk after the technician's validated configuration edit (the shell's). */
  restart?: () => void;
}

/** Out-of-service reasons that only a technician clears (the cash must be counted or paid). */
const STICKY = 'needsTechnician';

export async function createKioskCore(
  config: Config,
  paths: ReturnType<typeof dataPaths>,
  log: Logger,
  opts: KioskCoreOptions = {},
): Promise<KioskCore> {
  const clock = opts.clock ?? systemClock;
  const now = opts.now ?? (() => new Date(clock.now()));
  const { journal, lost } = openKioskJournal(paths.journal, config.kiosk.id, paths.journalKey, now);
  if (lost) log.error({ problem: lost }, 'journal unusable: out of service until a technician acts');
  if (opts.crashPoint) journal.crashPoint = opts.crashPoint;

  // Journal before money: a journal that cannot take a whole transaction keeps the kiosk out of service.
  const minFreeBytes = config.journal.minFreeMb * 1024 * 1024;
  const journalHealth = () => checkJournalHealth(journal.db, { path: paths.journal, minFreeBytes });
  const atStart = checkJournalHealth(journal.db, { path: paths.journal, minFreeBytes, integrity: true });
  if (!atStart.ok && !lost) {
    log.error({ problem: atStart.problem }, 'journal check at start failed: out of service');
    journal.markFailed('startCheck', atStart.problem!);
  }
  let engineRef: Engine | null = null;
  async function inhibitAcceptors(): Promise<void> {
    // Cancelling a session disables both acceptors before anything else; with the journal down
    // its refund is refused (nothing is paid out unjournaled) and the credit stays held.
    const sessions = engineRef ? [...engineRef.payments.values()] : [];
    await Promise.all(sessions.map((s) => s.cancel().catch(() => undefined)));
  }
  journal.onWriteFailure((f) => {
    log.error(
      { code: f.code },
      'journal write failed: acceptors inhibited, out of service until the journal takes writes',
    );
    void inhibitAcceptors();
    // After the current transition: the session unwinds and the kiosk goes out of service.
    queueMicrotask(() => engineRef?.send({ type: 'DEVICE_FAILURE', device: 'journal', kind: 'writeFailed' }));
  });
  const sticky = (reason: string) => {
    try {
      journal.setState(STICKY, { reason, at: now().toISOString() });
    } catch (e) {
      log.error({ reason, err: (e as Error).message }, 'could not record that a technician is needed');
    }
  };
  const devices = await openDevices(config, paths, journal, log, clock);
  const { card, registry, printers, cash } = devices;
  // The journal against the audit head the registry acknowledged: even with the journal key, a
  // rewritten, truncated or rolled-back chain no longer matches it, and the kiosk waits for a technician.
  try {
    const anchor = checkAnchor(journal.db, (await registry.auditAnchor()).auditHead);
    if (!anchor.ok) {
      log.error(
        { problem: anchor.problem, anchoredSeq: anchor.anchored.seq, journalRows: anchor.rows },
        'audit chain does not match the registry anchor: out of service',
      );
      sticky('auditAnchor');
    }
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'audit anchor not checked at start: registry unavailable');
  }
  const deps = {
    journal,
    card,
    registry,
    certificatePrinter: printers.certificate,
    receiptPrinter: printers.receipt,
    cash,
    log,
    kioskId: config.kiosk.id,
    kioskName: config.kiosk.name,
    clock,
  };

  const recovered = await recoverOpenTransactions(deps);
  for (const r of recovered) {
    log.warn(
      {
        tx: r.txId,
        outcome: r.outcome,
        refundedYen: r.refundedYen,
        changeYen: r.changeYen,
        shortYen: r.shortYen,
      },
      'recovered an open transaction',
    );
    if (r.needsTechnician && !r.claim) sticky('recovery');
  }
  // What recovery found owed to a known card waits for its resident (card and PIN) for the configured
  // window; a delivery a crash cut short is never repeated: it goes to the technician.
  const reclaimUntil = () => new Date(now().getTime() + config.journal.reclaimWindowMinutes * 60_000);
  const offer = (results: RecoveryResult[]) => {
    try {
      offerClaims(journal, results, reclaimUntil());
    } catch (e) {
      log.error({ err: (e as Error).message }, 'claims not recorded; the technician settles them');
      for (const r of results) if (r.claim) sticky('recovery');
    }
  };
  try {
    if (!journal.writeFailure && closeInterruptedClaims(journal).length) sticky('recovery');
  } catch (e) {
    log.error({ err: (e as Error).message }, 'interrupted claims not closed');
  }
  offer(recovered);

  const demo = usesSimulators(config);
  const engine = createEngine({
    deps: { ...deps, ...(opts.crashPoint ? { crashPoint: opts.crashPoint } : {}) },
    ui: config.ui,
    service: config.service,
    demo,
    acceptedBills: config.cash.acceptBills,
    phoneAccepted: config.card.phone.enabled,
  });

  // A session that ends needing a technician (IOU, cash fault, failed unwind) stays out of service.
  let lastAfter: string | null = null;
  engine.subscribe(() => {
    const s = engine.machineSnapshot();
    if (s.value && typeof s.value === 'object' && ('session' in s.value || 'reclaim' in s.value))
      lastAfter = s.context.outOfServiceAfter;
    else if (lastAfter) {
      if (lastAfter !== 'printer' && lastAfter !== 'journal') sticky(lastAfter);
      lastAfter = null;
    }
  });
  engineRef = engine;
  engine.start();

  // Service hours come from the registry catalog; the last one seen is kept for offline starts.
  let hours: { serviceHours: ServiceHours; maintenanceWindows: Maintenance[] } | undefined =
    journal.getState('catalog.hours');
  async function refreshCatalog() {
    try {
      const cat = await registry.catalog();
      const own =
        cat.municipalities.find((m) => m.code === config.kiosk.municipalityCode) ?? cat.municipalities[0];
      if (own) {
        hours = { serviceHours: own.serviceHours, maintenanceWindows: own.maintenanceWindows };
        journal.setState('catalog.hours', hours);
      }
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'catalog unavailable; using the last service hours seen');
    }
  }
  await refreshCatalog();

  async function outOfServiceReasons(): Promise<string[]> {
    const reasons: string[] = [];
    const free = freeBytes(paths.journal);
    if (journal.writeFailure || (free !== null && free < minFreeBytes)) reasons.push('journal');
    const manual = journal.getState<{ message: string } | null>('outOfService');
    if (manual) reasons.push('technician');
    engine.setOutOfServiceMessage(manual?.message ?? null);
    if (journal.getState<unknown>(STICKY)) reasons.push('needsTechnician');
    if (registry.status().state !== 'online') reasons.push('registry');
    const [page, receipt] = await Promise.all([printers.certificate.ready(), printers.receipt.ready()]);
    if (!page.ready) reasons.push(`printer:${page.reason}`);
    if (!receipt.ready) reasons.push('receiptPrinter');
    if (
      cash
        .status()
        .some((s) => (s.kind === 'coinAcceptor' || s.kind === 'billValidator') && s.state !== 'online')
    )
      reasons.push('cash');
    return reasons;
  }

  let checking = false;
  async function checkService(): Promise<string[]> {
    if (checking) return [];
    checking = true;
    try {
      let state = engine.snapshot().state;
      // A failed journal is retried while no session runs: once it takes writes, the cash held in
      // memory is written and the open transaction is settled by recovery like any other.
      if (journal.writeFailure && !state.startsWith('session.') && journal.resume(journalHealth))
        log.warn('journal takes writes again; held cash movements written');
      // A transaction recovery could not finish (registry or cash device unreachable) is retried
      // while no session runs; until then the kiosk stays out of service.
      if (
        (state === 'idle' || state === 'outOfService' || state === 'outsideHours') &&
        !journal.writeFailure &&
        journal.openTransactions().length
      ) {
        const again = await recoverOpenTransactions(deps);
        offer(again);
        // Settled now (not failed again), and owing what nobody came back for: the technician is called.
        for (const r of again)
          if (r.needsTechnician && !r.claim && journal.transaction(r.txId)?.status !== 'open')
            sticky('recovery');
        for (const r of again) log.warn({ tx: r.txId, outcome: r.outcome, retry: true }, 'recovery retried');
        state = engine.snapshot().state;
      }
      // The reclaim screen while a claim is open; when its window ends the technician is called.
      try {
        const claims = syncReclaim(engine, journal, now(), {
          mayOpen: !journal.writeFailure && !journal.getState('outOfService'),
        });
        if (claims.expired.length) sticky('recovery');
        state = engine.snapshot().state;
      } catch (e) {
        log.error({ err: (e as Error).message }, 'claims not checked');
      }
      const reasons = await outOfServiceReasons();
      if (journal.openTransactions().length && (state === 'idle' || state === 'outOfService'))
        reasons.push('recovery');
      if (state === 'idle' || state === 'outOfService' || state === 'outsideHours') {
        if (reasons.length) {
          if (state !== 'outOfService') log.warn({ reasons }, 'out of service');
          engine.send({ type: 'OUT_OF_SERVICE', reason: reasons[0]! });
        } else if (state === 'outOfService') {
          log.info('back in service');
          engine.send({ type: 'IN_SERVICE' });
        }
        const s = engine.snapshot().state;
        const open =
          hours && config.kiosk.serviceHours === 'registry'
            ? serviceState(now(), hours.serviceHours, hours.maintenanceWindows)
            : ({ open: true } as const);
        if (s === 'idle' && !open.open)
          engine.send({ type: 'HOURS_CLOSED', why: open.why, reopensAt: open.reopensAt });
        if (s === 'outsideHours' && open.open) engine.send({ type: 'HOURS_OPEN' });
      }
      return reasons;
    } finally {
      checking = false;
    }
  }
  await checkService();
  const monitor = unref(clock.setInterval(() => void checkService(), opts.monitorMs ?? 2000));
  const catalogTimer = unref(clock.setInterval(() => void refreshCatalog(), 10 * 60_000));

  const listeners = new Set<(e: CoreEvent) => void>();
  engine.subscribe((snapshot) => {
    for (const l of listeners) l({ type: 'snapshot', snapshot });
  });

  const ui = (): UiConfig => ({
    languages: config.ui.languages,
    shufflePinPad: config.ui.shufflePinPad,
    demo,
    kioskName: config.kiosk.name,
    layout: config.ui.layout,
    demoCards:
      card.simulator?.cards().map((c) => ({
        id: c.id,
        label: c.label,
        phone: c.cardType === 'android' || c.cardType === 'iphone',
      })) ?? [],
  });

  async function demoAction(a: DemoAction) {
    if (!demo) throw new CommandRejected('demo actions need simulators');
    const need = <T>(x: T | null | undefined, what: string): T => {
      if (!x) throw new CommandRejected(`${what} is not simulated`);
      return x;
    };
    switch (a.type) {
      case 'insertCard':
        if (!card.simulator?.cards().some((c) => c.id === a.cardId))
          throw new CommandRejected(`unknown demo card ${a.cardId}`);
        await need(card.simulator, 'the card reader').insert(a.cardId);
        return;
      case 'removeCard':
        need(card.simulator, 'the card reader').remove();
        return;
      case 'insertCoin':
      case 'insertBill': {
        const sim = need(cash.simulator, 'cash');
        const result = a.type === 'insertCoin' ? sim.insertCoin(a.yen) : sim.insertBill(a.yen);
        // Like a real acceptor, an inhibited one hands the money straight back; the panel says so.
        if (result !== 'credited' && result !== 'escrowed' && result !== 'stacked')
          throw new CommandRejected(
            `the ${a.type === 'insertCoin' ? 'coin acceptor' : 'bill validator'} answered: ${result}`,
          );
        void cash.pollOnce();
        return;
      }
      case 'fault':
        return demoFault(a.device, a.fault);
    }
  }

  function demoFault(device: string, fault: string) {
    const printer =
      device === 'certificatePrinter'
        ? printers.simulators.certificate
        : device === 'receiptPrinter'
          ? printers.simulators.receipt
          : undefined;
    if (printer) {
      const actions: Record<string, () => void> = {
        paperOut: () => printer.setPaper('out'),
        paperLow: () => printer.setPaper('low'),
        paperOk: () => printer.setPaper('ok'),
        paperOutDuringNextJob: () => printer.paperOutDuringNextJob(),
        coverOpen: () => printer.setCoverOpen(true),
        coverClosed: () => printer.setCoverOpen(false),
        offline: () => printer.setOffline(true),
        online: () => printer.setOffline(false),
      };
      const act = actions[fault];
      if (!act) throw new CommandRejected(`unknown printer fault ${fault}`);
      act();
      void checkService();
      return;
    }
    const sim = cash.simulator;
    if (sim && (device === 'coin' || device === 'bill' || device.startsWith('hopper'))) {
      const yen = Number(device.split('.')[1]);
      const actions: Record<string, () => void> = {
        jam: () => sim.jam(device as never),
        powerOff: () => sim.powerOff(device as never),
        powerOn: () => sim.powerOn(device as never),
        empty: () => sim.emptyHopper(yen),
        cashBoxFull: () => sim.cashBoxFull(),
      };
      // Every other fault the simulated devices know (route failures, escrow timeout, resets, …).
      const act = actions[fault] ?? (() => sim.fault(device as never, fault));
      try {
        act();
      } catch (e) {
        throw new CommandRejected(`unknown cash fault ${fault}: ${(e as Error).message}`);
      }
      return;
    }
    throw new CommandRejected(`no simulated device ${device}`);
  }

  const technician = createTechnicianConsole({
    config,
    configFile: opts.configFile ?? null,
    journal,
    devices,
    engine,
    log: log.child({ area: 'technician' }),
    checkService,
    clock,
    now,
    ...(opts.restart ? { restart: opts.restart } : {}),
  });
  const fleet = startFleetReporter({ config, devices, engine, journal, log: log.child({ area: 'fleet' }) });

  const handlers: CommandHandlers = {
    hello: () => ({ snapshot: engine.snapshot(), ui: ui() }),
    setLanguage: ({ language }) => {
      if (!config.ui.languages.includes(language))
        throw new CommandRejected(`language ${language} is not enabled`);
      engine.setLanguage(language);
      return { ok: true as const };
    },
    input: ({ input }) => {
      engine.input(input);
      return { ok: true as const };
    },
    demo: async ({ action }) => {
      await demoAction(action);
      return { ok: true as const };
    },
    technician: async ({ request }) => ({ ok: true as const, result: await technician.handle(request) }),
  };

  return {
    handlers,
    journal,
    devices,
    engine,
    recovered,
    journalFailure: () => journal.writeFailure,
    inhibitAcceptors,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot: () => engine.snapshot(),
    checkService,
    async stop() {
      clock.clearInterval(monitor);
      clock.clearInterval(catalogTimer);
      technician.stop();
      await fleet.stop();
      listeners.clear();
      engine.stop();
      await devices.close();
      journal.db.close();
    },
  };
}
