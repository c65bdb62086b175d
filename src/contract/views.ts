// What each screen's snapshot view carries: one schema per screen, so the renderer reads typed
// fields (no casts) and the core's view builder is checked against the same types.
import { z } from 'zod';
import { TechnicianView } from './technician.js';

export const OptionValue = z.union([z.string(), z.boolean(), z.number(), z.array(z.string())]);
export type OptionValue = z.infer<typeof OptionValue>;

export const CatalogOptionView = z.object({
  id: z.string(),
  kind: z.enum(['boolean', 'choice', 'members', 'person', 'fiscalYear', 'counterOnly']),
  choices: z.array(z.string()).optional(),
  default: z.union([z.string(), z.boolean()]).optional(),
  /** Household members (住民票) or persons of the 戸籍 to choose from: this resident's session only. */
  people: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
  when: z.object({ option: z.string(), equals: z.string() }).optional(),
});
export type CatalogOptionView = z.infer<typeof CatalogOptionView>;

/** How a municipality's name is read, shown beside it in English, Chinese and Korean. */
export const ReadingView = z.object({ kana: z.string(), romaji: z.string() });
const Named = z.object({ code: z.string(), name: z.string(), reading: ReadingView.nullable().default(null) });
const CertificateRef = z.object({ type: z.string(), name: z.string() });

export const EmptyView = z.object({});

export const OutOfServiceView = z.object({
  reason: z.string().nullable(),
  /** A technician's notice for residents. */
  message: z.string().optional(),
});

export const OutsideHoursView = z.object({
  why: z.string(),
  reopensAt: z.string().nullable(),
});

export const TokenFormView = z.enum(['card', 'phone']);

/** Where the resident presents the certificate: the card slot, and the contactless reader when phones are accepted. */
export const InsertCardView = z.object({ phoneAccepted: z.boolean() });

export const PinView = z.object({
  triesLeft: z.number().int().nullable(),
  /** Phones carry the same certificates (スマホ用電子証明書). */
  cardType: z.enum(['mynumber', 'juki', 'android', 'iphone', 'unknown']).nullable(),
  /** A phone must stay on the reader until the PIN is checked. */
  form: TokenFormView.nullable(),
  /** The phone left during a check and came back with fewer tries: say so. */
  spentWhileAway: z.boolean(),
  busy: z.boolean(),
});

/** Reading the token and authenticating: `phone` when a phone may be (or is) on the reader, which must stay put. */
export const TokenWaitView = z.object({ phone: z.boolean() });

/** A phone taken away before the resident was authenticated: hold it again. */
export const PhoneAwayView = z.object({ triesLeft: z.number().int().nullable() });

/** After authentication a phone may leave the reader: the choosing screens say so while it is still there. */
const PhoneHint = { phoneOnReader: z.boolean() };

export const MunicipalityView = z.object({
  ...PhoneHint,
  municipalities: z.array(Named.extend({ relation: z.array(z.enum(['residence', 'honseki'])) })),
});

/** A certificate's own hours (Japan time), when it has any. */
export const CertificateHoursView = z.object({
  days: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])),
  opens: z.string(),
  closes: z.string(),
});

export const CertificateView = z.object({
  ...PhoneHint,
  municipality: Named.nullable(),
  /** Every certificate offered; one outside its own hours is shown disabled, with the hours. */
  certificates: z.array(
    CertificateRef.extend({
      feeYen: z.number(),
      available: z.boolean().default(true),
      hours: CertificateHoursView.nullable().default(null),
    }),
  ),
  canGoBack: z.boolean(),
});

/** The municipality's 利用規約, in the resident's language (or Japanese), to agree to before the card. */
export const TermsView = z.object({
  text: z.string(),
  /** The language the text is written in (Japanese when the resident's has none). */
  textLanguage: z.enum(['ja', 'en', 'zh', 'ko', 'ja-easy']).default('ja'),
});

export const OptionsView = z.object({
  certificate: CertificateRef.extend({
    feeYen: z.number(),
    maxCopies: z.number().int(),
    options: z.array(CatalogOptionView),
  }).nullable(),
  options: z.record(z.string(), OptionValue),
  copies: z.number().int(),
  busy: z.boolean(),
});

