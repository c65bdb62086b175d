// The technician console behind the contract's `technician` command. This module keeps the
// session (login, roles, inactivity, card removal, the registry's expiry) and dispatches every
// other request through one table of actions, each with the roles allowed to run it; the actions
// live in ./actions by concern. Every action is journaled with who and when; the session (who,
// role, allowed actions) is published on the 'technician' screen's snapshot view.
import type {
  TechnicianAction,
  TechnicianAnswer,
  TechnicianRequest,
  TechnicianRole,
  TechnicianView,
} from '../contract/technician.js';
import { cashActions, syncHopperLevels } from './actions/cash.js';
import { configurationActions } from './actions/configuration.js';
import { reportActions } from './actions/reports.js';
import { selfTestActions, stopAcceptorTest } from './actions/self-tests.js';
import { serviceActions } from './actions/service.js';
import { startedUp } from '../ops/config-guard.js';
import { systemClock, unref, type TimerId } from '../core/clock.js';
import {
  CONFIG_FALLBACK,
  STICKY,
  fail,
  type ActionContext,
  type ActionEntry,
  type ActionTable,
  type Session,
  type TechnicianDeps,
} from './context.js';
import { createLockout } from './lockout.js';
import { createLogin, type LoginOutcome } from './login.js';

export type { TechnicianDeps } from './context.js';

export interface TechnicianConsole {
  handle<A extends TechnicianAction>(
    request: Extract<TechnicianRequest, { action: A }>,
  ): Promise<TechnicianAnswer<A>>;
  stop(): void;
}

/** Every action a logged-in technician may request, by concern. */
export const ACTIONS: ActionTable = {
  ...serviceActions,
  ...cashActions,
  ...selfTestActions,
  ...reportActions,
  ...configurationActions,
};

/** Actions by role, from the table (an operator handles cash and paper, an engineer configuration and diagnostics). */
export const ROLE_ACTIONS: Record<TechnicianRole, readonly TechnicianAction[]> = {
  operator: allowedFor('operator'),
  engineer: allowedFor('engineer'),
};
function allowedFor(role: TechnicianRole): TechnicianAction[] {
  return Object.values(ACTIONS)
    .filter((e) => e.roles.includes(role))
    .map((e) => e.action);
}

