// The technician console's part of the contract: one command, a discriminated union of actions.
// Every action is validated here before it reaches the core.
import { z } from 'zod';

const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const Digits = (min: number, max: number) => z.string().regex(new RegExp(`^\\d{${min},${max}}$`));
const Yen = z.union([z.literal(10), z.literal(50), z.literal(100), z.literal(500)]);

export const JournalFilter = z
  .object({
    date: IsoDay,
    kind: z.enum(['all', 'transaction', 'cash', 'print', 'technician']).default('all'),
    /** Case-insensitive substring of the event, reference or detail. */
    text: z.string().max(64).default(''),
  })
  .strict();
export type JournalFilter = z.infer<typeof JournalFilter>;

export const TechnicianRequest = z.discriminatedUnion('action', [
  /** The hidden gesture on the idle screen: leaves resident service and shows the login. */
  z.object({ action: z.literal('enter') }).strict(),
  z.object({ action: z.literal('exit') }).strict(),
  /** Technician card in the reader: its user-authentication PIN (4 digits), then the registry. */
  z.object({ action: z.literal('loginCard'), pin: Digits(4, 4) }).strict(),
  /** Fallback: technician id, technician PIN (4–8 digits) and the TOTP code (6 digits). */
  z
    .object({
      action: z.literal('loginPin'),
      technicianId: z.string().regex(/^[A-Za-z0-9_-]{2,32}$/),
      pin: Digits(4, 8),
      totp: Digits(6, 6),
    })
    .strict(),
  z.object({ action: z.literal('logout') }).strict(),
  /** Any touch on the console: keeps the session from the inactivity logout. */
  z.object({ action: z.literal('ping') }).strict(),
  z.object({ action: z.literal('status') }).strict(),
  z.object({ action: z.literal('version') }).strict(),
  z.discriminatedUnion('test', [
    /** Reads the inserted card's type and certificate; with the card-info PIN also the basic four items. */
    z
      .object({
        action: z.literal('selfTest'),
        test: z.literal('cardReader'),
        cardInfoPin: Digits(4, 4).optional(),
      })
      .strict(),
    z
      .object({
        action: z.literal('selfTest'),
        test: z.literal('printer'),
        printer: z.enum(['certificate', 'receipt']),
      })
      .strict(),
    z.object({ action: z.literal('selfTest'), test: z.literal('acceptorStart') }).strict(),
    z.object({ action: z.literal('selfTest'), test: z.literal('acceptorStop') }).strict(),
    z.object({ action: z.literal('selfTest'), test: z.literal('hopper'), yen: Yen }).strict(),
  ]),
  z.object({ action: z.literal('cashCounts') }).strict(),
  z.object({ action: z.literal('cashCollect') }).strict(),
  /** Reprints the slip of a collection (by its reference). */
  z.object({ action: z.literal('collectionSlip'), ref: z.string().regex(/^COL-\d+$/) }).strict(),
  z
    .object({ action: z.literal('hopperRefill'), yen: Yen, count: z.number().int().min(1).max(2000) })
    .strict(),
  /** A technician counted a hopper by hand: its level from now on. */
  z.object({ action: z.literal('hopperCount'), yen: Yen, count: z.number().int().min(0).max(5000) }).strict(),
  z.object({ action: z.literal('paperCounters') }).strict(),
  z.object({ action: z.literal('paperRefill'), printer: z.enum(['certificate', 'receipt']) }).strict(),
  z.object({ action: z.literal('journal'), filter: JournalFilter }).strict(),
  z.object({ action: z.literal('journalCsv'), filter: JournalFilter }).strict(),
  z.object({ action: z.literal('dailyReport'), date: IsoDay, print: z.boolean().default(false) }).strict(),
  z.object({ action: z.literal('logExport') }).strict(),
  z.object({ action: z.literal('configView') }).strict(),
  /** The whole configuration file as YAML; validated before it replaces the file, then a restart. */
  z.object({ action: z.literal('configEdit'), yaml: z.string().min(1).max(100_000) }).strict(),
  z
    .object({ action: z.literal('outOfService'), on: z.literal(true), message: z.string().min(1).max(200) })
    .strict(),
  z.object({ action: z.literal('inService') }).strict(),
]);
export type TechnicianRequest = z.infer<typeof TechnicianRequest>;
export type TechnicianAction = TechnicianRequest['action'];

export const TechnicianRole = z.enum(['operator', 'engineer']);
export type TechnicianRole = z.infer<typeof TechnicianRole>;

/** What the 'technician' screen's snapshot view carries (no secrets, no personal data). */
export const TechnicianView = z.object({
  stage: z.enum(['login', 'console']),
  technician: z.object({ id: z.string(), role: TechnicianRole, method: z.enum(['card', 'pin']) }).nullable(),
  /** Actions the logged-in role may run. */
  allowed: z.array(z.string()),
  cardPresent: z.boolean(),
  /** Seconds of inactivity before the automatic exit. */
  idleLogoutSeconds: z.number().int(),
  lockedUntil: z.string().nullable(),
});
export type TechnicianView = z.infer<typeof TechnicianView>;