/** The order as the resident chose it: confirm, requesting and take-card screens. */
export const OrderView = z.object({
  municipality: Named.nullable(),
  certificate: CertificateRef.nullable(),
  options: z.record(z.string(), OptionValue),
  /** Names of the people the resident chose (household members, the 戸籍 person), by id. */
  names: z.record(z.string(), z.string()).default({}),
  copies: z.number().int(),
  feeYen: z.number(),
  cardPresent: z.boolean(),
});

export const PaymentView = z.object({
  accepting: z.boolean(),
  dueYen: z.number(),
  insertedYen: z.number(),
  remainingYen: z.number(),
  noChangeFor: z.number().nullable(),
  /** With a refusal: the coins and bills that would be taken now. */
  noChangeWorks: z.array(z.number()).optional(),
  acceptedBills: z.array(z.number()),
});

export const PrintingView = z.object({ copies: z.number().int(), printed: z.number().int() });

export const ChangeView = z.object({
  changeYen: z.number(),
  shortYen: z.number(),
  /** Message key when paying out went wrong. */
  failure: z.string().nullable(),
});

/** A card left in the reader after a session; `abandoned` once the technician has been told. */
export const CardLeftView = z.object({ abandoned: z.boolean() });

/**
 * After a restart: the resident owed a certificate or money comes back with the same card and its PIN.
 * `phase` waiting (insert the card), delivering, delivered (what was given, what is still owed: a slip
 * was printed for it) or notOwed (this card is owed nothing here: nothing is given).
 */
export const ReclaimView = z.object({
  /** `failed`: the delivery stopped before it could say what it gave; the counter settles it. */
  phase: z.enum(['waiting', 'delivering', 'delivered', 'failed', 'notOwed']),
  cardPresent: z.boolean(),
  refundedYen: z.number(),
  owedYen: z.number(),
  copiesPrinted: z.number().int(),
  copiesOwed: z.number().int(),
});

export const RefusedView = z.object({
  reason: z.enum(['counter', 'pinBlocked']),
  cardPresent: z.boolean(),
  busy: z.boolean(),
});

export const Ending = z.enum(['cancelled', 'timeout', 'removed', 'refused', 'pinBlocked', 'failed']);

export const CancelledView = z.object({
  ending: Ending,
  cardPresent: z.boolean(),
  refundedYen: z.number(),
  /** What the devices could not give back (an IOU slip was printed). */
  owedYen: z.number(),
  busy: z.boolean(),
});

export const ErrorView = z.object({
  messageKey: z.string(),
  cardPresent: z.boolean(),
  refundedYen: z.number(),
  owedYen: z.number(),
  /**
   * A printer that failed after some copies were out: the sale stands, so nothing is refunded; the
   * change given, the copies given and the copies owed at the counter are told instead (else zero).
   */
  changeYen: z.number(),
  copiesPrinted: z.number().int(),
  copiesOwed: z.number().int(),
  busy: z.boolean(),
});

/** Screen id → its view schema. Every screen of ScreenId has exactly one. */
export const VIEWS = {
  idle: EmptyView,
  outOfService: OutOfServiceView,
  outsideHours: OutsideHoursView,
  terms: TermsView,
  insertCard: InsertCardView,
  readingCard: TokenWaitView,
  pin: PinView,
  phoneAway: PhoneAwayView,
  authenticating: TokenWaitView,
  municipality: MunicipalityView,
  certificate: CertificateView,
  options: OptionsView,
  confirm: OrderView,
  requesting: OrderView,
  takeCard: OrderView,
  payment: PaymentView,
  printing: PrintingView,
  change: ChangeView,
  thankYou: ChangeView,
  refused: RefusedView,
  error: ErrorView,
  cancelled: CancelledView,
  technician: TechnicianView.partial(),
  cardLeft: CardLeftView,
  reclaim: ReclaimView,
} as const;

export type Views = { [S in keyof typeof VIEWS]: z.infer<(typeof VIEWS)[S]> };
/** A screen with its view: the discriminated union the renderer switches on. */
export type ScreenView = { [S in keyof Views]: { screen: S; view: Views[S] } }[keyof Views];
