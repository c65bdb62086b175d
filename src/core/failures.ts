// Workflow failure reasons, the middle of the three error tiers: `<state>/<cause>`, where the state is
// the step of the session that failed and the cause a device or registry error kind or one of the
// workflow's own. Both halves are closed lists, so a reason is a typed value, never parsed text; the
// message a resident sees is looked up from them (the third tier).

export const FAILURE_STATES = [
  'session',
  'opening',
  'readingCard',
  'pin',
  'verifyingPin',
  'authenticating',
  'checkingEligibility',
  'requesting',
  'payment',
  'printing',
  'settling',
] as const;
export type FailureState = (typeof FAILURE_STATES)[number];

export const FAILURE_CAUSES = [
  // the workflow's own
  'removed',
  'timeout',
  'blocked',
  'certificateExpired',
  'certificateRevoked',
  'certificateUntrusted',
  'noPayment',
  'printerNotReady',
  'receiptPrinterNotReady',
  // the effect's fallback when an error carries no kind the workflow knows
  'unreadable',
  'card',
  'registry',
  'printer',
  'cash',
  'journal',
  // device and registry error kinds that change what the resident is told
  'unsupportedCard',
  'unauthorized',
  'rejected',
  // any other kind
  'other',
] as const;
export type FailureCause = (typeof FAILURE_CAUSES)[number];

export type FailureReason = `${FailureState}/${FailureCause}`;

export function failure(state: FailureState, cause: FailureCause): FailureReason {
  return `${state}/${cause}`;
}

const knownCauses: ReadonlySet<string> = new Set(FAILURE_CAUSES);

/** The cause for an error kind (a card, registry, printer, cash or journal error's `kind`). */
export function causeOf(kind: string | undefined): FailureCause {
  return kind !== undefined && knownCauses.has(kind) ? (kind as FailureCause) : 'other';
}

/** Every reason with its two halves. */
const PARTS: ReadonlyMap<FailureReason, { state: FailureState; cause: FailureCause }> = new Map(
  FAILURE_STATES.flatMap((state) =>
    FAILURE_CAUSES.map((cause) => [failure(state, cause), { state, cause }] as const),
  ),
);

export function partsOf(reason: FailureReason): { state: FailureState; cause: FailureCause } {
  return PARTS.get(reason)!;
}

/** Message keys of the error screen. */
export type FailureMessageKey =
  | 'error.generic'
  | 'error.cardRemoved'
  | 'error.timeout'
  | 'error.certificateExpired'
  | 'error.certificateRevoked'
  | 'error.cardUnsupported'
  | 'error.cardUnreadable'
  | 'error.printer'
  | 'error.cash'
  | 'error.certificateInvalid'
  | 'error.registry';

/** Causes that say the same to the resident whatever the step. */
const BY_CAUSE: Partial<Record<FailureCause, FailureMessageKey>> = {
  removed: 'error.cardRemoved',
  timeout: 'error.timeout',
  certificateExpired: 'error.certificateExpired',
  certificateRevoked: 'error.certificateRevoked',
  certificateUntrusted: 'error.certificateInvalid',
};

const registryMessage = (cause: FailureCause): FailureMessageKey =>
  cause === 'unauthorized' || cause === 'rejected' ? 'error.certificateInvalid' : 'error.registry';
const printerNotReady = (cause: FailureCause): FailureMessageKey | null =>
  cause === 'printerNotReady' || cause === 'receiptPrinterNotReady' ? 'error.printer' : null;

/** The rest, by the step that failed. */
const BY_STATE: Record<FailureState, (cause: FailureCause) => FailureMessageKey> = {
  session: () => 'error.generic',
  opening: () => 'error.generic',
  readingCard: (cause) =>
    cause === 'unsupportedCard'
      ? 'error.cardUnsupported'
      : cause === 'registry'
        ? 'error.registry'
        : 'error.cardUnreadable',
  pin: () => 'error.generic',
  verifyingPin: (cause) => (cause === 'registry' ? 'error.registry' : 'error.generic'),
  authenticating: registryMessage,
  checkingEligibility: registryMessage,
  requesting: (cause) => printerNotReady(cause) ?? registryMessage(cause),
  payment: (cause) => printerNotReady(cause) ?? 'error.cash',
  printing: () => 'error.printer',
  settling: () => 'error.cash',
};

/** Message key for a workflow failure reason: the third error tier. */
export function messageKeyFor(reason: FailureReason | null): FailureMessageKey {
  if (!reason) return 'error.generic';
  const { state, cause } = partsOf(reason);
  return BY_CAUSE[cause] ?? BY_STATE[state](cause);
}
