// Wire envelopes shared by both transports. Requests are validated here before any handler
// sees them; a malformed message gets a typed error back, never an exception in the core.
import { z } from 'zod';
import { Snapshot } from './snapshot.js';

export const RequestEnvelope = z.object({
  kind: z.literal('request'),
  id: z.number().int().nonnegative(),
  command: z.string().max(64),
  payload: z.unknown(),
});
export type RequestEnvelope = z.infer<typeof RequestEnvelope>;

export const ContractErrorCode = z.enum([
  'malformed',
  'unknown_command',
  'invalid_payload',
  'rejected',
  'internal',
]);
export type ContractErrorCode = z.infer<typeof ContractErrorCode>;

export const ResponseEnvelope = z.discriminatedUnion('ok', [
  z.object({
    kind: z.literal('response'),
    id: z.number().int().nullable(),
    ok: z.literal(true),
    result: z.unknown(),
  }),
  z.object({
    kind: z.literal('response'),
    id: z.number().int().nullable(),
    ok: z.literal(false),
    error: z.object({ code: ContractErrorCode, message: z.string() }),
  }),
]);
export type ResponseEnvelope = z.infer<typeof ResponseEnvelope>;

export const CoreEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), snapshot: Snapshot }),
]);
export type CoreEvent = z.infer<typeof CoreEvent>;

export const EventEnvelope = z.object({ kind: z.literal('event'), event: CoreEvent });
export type EventEnvelope = z.infer<typeof EventEnvelope>;

export { IPC_REQUEST, IPC_EVENT } from './channels.js';
