// From the machine's state to what the renderer may see. Only what the current screen needs is
// exported; never the PIN (it is never in context), never the registry token or document, and
// no refusal reason (the kiosk never has one).
import type { Language, ScreenId } from '../contract/snapshot.js';
import type { ScreenView, Views } from '../contract/views.js';
import type { SessionContext } from './machine/types.js';
import type { CertificateHours } from './certificate-hours.js';
import type { CatalogOption } from './ports.js';
import { messageKeyFor } from './failures.js';

/** Leaf state path, e.g. "session.pin". */
export function statePath(value: unknown): string {
  if (typeof value === 'string') return value;
  const [k, v] = Object.entries(value as Record<string, unknown>)[0]!;
  return `${k}.${statePath(v)}`;
}

/** The screen of each state of the session; a test holds it to the chart's states, one for one. */
export const SESSION_SCREENS: Record<string, ScreenId> = {
  opening: 'insertCard',
  terms: 'terms',
  insertCard: 'insertCard',
  readingCard: 'readingCard',
  pin: 'pin',
  verifyingPin: 'pin',
  phoneAway: 'phoneAway',
  pinBlocked: 'refused',
  authenticating: 'authenticating',
  municipality: 'municipality',
  certificate: 'certificate',
  options: 'options',
  checkingEligibility: 'options',
  confirm: 'confirm',
  requesting: 'requesting',
  takeCard: 'takeCard',
  payment: 'payment',
  printing: 'printing',
  settling: 'change',
  thankYou: 'thankYou',
  refused: 'refused',
  cancelling: 'cancelled',
  failed: 'error',
  unwinding: 'cancelled',
  ended: 'cancelled',
  done: 'idle',
};

export function screenOf(path: string, ctx: SessionContext): ScreenId {
  if (path.startsWith('cardLeft')) return 'cardLeft';
  if (path.startsWith('reclaim.')) {
    // The reclaim flow borrows the card-reading and PIN screens; its own screen says the rest.
    const leaf = path.slice('reclaim.'.length);
    if (leaf === 'readingCard') return 'readingCard';
    if (leaf === 'pin' || leaf === 'verifyingPin') return 'pin';
    return 'reclaim';
  }
  if (!path.startsWith('session.'))
    return (
      ['idle', 'outOfService', 'outsideHours', 'technician'].includes(path) ? path : 'idle'
    ) as ScreenId;
  const leaf = path.slice('session.'.length);
  if (
    leaf === 'ended' ||
    leaf === 'unwinding' ||
    leaf === 'failed' ||
    leaf === 'refused' ||
    leaf === 'pinBlocked'
  ) {
    if (ctx.ending === 'refused' || ctx.ending === 'pinBlocked') return 'refused';
    if (ctx.ending === 'failed') return 'error';
    return 'cancelled';
  }
  return SESSION_SCREENS[leaf] ?? 'idle';
}

/** Progress steps shown on every screen of the flow. */
const STEPS: Partial<Record<ScreenId, number>> = {
  terms: 1,
  insertCard: 1,
  readingCard: 1,
  pin: 2,
  phoneAway: 2,
  authenticating: 2,
  municipality: 3,
  certificate: 3,
  options: 3,
  confirm: 4,
  requesting: 4,
  takeCard: 5,
  payment: 5,
  printing: 6,
  change: 6,
  thankYou: 6,
};
export const STEP_TOTAL = 6;

export function stepOf(screen: ScreenId) {
  const index = STEPS[screen];
  return index === undefined ? null : { index, total: STEP_TOTAL };
}

export interface ViewExtras {
  acceptedBills: number[];
  /** The kiosk accepts phones (card.phone.enabled): the insert-card screen offers the contactless reader. */
  phoneAccepted?: boolean;
  outOfServiceReason: string | null;
  closed?: { why: string; reopensAt: string | null } | null;
  /** The 利用規約 in the resident's language (or Japanese), when the configuration asks for consent. */
  terms?: { text: string; language: Language } | null;
  /** How municipality names are read (configuration), by 団体コード. */
  readings?: Readonly<Record<string, { kana: string; romaji: string }>>;
  /** A certificate type's own hours, and whether it is issued now (none: it follows the kiosk). */
  certificateHours?: (type: string) => { available: boolean; hours: CertificateHours | null };
}

