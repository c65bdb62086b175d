// The ports the transaction engine depends on. Each device/service layer (card, registry,
// printing, cash) provides an adapter that satisfies its port, with a real implementation and a
// simulator behind it. The engine (src/core) never sees bytes, sockets or serial lines.
import type { DeviceStatus } from '../../drivers/common/status.js';

/* ───────────── card ───────────── */

/** The JPKI token: My Number card, 住基カード, or the JPKI AP in an Android or iPhone secure element. */
export type CardType = 'mynumber' | 'juki' | 'android' | 'iphone' | 'unknown';
export type TokenForm = 'card' | 'phone';
export interface TokenIdentity {
  cardType: CardType;
  form: TokenForm;
  /** A phone releases its user-authentication certificate only after the PIN is verified. */
  certificateNeedsPin: boolean;
}

export type CardEvent =
  | { type: 'readerAttached'; reader: string }
  | { type: 'readerDetached'; reader: string }
  | { type: 'cardInserted'; reader: string }
  | { type: 'cardRemoved'; reader: string };

export type PinResult =
  { ok: true } | { ok: false; blocked: false; triesLeft: number } | { ok: false; blocked: true };

/** Tagged card errors. "removed" means the card left the reader mid-operation. */
export type CardErrorKind =
  'removed' | 'noReader' | 'timeout' | 'unsupportedCard' | 'protocol' | 'transport' | 'securityStatus';

export interface CardPort {
  onEvent(listener: (e: CardEvent) => void): () => void;
  /** True when a card is present in the configured reader. */
  cardPresent(): boolean;
  /** Select JPKI and tell the token from EF 0006; an unknown token is refused (CardError unsupportedCard). */
  identifyToken(): Promise<TokenIdentity>;
  /** Select JPKI, tell the card type from EF 0006, read the user-authentication certificate (DER). On a phone, only after the PIN. */
  readAuthCertificate(): Promise<{ cardType: CardType; certificate: Uint8Array }>;
  /** Tries left on the user-authentication PIN, without spending one. */
  authPinTriesLeft(): Promise<number>;
  verifyAuthPin(pin: string): Promise<PinResult>;
  /** RSA PKCS#1 v1.5 signature with the user-authentication key over SHA-256(message). */
  signWithAuthKey(message: Uint8Array): Promise<Uint8Array>;
  status(): DeviceStatus;
  /** End of a session: reset the card so a verified PIN does not outlive the session. */
  endSession?(): Promise<void>;
  close(): Promise<void>;
}

/* ───────────── registry ───────────── */

export interface CatalogOption {
  id: string;
  /** members: several of `people`; person: one of them; counterOnly: issued at the counter only (個人番号). */
  kind: 'boolean' | 'choice' | 'members' | 'person' | 'fiscalYear' | 'counterOnly';
  choices?: string[];
  default?: string | boolean;
  /** Household members or persons of the 戸籍 to choose from: personal data, for the session only. */
  people?: Array<{ id: string; name: string }>;
  /** Asked only while another option has this value. */
  when?: { option: string; equals: string };
}
export interface CatalogCertificate {
  /** e.g. "juminhyo", "inkan", "koseki-zenbu", "koseki-kojin", "fuhyo", "shotoku-kazei" */
  type: string;
  /** Japanese display name (the renderer translates by type). */
  name: string;
  feeYen: number;
  maxCopies: number;
  options: CatalogOption[];
}
export interface Municipality {
  code: string;
  name: string;
  /** Why this resident may use it: residence, 本籍地 or both. */
  relation: Array<'residence' | 'honseki'>;
  certificates: CatalogCertificate[];
}
export interface AuthenticatedResident {
  /** Opaque session token for the registry (never stored in the journal). */
  token: string;
  /** Municipalities this resident can request from, with their catalogs. */
  municipalities: Municipality[];
  /** The registry's stable pseudonymous reference; hashed again with the kiosk key before journaling. */
  residentRef: string;
}
export interface IssuanceRequest {
  municipalityCode: string;
  certificate: string;
  options: Record<string, string | boolean | number | string[]>;
  copies: number;
}
/** Refusals never carry a reason to the kiosk: the resident is sent to the counter. */
/** feeYen is the total due for the request (fee per copy × copies). `reference` is the registry's opaque refusal reference for counter staff. */
export type Eligibility = { eligible: true; feeYen: number } | { eligible: false; reference?: string };
export interface IssuedDocument {
  issuanceId: string;
  /** Structured content plus the registry's signature, rendered by src/documents. */
  document: unknown;
  copies: number;
  feeYen: number;
}
/** The card's user-authentication certificate as the registry sees it (JPKI CA, validity, CRL). */
export type CertificateStatus = 'good' | 'revoked' | 'expired' | 'untrusted';
export type RegistryErrorKind =
  'unreachable' | 'timeout' | 'rejected' | 'malformed' | 'unauthorized' | 'server';

export interface RegistryPort {
  /** Asked before the PIN, so a revoked certificate is told without spending a try. */
  certificateStatus(certificate: Uint8Array): Promise<CertificateStatus>;
  challenge(): Promise<{ challengeId: string; nonce: Uint8Array }>;
  authenticate(args: {
    challengeId: string;
    certificate: Uint8Array;
    signature: Uint8Array;
  }): Promise<AuthenticatedResident>;
  eligibility(token: string, req: IssuanceRequest): Promise<Eligibility>;
  /** Same idempotencyKey → same issuance, never a second one. */
  issue(token: string, req: IssuanceRequest, idempotencyKey: string): Promise<IssuedDocument>;
  finalize(issuanceId: string): Promise<void>;
  void(issuanceId: string, reason: 'notPaid' | 'printFailed' | 'cancelled' | 'recovered'): Promise<void>;
  /** Recovery: void whatever this kiosk's request with that Idempotency-Key produced (it may be nothing). */
  voidByIdempotencyKey(
    idempotencyKey: string,
    reason: 'recovered',
  ): Promise<{ found: boolean; state: 'issued' | 'finalized' | 'voided' | null }>;
  /** Asks whether a paid but unprinted issuance may be printed again (recovery). */
  authorizeReprint(
    issuanceId: string,
  ): Promise<{ authorized: true; document: IssuedDocument } | { authorized: false }>;
  status(): DeviceStatus;
}

