import type { PrinterErrorKind } from './interface.js';

/** Tagged printer error: callers switch on `kind`, never on the message. */
export class PrinterError extends Error {
  constructor(
    readonly kind: PrinterErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'PrinterError';
  }
}
