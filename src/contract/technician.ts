// The technician console's part of the contract: one command, a discriminated union of actions.
// The technician issue owns and grows this union; every action is validated here before the core.
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
  z.object({ action: z.literal('loginPin'), technicianId: z.string().regex(/^[A-Za-z0-9_-]{2,32}$/), pin: Digits(4, 8), totp: Digits(6, 6) }).strict(),
  z.object({ action: z.literal('logout') }).strict(),
  /** Any touch on the console: keeps the session from the inactivity logout. */
  z.object({ action: z.literal('ping') }).strict(),
  z.object({ action: z.literal('status') }).strict(),
  z.object({ action: z.literal('version') }).strict(),
  z.discriminatedUnion('test', [
    /** Reads the inserted card's type and certificate; with the card-info PIN also the basic four items. */
    z.object({ action: z.literal('selfTest'), test: z.literal('cardReader'), cardInfoPin: Digits(4, 4).optional() }).strict(),
    z.object({ action: z.literal('selfTest'), test: z.literal('printer'), printer: z.enum(['certificate', 'receipt']) }).strict(),
    z.object({ action: z.literal('selfTest'), test: z.literal('acceptorStart') }).strict(),
    z.object({ action: z.literal('selfTest'), test: z.literal('acceptorStop') }).strict(),
    z.object({ action: z.literal('selfTest'), test: z.literal('hopper'), yen: Yen }).strict(),
  ]),
  z.object({ action: z.literal('cashCounts') }).strict(),
  z.object({ action: z.literal('cashCollect') }).strict(),
  z.object({ action: z.literal('hopperRefill'), yen: Yen, count: z.number().int().min(1).max(2000) }).strict(),
  z.object({ action: z.literal('paperCounters') }).strict(),
  z.object({ action: z.literal('paperRefill'), printer: z.enum(['certificate', 'receipt']) }).strict(),
  z.object({ action: z.literal('journal'), filter: JournalFilter }).strict(),
  z.object({ action: z.literal('journalCsv'), filter: JournalFilter }).strict(),
  z.object({ action: z.literal('dailyReport'), date: IsoDay, print: z.boolean().default(false) }).strict(),
  z.object({ action: z.literal('logExport') }).strict(),
  z.object({ action: z.literal('configView') }).strict(),
  /** The whole configuration file as YAML; validated before it replaces the file, then a restart. */
  z.object({ action: z.literal('configEdit'), yaml: z.string().min(1).max(100_000) }).strict(),
  z.object({ action: z.literal('outOfService'), on: z.literal(true), message: z.string().min(1).max(200) }).strict(),
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

export const TechnicianResponse = z.object({ ok: z.literal(true), result: z.unknown() });