/* ───────────── results: one schema per action ───────────── */

/** Why an action was refused. A failed login is one code whatever the cause (nothing given away). */
export const TechnicianError = z.enum([
  'busy',
  'notOnConsole',
  'alreadyLoggedIn',
  'notLoggedIn',
  'denied',
  'loginFailed',
  'failed',
  'noCard',
  'cardError',
  'printerError',
  'notRunning',
  'noHopper',
  'noConfigFile',
  'invalid',
  'notWritable',
  'dryRunFailed',
  'noCollection',
]);
export type TechnicianError = z.infer<typeof TechnicianError>;

export const ConfigProblem = z.object({ key: z.string(), message: z.string() }).strict();
export type ConfigProblem = z.infer<typeof ConfigProblem>;

export const TechnicianFailure = z
  .object({
    ok: z.literal(false),
    error: TechnicianError,
    /** Configuration problems (invalid, dryRunFailed). */
    problems: z.array(ConfigProblem).optional(),
    /** The role that was denied. */
    role: TechnicianRole.optional(),
    /** A device's own error text (self-tests). */
    message: z.string().optional(),
  })
  .strict();
export type TechnicianFailure = z.infer<typeof TechnicianFailure>;

const Ok = z.literal(true);
const TechnicianSessionInfo = z
  .object({ id: z.string(), role: TechnicianRole, method: z.enum(['card', 'pin']) })
  .strict();
export const DeviceStatusView = z
  .object({
    id: z.string(),
    kind: z.string(),
    state: z.string(),
    media: z.record(z.string(), z.string()),
    counters: z.record(z.string(), z.number()),
    lastError: z.object({ kind: z.string(), message: z.string(), at: z.string() }).strict().nullable(),
  })
  .strict();
export type DeviceStatusView = z.infer<typeof DeviceStatusView>;
export const CoinCount = z.object({ yen: z.number().int(), count: z.number().int() }).strict();
export type CoinCount = z.infer<typeof CoinCount>;
const OutOfServiceState = z.object({ message: z.string() }).strict().nullable();
export const JournalRowView = z
  .object({
    at: z.string(),
    kind: z.enum(['transaction', 'cash', 'print', 'technician']),
    ref: z.string(),
    event: z.string(),
    detail: z.string(),
  })
  .strict();
export type JournalRowView = z.infer<typeof JournalRowView>;
export const CashBoxView = z
  .object({ counts: z.array(CoinCount), totalYen: z.number().int(), sinceId: z.number().int() })
  .strict();
export const PaperCounter = z
  .object({
    printer: z.enum(['certificate', 'receipt']),
    refilledAt: z.string().nullable(),
    jobs: z.number().int(),
    sheets: z.number().int(),
  })
  .strict();
export type PaperCounter = z.infer<typeof PaperCounter>;
export const CollectionView = z
  .object({
    ref: z.string(),
    at: z.string(),
    totalYen: z.number().int(),
    counts: z.array(CoinCount),
    slipPrinted: z.boolean(),
  })
  .strict();
export type CollectionView = z.infer<typeof CollectionView>;
export const DailyReportView = z
  .object({
    date: z.string(),
    kioskId: z.string(),
    byCertificate: z.array(
      z
        .object({
          certificate: z.string(),
          name: z.string(),
          issuances: z.number().int(),
          copies: z.number().int(),
          feeYen: z.number().int(),
        })
        .strict(),
    ),
    issuances: z.number().int(),
    feeYen: z.number().int(),
    cash: z
      .object({
        inYen: z.number().int(),
        changeYen: z.number().int(),
        refundYen: z.number().int(),
        collectedYen: z.number().int(),
        refilledYen: z.number().int(),
      })
      .strict(),
    cancelled: z.number().int(),
    failed: z.number().int(),
    registry: z.union([
      z
        .object({ finalized: z.number().int(), finalizedFeeYen: z.number().int(), matches: z.boolean() })
        .strict(),
      z.object({ unavailable: z.string() }).strict(),
    ]),
  })
  .strict();
export type DailyReportView = z.infer<typeof DailyReportView>;

