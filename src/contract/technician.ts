// The technician console's part of the contract: one command, a discriminated union of actions.
// The technician issue owns and grows this union; every action is validated here before the core.
import { z } from 'zod';

export const TechnicianRequest = z.discriminatedUnion('action', [
  /** The hidden gesture on the idle screen: leaves resident service and shows the login. */
  z.object({ action: z.literal('enter') }).strict(),
  z.object({ action: z.literal('exit') }).strict(),
]);
export type TechnicianRequest = z.infer<typeof TechnicianRequest>;

export const TechnicianResponse = z.object({ ok: z.literal(true), result: z.unknown() });
