// The resident owed something when the kiosk went down (a certificate paid for and not printed,
// money not given back) may come back for it. Within journal.reclaimWindowMinutes of the restart,
// the same card — known by the keyed hash of its certificate, never by personal data — and its PIN,
// verified by the card, receive the reprint and the refund. Another card receives nothing; after the
// window the claim closes, the IOU stays for the counter and a technician is called.
//
// Claims live in the journal's kiosk state so a second restart keeps them (and their deadline).
// Delivery is journaled before every effect; a claim whose delivery a crash cut short is never
// delivered twice: it goes to the technician, its cash movement counted.
import { fromPromise } from 'xstate';
import type { EngineDeps } from './effects.js';
import type { Journal } from './journal/journal.js';
import type { KioskEvent, ReclaimOutcome } from './machine/types.js';
import type { RecoveredClaim, RecoveryResult } from './recovery.js';
import type { IssuedDocument } from './ports.js';
import { systemClock } from './clock.js';

export interface Claim extends RecoveredClaim {
  txId: string;
  /** ISO time the window closes. */
  until: string;
  /** Set while its delivery runs: found set at start-up, the delivery was cut short by a crash. */
  delivering?: boolean;
}

const KEY = 'reclaims';

export function openClaims(journal: Journal): Claim[] {
  return journal.getState<Claim[]>(KEY) ?? [];
}

function saveClaims(journal: Journal, claims: Claim[]): void {
  journal.setState(KEY, claims);
}

/** Records what recovery found owed to a known card, redeemable until `until`. */
export function offerClaims(journal: Journal, results: readonly RecoveryResult[], until: Date): Claim[] {
  const fresh: Claim[] = results
    .filter((r) => r.claim)
    .map((r) => ({ txId: r.txId, ...r.claim!, until: until.toISOString() }));
  if (!fresh.length) return [];
  for (const c of fresh)
    journal.audit('recovery', 'reclaimOffered', c.txId, {
      until: c.until,
      owedYen: c.owedYen,
      copiesOwed: c.copiesOwed,
    });
  saveClaims(journal, [
    ...openClaims(journal).filter((o) => !fresh.some((f) => f.txId === o.txId)),
    ...fresh,
  ]);
  return fresh;
}

/**
 * At start-up: a claim still marked delivering was cut short by a crash. Its cash movement of unknown
 * outcome and its pending print job are closed as such, and it goes to the technician.
 */
export function closeInterruptedClaims(journal: Journal): Claim[] {
  const all = openClaims(journal);
  const cut = all.filter((c) => c.delivering);
  for (const c of cut) {
    for (const m of journal.openCashIntents(c.txId))
      journal.outcome(m.id, {
        ok: false,
        count: 0,
        detail: 'outcome unknown after restart; technician count needed',
      });
    for (const j of journal.printJobs(c.txId).filter((p) => p.status === 'pending'))
      journal.printOutcome(j.id, false, { detail: { interrupted: true } });
    journal.audit('recovery', 'reclaimInterrupted', c.txId, { owedYen: c.owedYen, copiesOwed: c.copiesOwed });
  }
  if (cut.length)
    saveClaims(
      journal,
      all.filter((c) => !c.delivering),
    );
  return cut;
}

/** Claims whose window has passed: closed; what they owe stays an IOU for the counter and the technician. */
export function closeExpiredClaims(journal: Journal, now: Date): Claim[] {
  const all = openClaims(journal);
  const expired = all.filter((c) => !c.delivering && Date.parse(c.until) <= now.getTime());
  for (const c of expired)
    journal.audit('recovery', 'reclaimExpired', c.txId, { owedYen: c.owedYen, copiesOwed: c.copiesOwed });
  if (expired.length)
    saveClaims(
      journal,
      all.filter((c) => !expired.includes(c)),
    );
  return expired;
}

/** The screen states a window's end may interrupt (never a PIN check or a delivery under way). */
const CLOSABLE = ['reclaim.waiting', 'reclaim.readingCard', 'reclaim.pin', 'reclaim.notOwed'];
/** States the reclaim screen may replace: nobody's session is under way. */
const OPENABLE = ['idle', 'cardLeft.reminding', 'cardLeft.abandoned', 'outOfService', 'outsideHours'];

/**
 * Keeps the chart in step with the claims: expired ones are closed (returned, for the technician),
 * the reclaim screen shows while one is open, and goes when none is left.
 */
