// The one contract between renderer and core: every command with its request and response
// schema. Both hosts (Electron IPC and the browser host's WebSocket) and the renderer's client
// are typed from this table, so adding a command here is the only way to add one anywhere.
import { z } from 'zod';
import { Language, Snapshot } from './snapshot.js';
import { DeviceLayout } from './layout.js';
import { TechnicianRequest, TechnicianResponse } from './technician.js';

/** Resident input. The core decides what it means in the current state. */
export const ResidentInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('START') }),
  z.object({ type: z.literal('CANCEL') }),
  z.object({ type: z.literal('BACK') }),
  z.object({ type: z.literal('EXTEND') }),
  // The resident touched something the core does not need to see (a PIN digit, an option not yet
  // sent, the display mode): it only keeps the session alive. The value never crosses.
  z.object({
    type: z.literal('ACTIVITY'),
    kind: z.enum(['pinDigit', 'option', 'copies', 'display', 'sound']),
  }),
  z.object({ type: z.literal('ACK') }),
  // Consent to the municipality's 利用規約, when its configuration asks for it.
  z.object({ type: z.literal('AGREE') }),
  // The PIN crosses the contract exactly once, straight into the card command.
  z.object({ type: z.literal('PIN_SUBMIT'), pin: z.string().regex(/^\d{4}$/) }),
  z.object({ type: z.literal('SELECT_MUNICIPALITY'), code: z.string().regex(/^\d{6}$/) }),
  z.object({ type: z.literal('SELECT_CERTIFICATE'), certificate: z.string().min(1).max(64) }),
  z.object({
    type: z.literal('SET_OPTIONS'),
    options: z.record(
      z.string().max(64),
      z.union([z.string().max(64), z.boolean(), z.number(), z.array(z.string().max(64)).max(20)]),
    ),
    copies: z.number().int().min(1).max(10),
  }),
  z.object({ type: z.literal('CONFIRM') }),
]);
export type ResidentInput = z.infer<typeof ResidentInput>;

/** Demo panel actions (accepted only when simulators are configured). */
export const DemoAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('insertCard'), cardId: z.string().min(1).max(64) }),
  z.object({ type: z.literal('removeCard') }),
  z.object({
    type: z.literal('insertCoin'),
    yen: z.union([z.literal(10), z.literal(50), z.literal(100), z.literal(500)]),
  }),
  z.object({
    type: z.literal('insertBill'),
    yen: z.union([z.literal(1000), z.literal(2000), z.literal(5000), z.literal(10000)]),
  }),
  z.object({ type: z.literal('fault'), device: z.string().min(1).max(32), fault: z.string().min(1).max(32) }),
]);
export type DemoAction = z.infer<typeof DemoAction>;

export const UiConfig = z.object({
  languages: z.array(Language),
  shufflePinPad: z.boolean(),
  demo: z.boolean(),
  kioskName: z.string(),
  /** Where the card slot, cash inlets, change tray and paper outlets are, for the pictures. */
  layout: DeviceLayout,
  /** `phone`: a fixture resident's phone, held on the reader instead of inserted. */
  demoCards: z.array(z.object({ id: z.string(), label: z.string(), phone: z.boolean().optional() })),
});
export type UiConfig = z.infer<typeof UiConfig>;

export const Ok = z.object({ ok: z.literal(true) });

export const commands = {
  hello: { request: z.object({}).strict(), response: z.object({ snapshot: Snapshot, ui: UiConfig }) },
  setLanguage: { request: z.object({ language: Language }).strict(), response: Ok },
  input: { request: z.object({ input: ResidentInput }).strict(), response: Ok },
  demo: { request: z.object({ action: DemoAction }).strict(), response: Ok },
  technician: { request: z.object({ request: TechnicianRequest }).strict(), response: TechnicianResponse },
} as const;

export type CommandName = keyof typeof commands;
export type CommandRequest<C extends CommandName> = z.infer<(typeof commands)[C]['request']>;
export type CommandResponse<C extends CommandName> = z.infer<(typeof commands)[C]['response']>;
export const COMMAND_NAMES = Object.keys(commands) as CommandName[];
