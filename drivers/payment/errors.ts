// Tagged errors of the ccTalk layer. Callers switch on `kind`, never on message text.
export type CcTalkErrorKind =
  | 'timeout'
  | 'checksum'
  | 'malformed'
  | 'nak'
  | 'unexpectedSource'
  | 'noTransport'
  | 'closed'
  | 'sequence'
  | 'unexpectedHeader';

export class CcTalkError extends Error {
  override readonly name = 'CcTalkError';
  constructor(
    readonly kind: CcTalkErrorKind,
    message: string,
    /** The raw bytes involved, kept so nothing received is silently lost. */
    readonly bytes?: Uint8Array,
  ) {
    super(message);
  }
}

export const isCcTalkError = (e: unknown, kind?: CcTalkErrorKind): e is CcTalkError =>
  e instanceof CcTalkError && (kind === undefined || e.kind === kind);