export function syncReclaim(
  engine: { send(ev: KioskEvent): void; snapshot(): { state: string } },
  journal: Journal,
  now: Date,
  opts: { mayOpen: boolean },
): { expired: Claim[]; open: number } {
  const expired = closeExpiredClaims(journal, now);
  const open = openClaims(journal).filter((c) => !c.delivering).length;
  const state = engine.snapshot().state;
  if (open && opts.mayOpen && OPENABLE.includes(state)) engine.send({ type: 'RECLAIM_OPEN' });
  else if (!open && CLOSABLE.includes(state)) engine.send({ type: 'RECLAIM_CLOSED' });
  return { expired, open };
}

function claimFor(journal: Journal, cardHash: string, now: number): Claim | undefined {
  return openClaims(journal).find(
    (c) => c.cardHash === cardHash && !c.delivering && Date.parse(c.until) > now,
  );
}

function markDelivering(journal: Journal, txId: string): Claim {
  const all = openClaims(journal);
  const claim = all.find((c) => c.txId === txId);
  if (!claim) throw new Error('claim no longer open');
  claim.delivering = true;
  saveClaims(journal, all);
  return claim;
}

export function createReclaimEffects(deps: EngineDeps) {
  const { journal, card, registry, certificatePrinter, receiptPrinter, cash, log } = deps;
  const clock = deps.clock ?? systemClock;

  /** The copies still owed, printed again after the registry authorizes it; returns how many printed. */
  async function reprint(claim: Claim): Promise<number> {
    const { txId } = claim;
    journal.step(txId, 'registry.authorizeReprint', 'intent', { issuanceId: claim.issuanceId });
    const auth = await registry.authorizeReprint(claim.issuanceId!);
    journal.step(txId, 'registry.authorizeReprint', 'done', { authorized: auth.authorized });
    if (!auth.authorized) return 0;
    const doc: IssuedDocument = auth.document;
    const copies = journal.transaction(txId)?.copies ?? claim.copiesOwed;
    const done = new Set(
      journal
        .printJobs(txId)
        .filter((j) => j.kind === 'certificate' && j.status === 'done')
        .map((j) => j.copy_index),
    );
    let printed = 0;
    for (let copy = 1; copy <= copies && printed < claim.copiesOwed; copy++) {
      if (done.has(copy)) continue;
      if (!(await certificatePrinter.ready()).ready) break;
      const job = journal.printIntent({
        txId,
        kind: 'certificate',
        issuanceId: claim.issuanceId!,
        copyIndex: copy,
      });
      try {
        const r = await certificatePrinter.printCertificate(doc, copy);
        journal.printOutcome(job, true, { printerJob: r.jobId, detail: { pages: r.pages, reclaim: true } });
        printed++;
      } catch (e) {
        journal.printOutcome(job, false, { detail: { error: (e as { kind?: string }).kind ?? 'error' } });
        break;
      }
    }
    return printed;
  }

  /** A slip for what is still owed: the resident takes it to the counter. */
  async function printOwedSlip(txId: string, claim: Claim, out: ReclaimOutcome): Promise<void> {
    const at = new Date(clock.now());
    try {
      if (out.owedYen > 0) {
        const job = journal.printIntent({ txId, kind: 'iou' });
        try {
          await receiptPrinter.printIou({
            kioskId: deps.kioskId,
            transactionRef: txId,
            at,
            owedYen: out.owedYen,
            paidYen: out.refundedYen,
          });
          journal.printOutcome(job, true);
        } catch (e) {
          journal.printOutcome(job, false, { detail: { error: (e as { kind?: string }).kind ?? 'error' } });
        }
      }
      if (out.copiesOwed > 0) {
        const job = journal.printIntent({ txId, kind: 'slip', issuanceId: claim.issuanceId! });
        try {
          await receiptPrinter.printReceipt({
            title: '証明書お預かり票',
            kioskId: deps.kioskId,
            ...(deps.kioskName ? { kioskName: deps.kioskName } : {}),
            transactionRef: txId,
            at,
            lines: [
              { label: `交付番号 ${claim.issuanceId}` },
              { label: `お渡しした通数 ${out.copiesPrinted}` },
              { label: `未交付の通数 ${out.copiesOwed}` },
            ],
            footer: ['この票を窓口にお持ちください。'],
          });
          journal.printOutcome(job, true);
        } catch (e) {
          journal.printOutcome(job, false, { detail: { error: (e as { kind?: string }).kind ?? 'error' } });
        }
      }
    } catch (e) {
      log.warn({ tx: txId, err: (e as Error).message }, 'slip for what is still owed not journaled');
    }
  }

  const actors = {
    /** Which token it is and, for a card, whether anything is owed to it (a phone tells after its PIN). */
    readClaimCard: fromPromise<{ known: boolean | null; triesLeft: number; phone: boolean }>(async () => {
      const token = await card.identifyToken();
      let known: boolean | null = null;
      if (!token.certificateNeedsPin) {
        const { certificate } = await card.readAuthCertificate();
        known = claimFor(journal, journal.cardHash(certificate), clock.now()) !== undefined;
      }
      return { known, triesLeft: await card.authPinTriesLeft(), phone: token.form === 'phone' };
    }),

    /** The PIN goes to the card only; then the card's certificate must match an open claim. */
    proveClaim: fromPromise<
      { result: 'ok'; txId: string } | { result: 'wrong'; triesLeft: number } | { result: 'notOwed' },
      { pin: string }
    >(async ({ input }) => {
      const r = await card.verifyAuthPin(input.pin);
      if (!r.ok) return r.blocked ? { result: 'notOwed' } : { result: 'wrong', triesLeft: r.triesLeft };
      const { certificate } = await card.readAuthCertificate();
      const claim = claimFor(journal, journal.cardHash(certificate), clock.now());
      if (!claim) {
        journal.audit('recovery', 'reclaimNotOwed', null, {});
        return { result: 'notOwed' };
      }
      journal.audit('recovery', 'reclaimProved', claim.txId, {});
      return { result: 'ok', txId: claim.txId };
    }),

    /** Reprints the copies owed (then finalizes) and pays the money owed; each step journaled first. */
    deliverClaim: fromPromise<ReclaimOutcome, { txId: string }>(async ({ input }) => {
      const { txId } = input;
      const claim = markDelivering(journal, txId);
      journal.step(txId, 'reclaim', 'intent', { owedYen: claim.owedYen, copiesOwed: claim.copiesOwed });
      const out: ReclaimOutcome = {
        refundedYen: 0,
        owedYen: claim.owedYen,
        copiesPrinted: 0,
        copiesOwed: claim.copiesOwed,
      };
      if (claim.copiesOwed > 0 && claim.issuanceId) {
        try {
          out.copiesPrinted = await reprint(claim);
        } catch (e) {
          log.warn({ tx: txId, err: (e as Error).message }, 'owed certificate not reprinted');
        }
        out.copiesOwed -= out.copiesPrinted;
        if (out.copiesPrinted > 0 && out.copiesOwed > 0)
          journal.audit('recovery', 'certificateDelivered', txId, { copies: out.copiesPrinted });
        if (out.copiesPrinted > 0 && out.copiesOwed === 0) {
          // Every copy is now printed: the issuance is finalized, and only then no longer owed.
          try {
            journal.step(txId, 'registry.finalize', 'intent', { issuanceId: claim.issuanceId });
            await registry.finalize(claim.issuanceId);
            journal.step(txId, 'registry.finalize', 'done');
            journal.audit('recovery', 'certificateDelivered', txId, { copies: out.copiesPrinted });
          } catch (e) {
            journal.step(txId, 'registry.finalize', 'failed', {
              error: (e as { kind?: string }).kind ?? 'error',
            });
            log.warn({ tx: txId }, 'reprinted certificate not finalized; left to the technician');
          }
        }
      }
      if (claim.owedYen > 0) {
        journal.step(txId, 'reclaim.payout', 'intent', { yen: claim.owedYen });
        const before = journal.cashBalance(txId).paidOutYen;
        try {
          await cash.payout(claim.owedYen, txId);
        } catch (e) {
          log.warn({ tx: txId, err: (e as Error).message }, 'refund of an IOU failed');
        }
        // What the devices did pay, from their journaled outcomes, whatever the call returned.
        const paid = journal.cashBalance(txId).paidOutYen - before;
        if (paid > 0) journal.audit('cash', 'iouPaid', txId, { paidYen: paid });
        journal.step(txId, 'reclaim.payout', 'done', { paidYen: paid });
        out.refundedYen = paid;
        out.owedYen = claim.owedYen - paid;
      }
      if (out.owedYen > 0 || out.copiesOwed > 0) await printOwedSlip(txId, claim, out);
      journal.step(txId, 'reclaim', 'done', out);
      saveClaims(
        journal,
        openClaims(journal).filter((c) => c.txId !== txId),
      );
      journal.audit('recovery', 'reclaimed', txId, out);
      return out;
    }),
  };
  return { actors };
}