/** The names of the people chosen in the options (members, person): only those, by id. */
function chosenNames(catalog: CatalogOption[], options: SessionContext['options']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of catalog) {
    const v = options[o.id];
    const ids = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
    for (const p of o.people ?? []) if (ids.includes(p.id)) out[p.id] = p.name;
  }
  return out;
}

/** Money given back at the end of a session: the refund's own result once it ran, what was inserted before. */
function refundOf(ctx: SessionContext): { refundedYen: number; owedYen: number } {
  return ctx.payout
    ? { refundedYen: ctx.payout.paidYen, owedYen: ctx.payout.shortYen }
    : { refundedYen: ctx.insertedYen, owedYen: 0 };
}

/** The current screen with its view; each branch is checked against that screen's contract type. */
export function viewOf(path: string, screen: ScreenId, ctx: SessionContext, extra: ViewExtras): ScreenView {
  const municipality = ctx.resident?.municipalities.find((m) => m.code === ctx.municipalityCode) ?? null;
  const certificate = municipality?.certificates.find((c) => c.type === ctx.certificateType) ?? null;
  const busy = /\.(verifyingPin|checkingEligibility|unwinding)$/.test(path);
  const reading = (code: string) => extra.readings?.[code] ?? null;
  const named = municipality && {
    code: municipality.code,
    name: municipality.name,
    reading: reading(municipality.code),
  };
  const hoursOf = extra.certificateHours ?? (() => ({ available: true, hours: null }));
  const phoneOnReader = ctx.tokenForm === 'phone' && ctx.cardPresent;
  switch (screen) {
    case 'outOfService':
      return { screen, view: { reason: extra.outOfServiceReason } satisfies Views['outOfService'] };
    case 'outsideHours':
      return {
        screen,
        view: {
          why: extra.closed?.why ?? 'hours',
          reopensAt: extra.closed?.reopensAt ?? null,
        } satisfies Views['outsideHours'],
      };
    case 'pin':
      return {
        screen,
        view: {
          triesLeft: ctx.triesLeft,
          cardType: ctx.cardType,
          form: ctx.tokenForm,
          spentWhileAway: ctx.pinSpentWhileAway,
          busy,
        } satisfies Views['pin'],
      };
    case 'phoneAway':
      return { screen, view: { triesLeft: ctx.triesLeft } satisfies Views['phoneAway'] };
    case 'terms':
      return {
        screen,
        view: {
          text: extra.terms?.text ?? '',
          textLanguage: extra.terms?.language ?? 'ja',
        } satisfies Views['terms'],
      };
    case 'insertCard':
      return { screen, view: { phoneAccepted: extra.phoneAccepted ?? false } satisfies Views['insertCard'] };
    case 'municipality':
      return {
        screen,
        view: {
          phoneOnReader,
          municipalities:
            ctx.resident?.municipalities.map((m) => ({
              code: m.code,
              name: m.name,
              reading: reading(m.code),
              relation: m.relation,
            })) ?? [],
        } satisfies Views['municipality'],
      };
    case 'certificate':
      return {
        screen,
        view: {
          phoneOnReader,
          municipality: named,
          certificates:
            municipality?.certificates.map((c) => {
              const { available, hours } = hoursOf(c.type);
              return {
                type: c.type,
                name: c.name,
                feeYen: c.feeYen,
                available,
                hours: hours && { ...hours, days: [...hours.days] },
              };
            }) ?? [],
          canGoBack: (ctx.resident?.municipalities.length ?? 0) > 1,
        } satisfies Views['certificate'],
      };
    case 'options':
      return {
        screen,
        view: {
          certificate: certificate && {
            type: certificate.type,
            name: certificate.name,
            feeYen: certificate.feeYen,
            maxCopies: certificate.maxCopies,
            options: certificate.options,
          },
          options: ctx.options,
          copies: ctx.copies,
          busy,
        } satisfies Views['options'],
      };
    case 'confirm':
    case 'requesting':
    case 'takeCard':
      return {
        screen,
        view: {
          municipality: named,
          certificate: certificate && { type: certificate.type, name: certificate.name },
          options: ctx.options,
          names: chosenNames(certificate?.options ?? [], ctx.options),
          copies: ctx.copies,
          feeYen: ctx.feeYen,
          cardPresent: ctx.cardPresent,
        } satisfies Views['confirm'],
      };
    case 'payment':
      return {
        screen,
        view: {
          accepting: ctx.accepting,
          dueYen: ctx.feeYen,
          insertedYen: ctx.insertedYen,
          remainingYen: Math.max(0, ctx.feeYen - ctx.insertedYen),
          noChangeFor: ctx.noChangeFor,
          noChangeWorks: ctx.noChangeWorks,
          acceptedBills: extra.acceptedBills,
        } satisfies Views['payment'],
      };
    case 'printing':
      return { screen, view: { copies: ctx.copies, printed: ctx.printedCopies } satisfies Views['printing'] };
    case 'change':
    case 'thankYou':
      return {
        screen,
        view: {
          changeYen: ctx.payout?.paidYen ?? Math.max(0, ctx.insertedYen - ctx.feeYen),
          shortYen: ctx.payout?.shortYen ?? 0,
          failure: ctx.failure ? messageKeyFor(ctx.failure) : null,
        } satisfies Views['change'],
      };
    case 'refused':
      return {
        screen,
        view: {
          reason: ctx.ending === 'pinBlocked' ? 'pinBlocked' : 'counter',
          cardPresent: ctx.cardPresent,
          busy,
        } satisfies Views['refused'],
      };
    case 'cancelled':
      return {
        screen,
        view: {
          ending: ctx.ending ?? 'cancelled',
          cardPresent: ctx.cardPresent,
          ...refundOf(ctx),
          busy,
        } satisfies Views['cancelled'],
      };
    case 'error': {
      // Copies already out: the sale stood (fee kept), so the payout was change, not a refund.
      const saleStood = ctx.issuance !== null && ctx.printedCopies > 0 && ctx.printedCopies < ctx.copies;
      return {
        screen,
        view: {
          messageKey: messageKeyFor(ctx.failure),
          cardPresent: ctx.cardPresent,
          ...(saleStood
            ? {
                refundedYen: 0,
                owedYen: ctx.payout?.shortYen ?? 0,
                changeYen: ctx.payout?.paidYen ?? 0,
                copiesPrinted: ctx.printedCopies,
                copiesOwed: ctx.copies - ctx.printedCopies,
              }
            : { ...refundOf(ctx), changeYen: 0, copiesPrinted: 0, copiesOwed: 0 }),
          busy,
        } satisfies Views['error'],
      };
    }
    case 'technician':
      return { screen, view: {} satisfies Views['technician'] };
    case 'reclaim': {
      const leaf = path.slice('reclaim.'.length);
      const given = ctx.reclaim ?? { refundedYen: 0, owedYen: 0, copiesPrinted: 0, copiesOwed: 0 };
      return {
        screen,
        view: {
          phase:
            leaf === 'delivered' && !ctx.reclaim
              ? 'failed'
              : leaf === 'delivering' || leaf === 'delivered' || leaf === 'notOwed'
                ? leaf
                : 'waiting',
          cardPresent: ctx.cardPresent,
          ...given,
        } satisfies Views['reclaim'],
      };
    }
    case 'cardLeft':
      return { screen, view: { abandoned: path === 'cardLeft.abandoned' } satisfies Views['cardLeft'] };
    case 'readingCard':
      // Not yet known which token it is: where phones are accepted, the text covers both.
      return {
        screen,
        view: {
          phone: ctx.tokenForm === 'phone' || (ctx.tokenForm === null && (extra.phoneAccepted ?? false)),
        } satisfies Views['readingCard'],
      };
    case 'authenticating':
      return { screen, view: { phone: ctx.tokenForm === 'phone' } satisfies Views['authenticating'] };
    case 'idle':
      return { screen, view: {} };
  }
}
