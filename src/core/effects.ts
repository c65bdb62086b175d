// The transaction machine's effects, bound to the ports and the journal. Each one writes its
// intent to the journal before touching a device or the registry, and its outcome after, so a
// crash at any instant leaves enough on disk for recovery (src/core/recovery.ts) to finish it.
import { fromCallback, fromPromise } from 'xstate';
import type { Logger } from '../log/logger.js';
import { systemClock, type Clock, type TimerId } from './clock.js';
import { causeOf, failure, type FailureState } from './failures.js';
import type { StepName } from './steps.js';
import { certificateValidity } from './certificate-validity.js';
import { receiptFor } from './receipt.js';
import type { Journal, StepPhase } from './journal/journal.js';
import type {
  CardPort,
  CashPort,
  CertificatePrinterPort,
  IssuanceRequest,
  PaymentSessionPort,
  PayoutResult,
  ReceiptPrinterPort,
  RegistryPort,
} from './ports.js';
import { WorkflowFailure, type KioskEvent, type SessionContext } from './machine/types.js';
import type { transactionMachine } from './machine/transaction.machine.js';

export interface EngineDeps {
  journal: Journal;
  card: CardPort;
  registry: RegistryPort;
  certificatePrinter: CertificatePrinterPort;
  receiptPrinter: ReceiptPrinterPort;
  cash: CashPort;
  log: Logger;
  kioskId: string;
  /** Where the kiosk stands (e.g. 室蘭市役所 本庁舎 1F), printed on the receipt as part of the issuer. */
  kioskName?: string;
  /** Test hook: called after every journal write; the crash test kills the process here. */
  crashPoint?: (step: string, phase: StepPhase) => void;
  /** The time certificates are checked against and slips are dated with (default: the system clock). */
  clock?: Clock;
  /** How often the certificate printer is asked while money goes in (default 2 s). */
  printerWatchMs?: number;
}

type Impl = Parameters<typeof transactionMachine.provide>[0];

export function issuanceRequest(ctx: SessionContext): IssuanceRequest {
  return {
    municipalityCode: ctx.municipalityCode!,
    certificate: ctx.certificateType!,
    options: ctx.options,
    copies: ctx.copies,
  };
}

/** Maps a device/registry error to the workflow failure reason "<state>/<cause>". */
export function asFailure(state: FailureState, e: unknown): WorkflowFailure {
  if (e instanceof WorkflowFailure) return e;
  const kind =
    typeof e === 'object' && e !== null && 'kind' in e && typeof (e as { kind: unknown }).kind === 'string'
      ? (e as { kind: string }).kind
      : undefined;
  return new WorkflowFailure(failure(state, causeOf(kind)), { cause: e });
}

