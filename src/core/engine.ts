// Runs the transaction machine: feeds it card events and resident input, enforces per-screen
// inactivity timeouts (warning with countdown, then TIMEOUT), and publishes UI-safe snapshots.
import { createActor, fromPromise, type SnapshotFrom } from 'xstate';
import {
  TechnicianView,
  type Language,
  type ResidentInput,
  type ScreenId,
  type ScreenView,
  type Snapshot,
} from '../contract/index.js';
import type { Config } from '../config/schema.js';
import { certificateOpen } from './certificate-hours.js';
import { systemClock, type Clock, type TimerId } from './clock.js';
import { createEffects, type EngineDeps } from './effects.js';
import { createReclaimEffects } from './reclaim.js';
import { transactionMachine } from './machine/transaction.machine.js';
import type { KioskEvent } from './machine/types.js';
import { screenOf, statePath, stepOf, viewOf } from './view.js';

/** Screens where the resident is expected to act; others are busy or end by themselves. */
const TIMED_SCREENS: ReadonlySet<ScreenId> = new Set([
  'terms',
  'insertCard',
  'pin',
  'municipality',
  'certificate',
  'options',
  'confirm',
  'takeCard',
  'payment',
]);

export interface EngineOptions {
  deps: EngineDeps;
  ui: Config['ui'];
  /** Per-certificate hours, the 利用規約 and the municipality readings (default: none of them). */
  service?: Config['service'];
  demo: boolean;
  acceptedBills: number[];
  /** Phones are accepted on the contactless reader (card.phone.enabled). */
  phoneAccepted?: boolean;
  /** Time for the inactivity timeouts and the chart's delays (default: the system clock). */
  clock?: Clock;
}

export type MachineSnapshot = SnapshotFrom<typeof transactionMachine>;

