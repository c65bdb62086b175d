// Validates every message crossing the renderer↔core boundary and routes it to a handler.
// Shared by both hosts; a malformed message is answered with a typed error and logged, and
// never reaches (or crashes) the core.
import { z } from 'zod';
import {
  commands,
  RequestEnvelope,
  type CommandName,
  type CommandRequest,
  type CommandResponse,
  type ContractErrorCode,
  type ResponseEnvelope,
} from '../contract/index.js';
import type { Logger } from '../log/logger.js';
import { errorSummary } from '../privacy/policy.js';

export type CommandHandlers = {
  [C in CommandName]: (payload: CommandRequest<C>) => Promise<CommandResponse<C>> | CommandResponse<C>;
};

/** Thrown by a handler to refuse a well-formed command (e.g. demo action without simulators). */
export class CommandRejected extends Error {
  readonly kind = 'rejected' as const;
}

export function createDispatcher(handlers: CommandHandlers, log: Logger) {
  const fail = (id: number | null, code: ContractErrorCode, message: string): ResponseEnvelope => {
    log.warn({ code, id }, `contract: ${message}`);
    return { kind: 'response', id, ok: false, error: { code, message } };
  };

  return async function dispatch(raw: unknown): Promise<ResponseEnvelope> {
    const env = RequestEnvelope.safeParse(raw);
    if (!env.success) {
      const id =
        typeof raw === 'object' && raw !== null && Number.isInteger((raw as { id?: unknown }).id)
          ? (raw as { id: number }).id
          : null;
      return fail(id, 'malformed', 'malformed envelope: ' + z.prettifyError(env.error).replace(/\n/g, '; '));
    }
    const { id, command, payload } = env.data;
    if (!Object.hasOwn(commands, command)) return fail(id, 'unknown_command', `unknown command "${command}"`);
    const name = command as CommandName;
    const parsed = commands[name].request.safeParse(payload ?? {});
    // Never echo payload values into the error: a PIN could be among them.
    if (!parsed.success)
      return fail(
        id,
        'invalid_payload',
        `invalid payload for "${name}": ` +
          parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.code}`).join('; '),
      );
    try {
      const handler = handlers[name] as (p: unknown) => Promise<unknown> | unknown;
      const result = await handler(parsed.data);
      return { kind: 'response', id, ok: true, result };
    } catch (e) {
      if (e instanceof CommandRejected) return fail(id, 'rejected', e.message);
      // Never the error itself: its message or fields may quote a payload value (a PIN, a name).
      log.error({ err: errorSummary(e), command: name }, 'command handler failed');
      return fail(id, 'internal', `command "${name}" failed`);
    }
  };
}
export type Dispatch = ReturnType<typeof createDispatcher>;