export function createEffects(deps: EngineDeps) {
  const { journal, card, registry, certificatePrinter, receiptPrinter, cash, log } = deps;
  const clock = deps.clock ?? systemClock;
  const payments = new Map<string, PaymentSessionPort>();

  /** Journals one step around an effect: intent, then done or failed. */
  async function step<T>(
    txId: string,
    name: StepName,
    detail: unknown,
    run: () => Promise<T>,
    doneDetail?: (r: T) => unknown,
  ): Promise<T> {
    journal.step(txId, name, 'intent', detail);
    deps.crashPoint?.(name, 'intent');
    let result: T;
    try {
      result = await run();
    } catch (e) {
      journal.step(txId, name, 'failed', { error: (e as { kind?: string }).kind ?? 'error' });
      deps.crashPoint?.(name, 'failed');
      throw e;
    }
    journal.step(txId, name, 'done', doneDetail?.(result));
    deps.crashPoint?.(name, 'done');
    return result;
  }

  async function printIou(txId: string, owedYen: number, paidYen: number) {
    const id = journal.printIntent({ txId, kind: 'iou' });
    try {
      await receiptPrinter.printIou({
        kioskId: deps.kioskId,
        transactionRef: txId,
        at: new Date(clock.now()),
        owedYen,
        paidYen,
      });
      journal.printOutcome(id, true);
    } catch (e) {
      journal.printOutcome(id, false, { detail: { error: (e as { kind?: string }).kind ?? 'error' } });
    }
    journal.audit('cash', 'iou', txId, { owedYen });
  }

  /**
   * The registry's word on the card's certificate (JPKI CA, validity, CRL) before the PIN. A registry
   * that cannot answer stops the session here: authentication needs it anyway, and the resident should
   * not type a PIN (or lose a try) for a session that cannot go on.
   */
  async function checkCertificate(state: 'readingCard' | 'verifyingPin', certificate: Uint8Array) {
    let status;
    try {
      status = await registry.certificateStatus(certificate);
    } catch (e) {
      throw new WorkflowFailure(failure(state, 'registry'), { cause: e });
    }
    if (status === 'revoked') throw new WorkflowFailure(failure(state, 'certificateRevoked'));
    if (status === 'expired') throw new WorkflowFailure(failure(state, 'certificateExpired'));
    if (status === 'untrusted') throw new WorkflowFailure(failure(state, 'certificateUntrusted'));
  }

  const actors: Impl['actors'] = {
    openTransaction: fromPromise(async () => journal.openTransaction()),

    readCard: fromPromise(async ({ input }) => {
      try {
        return await step(
          input.txId,
          'card.read',
          undefined,
          async () => {
            const token = await card.identifyToken();
            // A phone releases its certificate only after the PIN: it is read in verifyPin.
            const certificate = token.certificateNeedsPin
              ? null
              : (await card.readAuthCertificate()).certificate;
            const validity = certificate
              ? certificateValidity(certificate, new Date(clock.now()))
              : 'unreadable';
            if (validity === 'expired' || validity === 'notYetValid')
              throw new WorkflowFailure('readingCard/certificateExpired');
            if (certificate) await checkCertificate('readingCard', certificate);
            const triesLeft = await card.authPinTriesLeft();
            return { cardType: token.cardType, form: token.form, certificate, triesLeft };
          },
          // The card's keyed hash lets a resident owed something after a crash prove it is the same card.
          (r) => ({
            cardType: r.cardType,
            triesLeft: r.triesLeft,
            cardHash: r.certificate ? journal.cardHash(r.certificate) : null,
          }),
        );
      } catch (e) {
        throw asFailure('readingCard', e);
      }
    }),

    verifyPin: fromPromise(async ({ input }) => {
      try {
        // The PIN is handed to the card and dropped; the journal records only the result.
        const r = await step(
          input.txId,
          'card.verifyPin',
          undefined,
          () => card.verifyAuthPin(input.pin),
          (r) =>
            r.ok
              ? { result: 'ok' }
              : r.blocked
                ? { result: 'blocked' }
                : { result: 'wrong', triesLeft: r.triesLeft },
        );
        if (r.ok) {
          if (input.certificateNeeded) {
            const { certificate } = await step(
              input.txId,
              'card.readCertificate',
              undefined,
              () => card.readAuthCertificate(),
              (c) => ({ cardHash: journal.cardHash(c.certificate) }),
            );
            // A phone shows its certificate only now: checked before the registry sees a signature.
            await checkCertificate('verifyingPin', certificate);
            return { result: 'ok' as const, certificate };
          }
          return { result: 'ok' as const };
        }
        return r.blocked
          ? { result: 'blocked' as const }
          : { result: 'wrong' as const, triesLeft: r.triesLeft };
      } catch (e) {
        throw asFailure('verifyingPin', e);
      }
    }),

    authenticate: fromPromise(async ({ input }) => {
      try {
        const { challengeId, nonce } = await step(input.txId, 'registry.challenge', undefined, () =>
          registry.challenge(),
        );
        const signature = await step(input.txId, 'card.sign', undefined, () => card.signWithAuthKey(nonce));
        const resident = await step(
          input.txId,
          'registry.authenticate',
          undefined,
          () => registry.authenticate({ challengeId, certificate: input.certificate, signature }),
          (r) => ({ municipalities: r.municipalities.map((m) => m.code) }),
        );
        journal.update(input.txId, { residentRef: resident.residentRef });
        return resident;
      } catch (e) {
        throw asFailure('authenticating', e);
      }
    }),

    checkEligibility: fromPromise(async ({ input }) => {
      const req = issuanceRequest(input.ctx);
      try {
        return await step(
          input.txId,
          'registry.eligibility',
          { municipalityCode: req.municipalityCode, certificate: req.certificate, copies: req.copies },
          () => registry.eligibility(input.ctx.resident!.token, req),
          // A refusal is journaled as refused plus the registry's opaque reference (counter staff look the
          // reason up in the registry); the kiosk never has the reason.
          (r) => (r.eligible ? { eligible: true } : { eligible: false, reference: r.reference ?? null }),
        );
      } catch (e) {
        throw asFailure('checkingEligibility', e);
      }
    }),

    requestIssuance: fromPromise(async ({ input }) => {
      const { txId, ctx } = input;
      // No sale when a certificate could not be printed right now.
      const [page, receipt] = await Promise.all([certificatePrinter.ready(), receiptPrinter.ready()]);
      if (!page.ready) throw new WorkflowFailure('requesting/printerNotReady');
      if (!receipt.ready) throw new WorkflowFailure('requesting/receiptPrinterNotReady');
      const req = issuanceRequest(ctx);
      journal.update(txId, {
        municipalityCode: req.municipalityCode,
        certificateType: req.certificate,
        copies: req.copies,
        feeYen: ctx.feeYen,
      });
      const key = journal.idempotencyKey(txId);
      try {
        const doc = await step(
          txId,
          'registry.issue',
          { idempotencyKey: key },
          () => registry.issue(ctx.resident!.token, req, key),
          (d) => ({ issuanceId: d.issuanceId, feeYen: d.feeYen }),
        );
        journal.update(txId, { issuanceId: doc.issuanceId, feeYen: doc.feeYen });
        // Verified and rendered while the resident takes the card and pays; printed only once paid.
        certificatePrinter.prepare?.(doc);
        return doc;
      } catch (e) {
        throw asFailure('requesting', e);
      }
    }),

    collectPayment: fromCallback<KioskEvent, { txId: string; feeYen: number }>(({ input, sendBack }) => {
      let stopped = false;
      let off: (() => void) | null = null;
      let watch: TimerId | null = null;
      const printerNotReady = (reason: string) => {
        if (stopped) return;
        log.warn({ tx: input.txId, reason }, 'printer not ready: payment stopped, money returned');
        sendBack({ type: 'DEVICE_FAILURE', device: 'certificatePrinter', kind: 'printerNotReady' });
      };
      // Paper, toner and the queues before any acceptor opens: no money for a sale that cannot print.
      Promise.all([certificatePrinter.ready(), receiptPrinter.ready()])
        .then(([page, receipt]) => {
          if (stopped) return;
          if (!page.ready) return printerNotReady(page.reason);
          if (!receipt.ready) return printerNotReady(`receipt:${receipt.reason}`);
          begin();
        })
        .catch(() => printerNotReady('error'));

      // While money goes in the printer is asked again: paper out now stops the acceptors at once and
      // returns what was inserted, rather than waiting for the full fee.
      function watchPrinter() {
        let asking = false;
        watch = clock.setInterval(() => {
          if (asking || stopped) return;
          asking = true;
          certificatePrinter
            .ready()
            .then((r) => {
              if (!r.ready) printerNotReady(r.reason);
            })
            .catch(() => printerNotReady('error'))
            .finally(() => {
              asking = false;
            });
        }, deps.printerWatchMs ?? 2000);
      }

      function begin() {
        // Journal before money: no acceptor is enabled unless the journal took the intent.
        try {
          journal.step(input.txId, 'payment.start', 'intent', { feeYen: input.feeYen });
        } catch {
          sendBack({ type: 'DEVICE_FAILURE', device: 'journal', kind: 'writeFailed' });
          return;
        }
        deps.crashPoint?.('payment.start', 'intent');
        cash
          .startPayment(input.feeYen, input.txId)
          .then((session) => {
            payments.set(input.txId, session);
            try {
              journal.step(input.txId, 'payment.start', 'done');
            } catch {
              // The journal failed while the acceptors opened: they are inhibited at once.
              void session.cancel().catch(() => undefined);
              if (!stopped) sendBack({ type: 'DEVICE_FAILURE', device: 'journal', kind: 'writeFailed' });
              return;
            }
            if (stopped) return;
            sendBack({ type: 'PAYMENT_PROGRESS', insertedYen: session.insertedYen(), accepting: true });
            watchPrinter();
            off = session.onEvent((e) => {
              if (stopped) return;
              switch (e.type) {
                case 'credited':
                case 'escrowed':
                  sendBack({ type: 'PAYMENT_PROGRESS', insertedYen: e.totalYen, noChangeFor: null });
                  break;
                case 'refusedNoChange':
                  sendBack({
                    type: 'PAYMENT_PROGRESS',
                    insertedYen: session.insertedYen(),
                    noChangeFor: e.yen,
                    noChangeWorks: e.works,
                  });
                  break;
                case 'returned':
                  // The validator handed a held bill back (escrow timeout, power cycle): the total drops.
                  sendBack({ type: 'PAYMENT_PROGRESS', insertedYen: e.totalYen, noChangeFor: null });
                  break;
                case 'paid':
                  try {
                    journal.step(input.txId, 'payment.paid', 'done', { insertedYen: e.totalYen });
                  } catch {
                    // Not journaled, not printed: the journal's failure stops the session instead.
                    break;
                  }
                  deps.crashPoint?.('payment.paid', 'done');
                  sendBack({ type: 'PAID', insertedYen: e.totalYen });
                  break;
                case 'fault':
                  sendBack({ type: 'DEVICE_FAILURE', device: e.device, kind: e.kind });
                  break;
                case 'rejected':
                  break;
              }
            });
          })
          .catch((e: unknown) => {
            try {
              journal.step(input.txId, 'payment.start', 'failed', {
                error: (e as { kind?: string }).kind ?? 'error',
              });
            } catch {
              // the journal's own failure is handled where it is noticed
            }
            if (!stopped)
              sendBack({
                type: 'DEVICE_FAILURE',
                device: 'cash',
                kind: (e as { kind?: string }).kind ?? 'unavailable',
              });
          });
      }

      return () => {
        stopped = true;
        if (watch !== null) clock.clearInterval(watch);
        off?.();
      };
    }),

    printCertificates: fromPromise(async ({ input }) => {
      const { txId, ctx } = input;
      const doc = ctx.issuance!;
      let printed = 0;
      for (let copy = 1; copy <= ctx.copies; copy++) {
        // Paper, toner and the queue again before each copy: a copy that cannot print is not started.
        const ready = await certificatePrinter.ready();
        if (!ready.ready) throw new WorkflowFailure('printing/printerNotReady');
        const jobId = journal.printIntent({
          txId,
          kind: 'certificate',
          issuanceId: doc.issuanceId,
          copyIndex: copy,
        });
        deps.crashPoint?.('print.certificate', 'intent');
        try {
          const r = await certificatePrinter.printCertificate(doc, copy);
          journal.printOutcome(jobId, true, { printerJob: r.jobId, detail: { pages: r.pages } });
          deps.crashPoint?.('print.certificate', 'done');
          printed++;
        } catch (e) {
          journal.printOutcome(jobId, false, { detail: { error: (e as { kind?: string }).kind ?? 'error' } });
          certificatePrinter.forget?.(doc.issuanceId);
          throw asFailure('printing', e);
        }
      }
      certificatePrinter.forget?.(doc.issuanceId);
      return printed;
    }),

    settle: fromPromise(async ({ input }) => {
      const { txId, ctx } = input;
      const session = payments.get(txId);
      if (!session) throw new WorkflowFailure('settling/noPayment');
      const payout = await step(
        txId,
        'payment.commit',
        { feeYen: ctx.feeYen, insertedYen: ctx.insertedYen },
        () => session.commit(),
        (p) => ({ paidYen: p.paidYen, shortYen: p.shortYen }),
      );
      payments.delete(txId);
      if (payout.shortYen > 0) await printIou(txId, payout.shortYen, payout.paidYen);
      const receiptJob = journal.printIntent({ txId, kind: 'receipt', issuanceId: ctx.issuance!.issuanceId });
      try {
        await receiptPrinter.printReceipt(
          receiptFor(ctx, {
            txId,
            kioskId: deps.kioskId,
            kioskName: deps.kioskName,
            at: new Date(clock.now()),
            paidYen: payout.paidYen,
            shortYen: payout.shortYen,
          }),
        );
        journal.printOutcome(receiptJob, true);
      } catch (e) {
        // The certificate is printed and paid: a missing receipt is logged, not a failed sale.
        journal.printOutcome(receiptJob, false, {
          detail: { error: (e as { kind?: string }).kind ?? 'error' },
        });
        log.warn({ tx: txId }, 'receipt could not be printed');
      }
      await step(txId, 'registry.finalize', { issuanceId: ctx.issuance!.issuanceId }, () =>
        registry.finalize(ctx.issuance!.issuanceId),
      );
      journal.close(txId, 'completed', payout.shortYen > 0 ? 'completed-iou' : 'completed');
      return { payout };
    }),

    unwind: fromPromise(async ({ input }) => {
      const { txId, ctx, why } = input;
      if (ctx.issuance) certificatePrinter.forget?.(ctx.issuance.issuanceId);
      if (!txId) return { payout: null };
      const session = payments.get(txId);
      let refund: PayoutResult | null = null;
      const printedCopies = ctx.issuance
        ? journal.printJobs(txId).filter((j) => j.kind === 'certificate' && j.status === 'done').length
        : 0;
      if (session && ctx.issuance && printedCopies > 0) {
        // Some copies are already in the resident's hands: the issuance cannot be voided. The sale
        // stands (fee kept, change paid) and the copies still missing are owed at the counter.
        const payout = await step(
          txId,
          'payment.commit',
          { feeYen: ctx.feeYen, insertedYen: session.insertedYen() },
          () => session.commit(),
          (p) => ({ paidYen: p.paidYen, shortYen: p.shortYen }),
        );
        payments.delete(txId);
        if (payout.shortYen > 0) await printIou(txId, payout.shortYen, payout.paidYen);
        journal.audit('issuance', 'certificateOwed', txId, {
          issuanceId: ctx.issuance.issuanceId,
          copiesOwed: ctx.copies - printedCopies,
        });
        journal.close(txId, 'failed', 'certificate-owed');
        // The screen tells the change given and the copies given and owed: nothing was refunded.
        return { payout, copiesPrinted: printedCopies };
      }
      if (session) {
        refund = await step(
          txId,
          'payment.cancel',
          { insertedYen: session.insertedYen() },
          () => session.cancel(),
          (p) => ({ paidYen: p.paidYen, shortYen: p.shortYen }),
        );
        payments.delete(txId);
        if (refund.shortYen > 0) await printIou(txId, refund.shortYen, refund.paidYen);
      }
      if (ctx.issuance) {
        const reason =
          why === 'failed' ? 'printFailed' : ctx.insertedYen > 0 || session ? 'notPaid' : 'cancelled';
        await step(txId, 'registry.void', { issuanceId: ctx.issuance.issuanceId, reason }, () =>
          registry.void(ctx.issuance!.issuanceId, reason),
        );
      }
      const status =
        why === 'refused' || why === 'pinBlocked' ? 'refused' : why === 'failed' ? 'failed' : 'cancelled';
      journal.close(txId, status, why);
      return { payout: refund };
    }),
  };

  return { actors, payments };
}
