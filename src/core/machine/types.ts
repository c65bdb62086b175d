// Context and events of the transaction machine. What a screen needs of the resident (the
// municipalities offered) and the registry document live only here, in memory, for one session.
import type { AuthenticatedResident, CardType, IssuedDocument, PayoutResult, TokenForm } from '../ports.js';
import type { FailureReason } from '../failures.js';

export type OptionValue = string | boolean | number | string[];

export interface SessionContext {
  txId: string | null;
  cardType: CardType | null;
  /** Card in the contact slot or phone on the contactless reader: the phone may leave after authentication. */
  tokenForm: TokenForm | null;
  /** Null on a phone until its PIN is verified. */
  certificate: Uint8Array | null;
  triesLeft: number | null;
  /** A phone left the reader during the PIN check and came back with fewer tries: the resident is told. */
  pinSpentWhileAway: boolean;
  resident: AuthenticatedResident | null;
  municipalityCode: string | null;
  certificateType: string | null;
  options: Record<string, OptionValue>;
  copies: number;
  feeYen: number;
  issuance: IssuedDocument | null;
  insertedYen: number;
  /** A bill was refused because change could not be made (shown on the payment screen). */
  noChangeFor: number | null;
  /** Coins and bills that would be taken now, told with that refusal. */
  noChangeWorks: number[];
  /** The cash devices are enabled and taking money. */
  accepting: boolean;
  payout: PayoutResult | null;
  /** Workflow failure reason "<state>/<cause>", mapped to a message key for the screen. */
  failure: FailureReason | null;
  /** Set when the kiosk must go out of service after this session (IOU, device failure). */
  outOfServiceAfter: string | null;
  cardPresent: boolean;
  printedCopies: number;
  /** How the session ended when it did not complete; chooses the end screen. */
  ending: Ending | null;
  /** What a resident who came back after a restart was given, and what is still owed. */
  reclaim: ReclaimOutcome | null;
}

/** What the resident who came back for a claim was given, and what is still owed (a slip says so). */
export interface ReclaimOutcome {
  refundedYen: number;
  owedYen: number;
  copiesPrinted: number;
  copiesOwed: number;
}

export type Ending = 'cancelled' | 'timeout' | 'removed' | 'refused' | 'pinBlocked' | 'failed';

export const emptyContext = (): SessionContext => ({
  txId: null,
  cardType: null,
  tokenForm: null,
  certificate: null,
  triesLeft: null,
  pinSpentWhileAway: false,
  resident: null,
  municipalityCode: null,
  certificateType: null,
  options: {},
  copies: 1,
  feeYen: 0,
  issuance: null,
  insertedYen: 0,
  noChangeFor: null,
  noChangeWorks: [],
  accepting: false,
  payout: null,
  failure: null,
  outOfServiceAfter: null,
  cardPresent: false,
  printedCopies: 0,
  ending: null,
  reclaim: null,
});

export type KioskEvent =
  // resident
  | { type: 'START' }
  | { type: 'CANCEL' }
  | { type: 'BACK' }
  | { type: 'ACK' }
  | { type: 'AGREE' }
  | { type: 'PIN_SUBMIT'; pin: string }
  | { type: 'SELECT_MUNICIPALITY'; code: string }
  | { type: 'SELECT_CERTIFICATE'; certificate: string }
  | { type: 'SET_OPTIONS'; options: Record<string, OptionValue>; copies: number }
  | { type: 'CONFIRM' }
  // devices
  | { type: 'CARD_INSERTED' }
  | { type: 'CARD_REMOVED' }
  | {
      type: 'PAYMENT_PROGRESS';
      insertedYen: number;
      noChangeFor?: number | null;
      noChangeWorks?: number[];
      accepting?: boolean;
    }
  | { type: 'PAID'; insertedYen: number }
  | { type: 'DEVICE_FAILURE'; device: string; kind: string }
  // system
  | { type: 'TIMEOUT' }
  | { type: 'OUT_OF_SERVICE'; reason: string }
  | { type: 'IN_SERVICE' }
  | { type: 'HOURS_CLOSED'; why?: 'hours' | 'closedDay' | 'maintenance'; reopensAt?: string | null }
  | { type: 'HOURS_OPEN' }
  | { type: 'TECHNICIAN_ENTER' }
  /** A resident owed something after a restart may come back for it (src/core/reclaim.ts); or no longer. */
  | { type: 'RECLAIM_OPEN' }
  | { type: 'RECLAIM_CLOSED' }
  | { type: 'TECHNICIAN_EXIT' };

/** What the effect actors return. */
/** `certificate` is null for a phone: it is read right after the PIN. */
export type ReadCardOutput = {
  cardType: CardType;
  form: TokenForm;
  certificate: Uint8Array | null;
  triesLeft: number;
};
export type VerifyPinOutput =
  { result: 'ok'; certificate?: Uint8Array } | { result: 'wrong'; triesLeft: number } | { result: 'blocked' };
export type EligibilityOutput = { eligible: true; feeYen: number } | { eligible: false };
export type SettleOutput = { payout: PayoutResult };
/** Which token is at the reclaim screen and, for a card, whether anything is owed to it (a phone tells after its PIN). */
export type ReadClaimOutput = { known: boolean | null; triesLeft: number; phone: boolean };
export type ProveClaimOutput =
  { result: 'ok'; txId: string } | { result: 'wrong'; triesLeft: number } | { result: 'notOwed' };

/** Thrown by effects: the failure reason the machine records, "<state>/<cause>". */
export class WorkflowFailure extends Error {
  readonly kind = 'workflow' as const;
  constructor(
    readonly reason: FailureReason,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}
