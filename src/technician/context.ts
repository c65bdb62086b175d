// What every console action is given: the kiosk's parts, the logged-in technician, and the few
// helpers every concern shares (journaling who did what, printing a slip, clearing the sticky flag).
import type {
  TechnicianAction,
  TechnicianAnswer,
  TechnicianError,
  TechnicianFailure,
  TechnicianRequest,
  TechnicianRole,
} from '../contract/technician.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { Devices } from '../app/devices.js';
import type { Engine } from '../core/engine.js';
import type { Clock } from '../core/clock.js';
import type { Journal } from '../core/journal/journal.js';
import type { PaymentEvent, PaymentSessionPort } from '../core/ports.js';

export interface TechnicianDeps {
  config: Config;
  /** The configuration file in use (for the validated edit), or null on embedded defaults. */
  configFile: string | null;
  journal: Journal;
  devices: Devices;
  engine: Engine;
  log: Logger;
  /** Re-evaluate service conditions (after an out-of-service switch, a refill…). */
  checkService(): Promise<string[]>;
  /** Restart the kiosk after a configuration edit (the shell's; absent = a restart is only requested). */
  restart?: () => void;
  /** Time for the inactivity and session-expiry exits, back-offs and the restart delay (default: the system clock). */
  clock?: Clock;
  now?: () => Date;
}

export interface Session {
  id: string;
  role: TechnicianRole;
  method: 'card' | 'pin';
  /** The registry's end of a card session (ISO), or null for the fallback login. */
  expiresAt: string | null;
}

/** The acceptor self-test in progress: a payment nobody can complete, handed back when stopped. */
export interface AcceptorTest {
  txId: string;
  session: PaymentSessionPort;
  events: PaymentEvent[];
  off: () => void;
}

export interface ActionContext extends Required<Pick<TechnicianDeps, 'now' | 'clock'>> {
  deps: TechnicianDeps;
  session: Session;
  /** Journals the action with who and when. */
  record(action: string, detail?: unknown): void;
  /** Prints a slip on the receipt printer, journaling the print; true when it printed. */
  printSlip(
    title: string,
    ref: string,
    lines: Array<{ label: string; amount?: number }>,
    footer?: string[],
  ): Promise<boolean>;
  /** Clears the "needs a technician" flag a fault left, journaling who cleared it. */
  clearSticky(why: string): void;
  /** Shared across actions of the console (the acceptor test spans two). */
  state: { acceptorTest: AcceptorTest | null };
  /** Leave the console (logout). */
  leave(): Promise<void>;
}

export type RequestOf<A extends TechnicianAction> = Extract<TechnicianRequest, { action: A }>;

/** One row of the console's action table: who may run it and what it does. */
export interface ActionEntry<A extends TechnicianAction> {
  action: A;
  roles: readonly TechnicianRole[];
  handler(ctx: ActionContext, request: RequestOf<A>): Promise<TechnicianAnswer<A>> | TechnicianAnswer<A>;
}

export type ActionTable = { [A in TechnicianAction]?: ActionEntry<A> };

export const BOTH: readonly TechnicianRole[] = ['operator', 'engineer'];
export const OPERATOR: readonly TechnicianRole[] = ['operator'];
export const ENGINEER: readonly TechnicianRole[] = ['engineer'];

export const fail = (
  error: TechnicianError,
  extra: Omit<TechnicianFailure, 'ok' | 'error'> = {},
): TechnicianFailure => ({ ok: false, error, ...extra });

export const STICKY = 'needsTechnician';
/** Kiosk state: the last fallback to the last good configuration, until a technician saves a new one. */
export const CONFIG_FALLBACK = 'configFallback';