export function createEngine({
  deps,
  ui,
  service,
  demo,
  acceptedBills,
  phoneAccepted = false,
  clock = deps.clock ?? systemClock,
}: EngineOptions) {
  const effects = createEffects({ ...deps, clock });
  const termsRequired = service?.terms.required ?? false;
  const termsIn = (l: Language) => {
    const own = service?.terms.text[l];
    return own ? { text: own, language: l } : { text: service?.terms.text.ja ?? '', language: 'ja' as const };
  };
  const hoursOf = (type: string) => {
    const hours = service?.certificateHours[type];
    return { available: certificateOpen(new Date(clock.now()), hours), hours: hours ?? null };
  };
  const machine = transactionMachine.provide({
    actors: {
      ...effects.actors,
      ...createReclaimEffects({ ...deps, clock }).actors,
      // The technician learns of a card nobody came back for (journal audit trail and the log).
      reportCardLeft: fromPromise(async () => {
        deps.log.warn({ minutes: ui.cardLeftAlertSeconds / 60 }, 'a card has been left in the reader');
        deps.journal.audit('card', 'leftBehind', null, { afterSeconds: ui.cardLeftAlertSeconds });
      }),
    },
    guards: {
      termsRequired: () => termsRequired,
      certificateInHours: ({ event }) =>
        event.type !== 'SELECT_CERTIFICATE' || hoursOf(event.certificate).available,
    },
    delays: { cardLeftAlert: ui.cardLeftAlertSeconds * 1000 },
  });
  const actor = createActor(machine, { input: { cardPresent: deps.card.cardPresent() }, clock });
  const listeners = new Set<(s: Snapshot) => void>();
  let language: Language = ui.defaultLanguage;
  let seq = 0;
  let outOfServiceReason: string | null = null;
  let closed: { why: string; reopensAt: string | null } | null = null;
  let current: Snapshot;
  // The technician console's own state (who is logged in, role), shown on the 'technician' screen.
  let technicianView: Partial<TechnicianView> = {};
  // A technician's out-of-service message for residents (shown on the outOfService screen).
  let outOfServiceMessage: string | null = null;

  // Inactivity: one deadline for the current screen, reset by any resident input.
  let deadline: number | null = null;
  let timer: TimerId | null = null;
  let ticker: TimerId | null = null;
  let timedScreen: ScreenId | null = null;
  let warning: number | null = null;

  const timeoutFor = (screen: ScreenId) => (ui.timeouts[screen] ?? ui.timeouts.default ?? 60) * 1000;

  function clearTimers() {
    if (timer) clock.clearTimeout(timer);
    if (ticker) clock.clearInterval(ticker);
    timer = ticker = null;
    deadline = null;
    warning = null;
  }

  function armTimers(screen: ScreenId) {
    clearTimers();
    timedScreen = screen;
    if (!TIMED_SCREENS.has(screen)) return;
    // Paused while the cash devices are busy (preparing, counting, paying out): the resident waits on us.
    if (screen === 'payment' && !actor.getSnapshot().context.accepting) return;
    const total = timeoutFor(screen);
    const warnAt = Math.max(0, total - ui.timeoutWarning * 1000);
    deadline = clock.now() + total;
    // A timer may fire a millisecond early; the countdown never shows more than the configured warning.
    const secondsLeft = () => Math.min(ui.timeoutWarning, Math.ceil((deadline! - clock.now()) / 1000));
    timer = clock.setTimeout(() => {
      warning = secondsLeft();
      publish();
      ticker = clock.setInterval(() => {
        const left = secondsLeft();
        if (left <= 0) {
          clearTimers();
          actor.send({ type: 'TIMEOUT' });
          return;
        }
        warning = left;
        publish();
      }, 1000);
    }, warnAt);
  }

  function build(s: MachineSnapshot): Snapshot {
    const path = statePath(s.value);
    const screen = screenOf(path, s.context);
    return {
      state: path,
      language,
      seq: ++seq,
      // Progress steps belong to a session; the reclaim flow borrows the PIN screen without them.
      step: path.startsWith('session.') ? stepOf(screen) : null,
      timeoutWarning: warning === null ? null : { secondsLeft: warning },
      demo,
      ...screenView(path, screen, s),
    };
  }

  function screenView(path: string, screen: ScreenId, s: MachineSnapshot): ScreenView {
    if (screen === 'technician') return { screen, view: technicianView };
    const sv = viewOf(path, screen, s.context, {
      acceptedBills,
      phoneAccepted,
      outOfServiceReason,
      closed,
      terms: termsRequired ? termsIn(language) : null,
      readings: service?.municipalityReadings ?? {},
      certificateHours: hoursOf,
    });
    if (sv.screen === 'outOfService' && outOfServiceMessage)
      return { screen: sv.screen, view: { ...sv.view, message: outOfServiceMessage } };
    return sv;
  }

  function publish() {
    current = build(actor.getSnapshot());
    for (const l of listeners) l(current);
  }

  let lastPath = '';
  let lastMoney = '';
  actor.subscribe((s) => {
    const path = statePath(s.value);
    const money = `${s.context.insertedYen}/${s.context.accepting}`;
    if (path !== lastPath) {
      // The session is over: the card forgets its verified PIN.
      const withCard = (p: string) => p.startsWith('session.') || p.startsWith('reclaim.');
      if (!withCard(path) && withCard(lastPath)) {
        deps.card
          .endSession?.()
          .catch((e: unknown) =>
            deps.log.warn({ err: (e as Error).message }, 'card reset at session end failed'),
          );
      }
      // Back to idle: the next resident starts fresh, in the default language (a card left behind
      // is still reminded of in the language its owner chose).
      if (path === 'idle') language = ui.defaultLanguage;
      lastPath = path;
      lastMoney = money;
      const screen = screenOf(path, s.context);
      if (screen !== timedScreen || !TIMED_SCREENS.has(screen)) armTimers(screen);
    } else if (money !== lastMoney) {
      // A coin or bill counts as the resident acting; devices going busy pause the timer.
      lastMoney = money;
      if (timedScreen === 'payment') armTimers(timedScreen);
    }
    publish();
  });

  const offCard = deps.card.onEvent((e) => {
    if (e.type === 'cardInserted') actor.send({ type: 'CARD_INSERTED' });
    if (e.type === 'cardRemoved') actor.send({ type: 'CARD_REMOVED' });
  });

  function residentEvent(input: ResidentInput): KioskEvent | null {
    switch (input.type) {
      case 'EXTEND':
      case 'ACTIVITY':
        return null;
      case 'SET_OPTIONS':
        return { type: 'SET_OPTIONS', options: input.options, copies: input.copies };
      default:
        return input as KioskEvent;
    }
  }

  return {
    start() {
      actor.start();
    },
    stop() {
      clearTimers();
      offCard();
      actor.stop();
      listeners.clear();
    },
    /** Resident input: resets the inactivity timer, then goes to the machine. */
    input(input: ResidentInput) {
      if (timedScreen && TIMED_SCREENS.has(timedScreen)) armTimers(timedScreen);
      const ev = residentEvent(input);
      if (ev) actor.send(ev);
      else publish();
      // A certificate refused because its hours just ended: the menu is drawn again, now disabled.
      if (ev?.type === 'SELECT_CERTIFICATE' && current.screen === 'certificate') publish();
    },
    send(ev: KioskEvent) {
      if (ev.type === 'OUT_OF_SERVICE') outOfServiceReason = ev.reason;
      if (ev.type === 'IN_SERVICE') outOfServiceReason = null;
      if (ev.type === 'HOURS_CLOSED') closed = { why: ev.why ?? 'hours', reopensAt: ev.reopensAt ?? null };
      if (ev.type === 'HOURS_OPEN') closed = null;
      actor.send(ev);
      publish();
    },
    /** The technician console publishes its session state through the snapshot. */
    setTechnicianView(v: Record<string, unknown>) {
      technicianView = TechnicianView.partial().parse(v);
      publish();
    },
    setOutOfServiceMessage(m: string | null) {
      if (m === outOfServiceMessage) return;
      outOfServiceMessage = m;
      publish();
    },
    setLanguage(l: Language) {
      language = l;
      if (timedScreen && TIMED_SCREENS.has(timedScreen)) armTimers(timedScreen);
      publish();
    },
    snapshot: (): Snapshot => current,
    machineSnapshot: () => actor.getSnapshot(),
    subscribe(l: (s: Snapshot) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    payments: effects.payments,
  };
}
export type Engine = ReturnType<typeof createEngine>;
