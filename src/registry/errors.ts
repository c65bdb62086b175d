// Tagged registry errors. `kind` is the port's RegistryErrorKind; `code` is the registry's problem
// code when it answered. A refusal carries only the registry's opaque reference, never a reason.
import type { RegistryErrorKind } from '../core/ports.js';
import type { ProblemCode } from './api.js';

export class RegistryError extends Error {
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
    readonly details: {
      code?: ProblemCode;
      status?: number;
      reference?: string;
      retryable?: boolean;
      op?: string;
    } = {},
  ) {
    super(message);
    this.name = 'RegistryError';
  }
  get retryable(): boolean {
    return this.details.retryable ?? false;
  }
  /** Failures that say the registry (or the path to it) is unhealthy, as opposed to a refusal. */
  get countsAgainstHealth(): boolean {
    return (
      this.kind === 'unreachable' ||
      this.kind === 'timeout' ||
      this.kind === 'server' ||
      this.kind === 'malformed'
    );
  }
}

export const isRegistryError = (e: unknown): e is RegistryError => e instanceof RegistryError;
