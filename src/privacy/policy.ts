// The one personal-data policy: which fields are personal, and what the logger, the journal and
// the technician's reports do with them. Personal data exists for one session, in memory: the
// logger censors it at any depth, the journal refuses it, reports leave it out.
//
// Field names are matched exactly. `address` is the one ambiguous name: a resident's address is
// text, a ccTalk device address is a bus number (0..255) the cash debug log must keep, so an
// `address` is personal when it is text or sits in a resident's record.

/** Always personal, whatever the value. */
export const PERSONAL_FIELDS: ReadonlySet<string> = new Set([
  'pin',
  'name',
  'kana',
  'furigana',
  'birthDate',
  'birth_date',
  'sex',
  'residentAddress',
  'previousAddress',
  'honseki',
  'hittousha',
  'householder',
  'members',
  /** The household members or 戸籍 persons a resident chooses among (certificate options). */
  'people',
  'display',
  'personal',
]);

/** Objects whose `address` is a person's. */
const RESIDENT_RECORDS: ReadonlySet<string> = new Set([
  'resident',
  'display',
  'member',
  'members',
  'personal',
  'body',
  'content',
  'document',
  'householdOf',
]);

/** Whole session objects the journal never takes (they hold personal data or a credential). */
export const JOURNAL_REFUSED_FIELDS: ReadonlySet<string> = new Set([
  ...PERSONAL_FIELDS,
  'resident',
  'content',
  'document',
  'token',
]);

/** Left out of reports and log exports: personal fields and the keys that link rows to a resident. */
export const REPORT_EXCLUDED_FIELDS: ReadonlySet<string> = new Set([
  ...JOURNAL_REFUSED_FIELDS,
  'residentRef',
  'resident_hash',
  'cardInfo',
  'info',
]);

export const REDACTED = '[redacted]';

const lower = (names: ReadonlySet<string>) => new Set([...names].map((n) => n.toLowerCase()));
const PERSONAL_LOWER = lower(PERSONAL_FIELDS);
const JOURNAL_REFUSED_LOWER = lower(JOURNAL_REFUSED_FIELDS);
const REPORT_EXCLUDED_LOWER = lower(REPORT_EXCLUDED_FIELDS);

/** Is `key` (holding `value`, inside an object held under `parent`) personal? Case does not matter: PIN is pin. */
export function isPersonal(key: string, value: unknown, parent?: string): boolean {
  if (PERSONAL_LOWER.has(key.toLowerCase())) return true;
  if (key === 'address')
    return typeof value === 'string' || (parent !== undefined && RESIDENT_RECORDS.has(parent));
  return false;
}

const MAX_DEPTH = 32;

/** A copy with every personal field censored, at any depth (cycles and very deep values are cut). */
export function redactPersonal(
  value: unknown,
  parent?: string,
  depth = 0,
  seen = new WeakSet<object>(),
): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH || seen.has(value)) return '[cut]';
  seen.add(value);
  if (value instanceof Error) return errorSummary(value);
  if (Array.isArray(value)) return value.map((v) => redactPersonal(v, parent, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = isPersonal(k, v, parent) ? REDACTED : redactPersonal(v, k, depth + 1, seen);
  return out;
}

export class PersonalDataInJournal extends Error {
  readonly kind = 'personalData' as const;
}

/** The journal's rule: a detail naming a personal or session field is refused, never stored. */
export function assertNoPersonalData(detail: unknown, path = 'detail', parent?: string): void {
  if (detail === null || typeof detail !== 'object') return;
  for (const [k, v] of Object.entries(detail)) {
    if (JOURNAL_REFUSED_LOWER.has(k.toLowerCase()) || isPersonal(k, v, parent))
      throw new PersonalDataInJournal(`${path}.${k} must not be journaled`);
    assertNoPersonalData(v, `${path}.${k}`, k);
  }
}

/** The reports' rule: personal fields and resident links are dropped from what is exported. */
export function withoutPersonal(value: unknown, parent?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutPersonal(v, parent));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k, v]) => !REPORT_EXCLUDED_LOWER.has(k.toLowerCase()) && !isPersonal(k, v, parent))
        .map(([k, v]) => [k, withoutPersonal(v, k)]),
    );
  return value;
}

/**
 * What of an error may be logged: its class, kind and code. Not the message or the fields: a
 * validation or driver error can quote the value it choked on, which may be a name or a PIN.
 */
export function errorSummary(e: unknown): { name: string; kind?: string; code?: string } {
  if (!(e instanceof Error)) return { name: typeof e };
  const { kind, code } = e as { kind?: unknown; code?: unknown };
  return {
    name: e.name,
    ...(typeof kind === 'string' ? { kind } : {}),
    ...(typeof code === 'string' ? { code } : {}),
  };
}
