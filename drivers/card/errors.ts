// Tagged card errors. CardError's kinds are the ones the engine's card port knows (the card adapter
// checks that the two lists agree); the APDU layer raises CardStatusError (a status word the caller
// did not expect) and MalformedResponseError (bytes that do not parse), which the port maps to
// CardError kinds.
import type { StatusMeaning } from './status-words.js';

export type CardErrorKind =
  'removed' | 'noReader' | 'timeout' | 'unsupportedCard' | 'protocol' | 'transport' | 'securityStatus';

export class CardError extends Error {
  override readonly name = 'CardError';
  constructor(
    readonly kind: CardErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class CardStatusError extends Error {
  override readonly name = 'CardStatusError';
  readonly kind = 'status' as const;
  constructor(
    readonly sw: number,
    readonly meaning: StatusMeaning,
    /** What we were doing, e.g. "select EF 000A". */
    readonly context: string,
  ) {
    super(`${context}: status ${sw.toString(16).toUpperCase().padStart(4, '0')} (${meaning.reason})`);
  }
}

export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
  readonly kind = 'malformed' as const;
  constructor(
    readonly context: string,
    detail: string,
  ) {
    super(`${context}: ${detail}`);
  }
}

export type AnyCardError = CardError | CardStatusError | MalformedResponseError;

export function isCardLayerError(e: unknown): e is AnyCardError {
  return e instanceof CardError || e instanceof CardStatusError || e instanceof MalformedResponseError;
}