/* ───────────── printing ───────────── */

export interface CertificatePrinterPort {
  /** Render the registry's document and print it; resolves when the printer reports the job done. */
  printCertificate(doc: IssuedDocument, copyIndex: number): Promise<{ jobId: string; pages: number }>;
  /**
   * Verifies and renders the document ahead of its print (while the resident pays); nothing goes
   * to the printer. printCertificate uses the result, or does the work itself when there is none.
   */
  prepare?(doc: IssuedDocument): void;
  /** Drops what prepare kept for this issuance (the session is over: no personal data outlives it). */
  forget?(issuanceId: string): void;
  /** Checked before taking money: paper out here means no sale. */
  ready(): Promise<
    { ready: true } | { ready: false; reason: 'paperOut' | 'offline' | 'jammed' | 'coverOpen' | 'error' }
  >;
  status(): DeviceStatus;
}

export interface ReceiptLine {
  label: string;
  amount?: number;
}
export interface ReceiptContent {
  title: string;
  /** The municipality that issued the certificate (default: the one operating the kiosk). */
  issuer?: string;
  kioskId: string;
  /** Where the kiosk stands, e.g. 室蘭市役所 本庁舎 1F. */
  kioskName?: string;
  transactionRef: string;
  at: Date;
  lines: ReceiptLine[];
  footer?: string[];
}
export interface ReceiptPrinterPort {
  printReceipt(receipt: ReceiptContent): Promise<void>;
  /** An IOU slip when change could not be paid in full. */
  /** `paidYen`: what the devices did pay of that change or refund, printed beside the amount owed. */
  printIou(iou: {
    kioskId: string;
    transactionRef: string;
    at: Date;
    owedYen: number;
    paidYen?: number;
  }): Promise<void>;
  ready(): Promise<{ ready: true } | { ready: false; reason: string }>;
  status(): DeviceStatus;
}

/* ───────────── cash ───────────── */

export type Denomination = 10 | 50 | 100 | 500 | 1000 | 2000 | 5000 | 10000;

export type PaymentEvent =
  | { type: 'credited'; yen: Denomination; totalYen: number }
  | { type: 'escrowed'; yen: Denomination; totalYen: number }
  /** A bill handed back because its change cannot be paid; `works` = what is accepted instead now. */
  | { type: 'refusedNoChange'; yen: Denomination; works: Denomination[] }
  /** The validator handed back a bill it held (escrow timeout, power cycle): no longer counted. */
  | { type: 'returned'; yen: Denomination; totalYen: number }
  | { type: 'rejected'; reason: string }
  | { type: 'fault'; device: string; kind: string }
  | { type: 'paid'; totalYen: number };

export interface PayoutResult {
  requestedYen: number;
  paidYen: number;
  /** Per denomination actually paid. */
  paid: Partial<Record<Denomination, number>>;
  /** Owed to the resident (an IOU): exactly what the devices did not pay. */
  shortYen: number;
  /** Fee not collected: the validator never took the bill it held (route failed); its escrow is the device's. */
  uncollectedYen?: number;
}

export interface PaymentSessionPort {
  readonly amountDueYen: number;
  onEvent(listener: (e: PaymentEvent) => void): () => void;
  insertedYen(): number;
  /** Issuance confirmed: stack escrowed bills and pay change. */
  commit(): Promise<PayoutResult>;
  /** Cancel or failure: return escrowed bills and refund inserted coins. */
  cancel(): Promise<PayoutResult>;
}

/**
 * What a physical cash movement is: accept (coin or bill read), stack / return (a bill's route, or
 * the validator's own), refund / change / payout (coins out, one row per denomination), refill
 * (coins loaded, per denomination), iou (device "kiosk": yen owed after a short payout).
 */
export type CashMovementKind =
  'accept' | 'stack' | 'return' | 'refund' | 'change' | 'payout' | 'refill' | 'iou';

export interface CashIntent {
  transactionId: string;
  kind: CashMovementKind;
  /** "coin", "bill" or "hopper.<yen>". */
  device: string;
  /** Denomination. */
  yen: number;
  count: number;
}

export interface CashOutcome {
  ok: boolean;
  /** Pieces that actually moved. */
  count: number;
  detail?: string;
}

/** Every physical cash movement is journaled twice: the intent before it happens, the outcome after. */
export interface CashJournal {
  /** Records what is about to happen; returns the id the outcome refers to. */
  intent(m: CashIntent): number;
  outcome(id: number, r: CashOutcome): void;
}

export interface CashPort {
  /** Opens a payment for the amount; journaling hooks are given by the engine. */
  startPayment(amountDueYen: number, transactionId: string): Promise<PaymentSessionPort>;
  /** Can change be made for a payment of amountDueYen paid with one bill of billYen? */
  canMakeChange(changeYen: number): boolean;
  /** Pay out an amount owed (recovery refunds). */
  payout(yen: number, transactionId: string): Promise<PayoutResult>;
  /** Recovery: stack or return a bill the validator may still hold in escrow; "empty" when it does not. */
  settleEscrow(
    transactionId: string,
    yen: number,
    action: 'stack' | 'return',
  ): Promise<'stacked' | 'returned' | 'empty'>;
  status(): DeviceStatus[];
}