export const TechnicianResults = {
  enter: z.object({ ok: Ok, screen: z.string() }).strict(),
  exit: z.object({ ok: Ok, screen: z.string() }).strict(),
  loginCard: z.object({ ok: Ok, technician: TechnicianSessionInfo }).strict(),
  loginPin: z.object({ ok: Ok, technician: TechnicianSessionInfo }).strict(),
  logout: z.object({ ok: Ok }).strict(),
  ping: z.object({ ok: Ok }).strict(),
  status: z
    .object({
      ok: Ok,
      devices: z.array(DeviceStatusView),
      outOfService: OutOfServiceState,
      needsTechnician: z.object({ reason: z.string(), at: z.string() }).strict().nullable(),
      reasons: z.array(z.string()),
      hoppers: z.array(CoinCount),
      /** Set when an edited configuration failed to start twice and the last good one was put back. */
      configFallback: z
        .object({ at: z.string(), startsFailed: z.number().int(), rejected: z.string() })
        .strict()
        .nullable(),
    })
    .strict(),
  version: z
    .object({
      ok: Ok,
      version: z.string(),
      node: z.string(),
      electron: z.string().nullable(),
      kioskId: z.string(),
      configFile: z.string().nullable(),
    })
    .strict(),
  selfTest: z.union([
    z
      .object({
        ok: Ok,
        test: z.literal('cardReader'),
        card: z
          .object({
            cardType: z.string(),
            form: z.enum(['card', 'phone', 'unknown']),
            technician: z.boolean(),
            expired: z.boolean(),
            validTo: z.string().nullable(),
            authPinTriesLeft: z.number().int(),
            apdus: z.number().int(),
            reader: z.string(),
          })
          .strict(),
        basicPin: z.string().nullable(),
        /** Shown on screen only; never journaled. */
        basic: z
          .object({ name: z.string(), address: z.string(), birthDate: z.string(), sex: z.string() })
          .strict()
          .nullable(),
      })
      .strict(),
    z.object({ ok: Ok, test: z.literal('printer'), job: z.string() }).strict(),
    z.object({ ok: Ok, test: z.literal('acceptorStart'), running: z.boolean() }).strict(),
    z
      .object({
        ok: Ok,
        test: z.literal('acceptorStop'),
        insertedYen: z.number().int(),
        refundedYen: z.number().int(),
        shortYen: z.number().int(),
        events: z.array(z.string()),
      })
      .strict(),
    z
      .object({
        ok: Ok,
        test: z.literal('hopper'),
        complete: z.boolean(),
        paidYen: z.number().int(),
        levels: z.array(CoinCount),
      })
      .strict(),
  ]),
  cashCounts: z
    .object({
      ok: Ok,
      cashBox: CashBoxView,
      hoppers: z.array(CoinCount),
      devices: z.array(DeviceStatusView),
      collections: z.array(CollectionView),
    })
    .strict(),
  cashCollect: z.object({ ok: Ok, collection: CollectionView }).strict(),
  collectionSlip: z.object({ ok: Ok, collection: CollectionView }).strict(),
  hopperRefill: z.object({ ok: Ok, levels: z.array(CoinCount) }).strict(),
  hopperCount: z.object({ ok: Ok, levels: z.array(CoinCount) }).strict(),
  paperCounters: z
    .object({ ok: Ok, counters: z.array(PaperCounter), printers: z.array(DeviceStatusView) })
    .strict(),
  paperRefill: z.object({ ok: Ok, counters: z.array(PaperCounter) }).strict(),
  journal: z.object({ ok: Ok, rows: z.array(JournalRowView) }).strict(),
  journalCsv: z.object({ ok: Ok, fileName: z.string(), csv: z.string() }).strict(),
  dailyReport: z.object({ ok: Ok, report: DailyReportView, csv: z.string(), printed: z.boolean() }).strict(),
  logExport: z.object({ ok: Ok, fileName: z.string(), lines: z.number().int(), text: z.string() }).strict(),
  /** The configuration file with every secret value replaced by a placeholder. */
  configView: z.object({ ok: Ok, file: z.string().nullable(), text: z.string() }).strict(),
  configEdit: z
    .object({
      ok: Ok,
      restart: z.enum(['restarting', 'requested', 'unchanged']),
      changedKeys: z.array(z.string()),
      backup: z.string(),
    })
    .strict(),
  outOfService: z.object({ ok: Ok, outOfService: OutOfServiceState }).strict(),
  inService: z.object({ ok: Ok, outOfService: OutOfServiceState }).strict(),
} as const satisfies Record<TechnicianAction, z.ZodType>;

export type TechnicianResultOf<A extends TechnicianAction> = z.infer<(typeof TechnicianResults)[A]>;
/** What an action answers: its own result, or a refusal. */
export type TechnicianAnswer<A extends TechnicianAction> = TechnicianResultOf<A> | TechnicianFailure;

export const TechnicianResult = z.union([TechnicianFailure, ...Object.values(TechnicianResults)]);
export const TechnicianResponse = z.object({ ok: z.literal(true), result: TechnicianResult });

/** The schema of what `action` answers (its result or a refusal): the renderer parses with it. */
export function technicianAnswerSchema<A extends TechnicianAction>(action: A) {
  return z.union([TechnicianFailure, TechnicianResults[action]]);
}