export function createTechnicianConsole(deps: TechnicianDeps): TechnicianConsole {
  const { journal, devices, engine, config, log } = deps;
  const clock = deps.clock ?? systemClock;
  const now = deps.now ?? (() => new Date(clock.now()));
  const lockout = createLockout(journal, {
    attempts: config.technician.lockoutAttempts,
    lockSeconds: config.technician.lockoutSeconds,
  });
  const login = createLogin(deps, lockout, now);
  let session: Session | null = null;
  let idleTimer: TimerId | null = null;
  let expiryTimer: TimerId | null = null;
  const state: ActionContext['state'] = { acceptorTest: null };

  const onConsole = () => engine.snapshot().screen === 'technician';
  const record = (action: string, detail?: unknown) =>
    journal.technicianAction({ technician: session?.id ?? '-', role: session?.role ?? '-', action, detail });

  // The hoppers' counts come from the journal, so a restart does not forget refills and payouts.
  syncHopperLevels({ deps });
  // Up on this configuration: an edit's trial is over; a fallback that happened is said once, here.
  const fellBack = startedUp(deps.configFile);
  if (fellBack) {
    journal.technicianAction({ technician: '-', role: '-', action: 'configFallback', detail: fellBack });
    journal.setState(CONFIG_FALLBACK, fellBack);
    log.error({ ...fellBack }, 'the edited configuration failed to start; running on the last good one');
  }

  const offCard = devices.card.onEvent((e) => {
    // Taking the technician card out ends a session opened with it.
    if (e.type === 'cardRemoved' && session?.method === 'card' && onConsole()) {
      record('logout', { reason: 'cardRemoved' });
      void leave();
      return;
    }
    publish();
  });

  function view(): TechnicianView {
    return {
      stage: session ? 'console' : 'login',
      technician: session && { id: session.id, role: session.role, method: session.method },
      allowed: session ? [...ROLE_ACTIONS[session.role]] : [],
      cardPresent: devices.card.cardPresent(),
      idleLogoutSeconds: config.technician.idleLogoutSeconds,
      lockedUntil: lockout.entryBlockedUntil('pin', now()),
    };
  }
  function publish() {
    if (onConsole()) engine.setTechnicianView(view());
  }

  function touch() {
    if (idleTimer) clock.clearTimeout(idleTimer);
    idleTimer = unref(
      clock.setTimeout(() => void timedExit('inactivity'), config.technician.idleLogoutSeconds * 1000),
    );
  }
  async function timedExit(reason: 'inactivity' | 'sessionExpired') {
    if (!onConsole()) return;
    if (session) record('logout', { reason });
    await leave();
  }
  const expired = () => session?.expiresAt != null && Date.parse(session.expiresAt) <= now().getTime();
  function clearTimers() {
    if (idleTimer) clock.clearTimeout(idleTimer);
    if (expiryTimer) clock.clearTimeout(expiryTimer);
    idleTimer = expiryTimer = null;
  }
  async function leave() {
    await stopAcceptorTest({ state }).catch(() => undefined);
    session = null;
    clearTimers();
    engine.send({ type: 'TECHNICIAN_EXIT' });
    await deps.checkService();
  }

  function loggedIn(r: LoginOutcome) {
    if (!r.ok) {
      publish();
      return fail('loginFailed');
    }
    const s = r.session;
    session = s;
    record('login', { method: s.method, ...(s.expiresAt ? { expiresAt: s.expiresAt } : {}) });
    log.info({ technician: s.id, role: s.role, method: s.method }, 'technician logged in');
    if (s.expiresAt) {
      expiryTimer = unref(
        clock.setTimeout(
          () => void timedExit('sessionExpired'),
          Math.max(0, Math.min(Date.parse(s.expiresAt) - now().getTime(), 2 ** 31 - 1)),
        ),
      );
    }
    publish();
    return { ok: true as const, technician: { id: s.id, role: s.role, method: s.method } };
  }

  function context(s: Session): ActionContext {
    return {
      deps,
      now,
      clock,
      session: s,
      record,
      state,
      leave,
      clearSticky(why) {
        if (journal.getState<unknown>(STICKY)) {
          journal.setState(STICKY, null);
          record('needsTechnicianCleared', { by: why });
        }
      },
      async printSlip(title, ref, lines, footer = []) {
        const id = journal.printIntent({ txId: null, kind: 'slip' });
        try {
          await devices.printers.receipt.printReceipt({
            title,
            kioskId: config.kiosk.id,
            transactionRef: ref,
            at: now(),
            lines,
            footer: [`担当 ${s.id}`, ...footer],
          });
          journal.printOutcome(id, true, { printerJob: `slip-${ref}` });
          return true;
        } catch (e) {
          journal.printOutcome(id, false, { detail: { error: (e as Error).message } });
          return false;
        }
      },
    };
  }

  async function handle(request: TechnicianRequest): Promise<TechnicianAnswer<TechnicianAction>> {
    switch (request.action) {
      case 'enter': {
        if (!['idle', 'outOfService', 'outsideHours', 'technician'].includes(engine.snapshot().state))
          return fail('busy');
        session = null;
        // The screen's first snapshot already carries the login state.
        engine.setTechnicianView(view());
        engine.send({ type: 'TECHNICIAN_ENTER' });
        if (!onConsole()) return fail('busy');
        journal.technicianAction({ technician: '-', role: '-', action: 'enter' });
        touch();
        publish();
        return { ok: true, screen: engine.snapshot().screen };
      }
      case 'exit':
        if (!onConsole()) return { ok: true, screen: engine.snapshot().screen };
        if (session) record('logout', { reason: 'exit' });
        await leave();
        return { ok: true, screen: engine.snapshot().screen };
      case 'loginCard':
      case 'loginPin': {
        if (!onConsole()) return fail('notOnConsole');
        if (session) return fail('alreadyLoggedIn');
        touch();
        return loggedIn(
          request.action === 'loginCard'
            ? await login.card(request.pin)
            : login.fallback(request.technicianId, request.pin, request.totp),
        );
      }
    }
    if (session && expired()) await timedExit('sessionExpired');
    if (!onConsole() || !session) return fail('notLoggedIn');
    touch();
    const entry = ACTIONS[request.action] as ActionEntry<typeof request.action> | undefined;
    if (!entry || !entry.roles.includes(session.role)) {
      record('denied', { action: request.action });
      return fail('denied', { role: session.role });
    }
    try {
      return await entry.handler(context(session), request as never);
    } catch (e) {
      log.error({ err: (e as Error).message, action: request.action }, 'technician action failed');
      record('error', { action: request.action, kind: (e as { kind?: string }).kind ?? 'error' });
      return fail('failed', { message: (e as Error).message });
    }
  }

  return {
    handle: handle as TechnicianConsole['handle'],
    stop() {
      clearTimers();
      offCard();
      state.acceptorTest?.off();
    },
  };
}
