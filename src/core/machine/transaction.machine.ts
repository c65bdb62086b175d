// The resident's whole session as one statechart. This file is the graph and nothing else:
// effects (card, registry, cash, printing, journal) are named actors supplied by effects.ts,
// so the chart can be read, drawn (docs/transaction.md) and tested against fake effects.
import { and, assign, fromCallback, fromPromise, not, or, setup, stateIn, type ActorRefFrom } from 'xstate';
import { causeOf, failure, partsOf, type FailureReason } from '../failures.js';
import { optionsValid } from '../options.js';
import type { IssuedDocument, AuthenticatedResident, PayoutResult } from '../ports.js';
import {
  emptyContext,
  WorkflowFailure,
  type EligibilityOutput,
  type Ending,
  type KioskEvent,
  type ProveClaimOutput,
  type ReadCardOutput,
  type ReadClaimOutput,
  type ReclaimOutcome,
  type SessionContext,
  type SettleOutput,
  type VerifyPinOutput,
} from './types.js';

const missing = (name: string) => () => {
  throw new Error(`effect "${name}" not provided`);
};

/** True in any of these states of the session. */
const inSession = (...states: string[]) => or(states.map((s) => stateIn(`#kiosk.session.${s}`)));

/** How a session that did not complete ended, from its failure reason. */
export function endingOf(failure: FailureReason | null): Ending {
  const cause = failure && partsOf(failure).cause;
  if (cause === 'timeout') return 'timeout';
  if (cause === 'removed') return 'removed';
  return 'cancelled';
}

/** The failure reason of an error thrown by an effect. */
export function failureReason(error: unknown, fallback: FailureReason): FailureReason {
  return error instanceof WorkflowFailure ? error.reason : fallback;
}

export const transactionMachine = setup({
  types: {
    context: {} as SessionContext,
    events: {} as KioskEvent,
    input: {} as { cardPresent: boolean },
  },
  actors: {
    openTransaction: fromPromise<string>(missing('openTransaction')),
    readCard: fromPromise<ReadCardOutput, { txId: string }>(missing('readCard')),
    verifyPin: fromPromise<VerifyPinOutput, { txId: string; pin: string; certificateNeeded: boolean }>(
      missing('verifyPin'),
    ),
    authenticate: fromPromise<AuthenticatedResident, { txId: string; certificate: Uint8Array }>(
      missing('authenticate'),
    ),
    checkEligibility: fromPromise<EligibilityOutput, { txId: string; ctx: SessionContext }>(
      missing('checkEligibility'),
    ),
    requestIssuance: fromPromise<IssuedDocument, { txId: string; ctx: SessionContext }>(
      missing('requestIssuance'),
    ),
    collectPayment: fromCallback<KioskEvent, { txId: string; feeYen: number }>(missing('collectPayment')),
    printCertificates: fromPromise<number, { txId: string; ctx: SessionContext }>(
      missing('printCertificates'),
    ),
    settle: fromPromise<SettleOutput, { txId: string; ctx: SessionContext }>(missing('settle')),
    /** Gives the money back; its payout (null when nothing was taken) tells the end screen the truth. */
    unwind: fromPromise<
      { payout: PayoutResult | null; copiesPrinted?: number } | void,
      { txId: string | null; ctx: SessionContext; why: Ending }
    >(missing('unwind')),
    reportCardLeft: fromPromise<void>(missing('reportCardLeft')),
    readClaimCard: fromPromise<ReadClaimOutput>(missing('readClaimCard')),
    proveClaim: fromPromise<ProveClaimOutput, { pin: string }>(missing('proveClaim')),
    deliverClaim: fromPromise<ReclaimOutcome, { txId: string }>(missing('deliverClaim')),
  },
  actions: {
    wipe: assign(({ context }) => ({ ...emptyContext(), cardPresent: context.cardPresent })),
    cardIn: assign({ cardPresent: true }),
    cardOut: assign({ cardPresent: false }),
    timedOut: assign({ failure: 'session/timeout' }),
    cardRemoved: assign({ failure: 'session/removed' }),
  },
  guards: {
    cardPresent: ({ context }) => context.cardPresent,
    cardAbsent: ({ context }) => !context.cardPresent,
    pinBlocked: ({ context }) => context.triesLeft === 0,
    singleMunicipality: ({ context }) => (context.resident?.municipalities.length ?? 0) === 1,
    outOfServiceAfter: ({ context }) => context.outOfServiceAfter !== null,
    /** The token is a phone: it may leave once the resident is authenticated, and may be held again before. */
    phone: ({ context }) => context.tokenForm === 'phone',
    /** A screen that waits for the resident: cancelling and the inactivity timeout end the session there. */
    waitingForResident: inSession(
      'terms',
      'insertCard',
      'pin',
      'phoneAway',
      'municipality',
      'certificate',
      'options',
      'confirm',
      'takeCard',
      'payment',
    ),
    /** From reading the token until the registry knows the resident: a phone taken away may come back. */
    identifying: inSession('readingCard', 'pin', 'verifyingPin', 'authenticating'),
    /** The card is still needed: from reading it until the issuance is requested. */
    cardNeeded: inSession(
      'readingCard',
      'pin',
      'verifyingPin',
      'authenticating',
      'municipality',
      'certificate',
      'options',
      'checkingEligibility',
      'confirm',
    ),
    phoneAwayEarly: and(['phone', 'identifying']),
    /** The card answered with no PIN tries left. */
    noTriesLeft: (_, p: { triesLeft: number }) => p.triesLeft === 0,
    pinAccepted: (_, p: { result: VerifyPinOutput['result'] }) => p.result === 'ok',
    pinBlockedNow: (_, p: { result: VerifyPinOutput['result'] }) => p.result === 'blocked',
    /** The registry knows the resident in one municipality only: no choice to offer. */
    oneMunicipalityFound: (_, p: { municipalities: number }) => p.municipalities === 1,
    eligible: (_, p: { eligible: boolean }) => p.eligible,
    /** The municipality chosen is one of the resident's. */
    municipalityOffered: ({ context, event }) =>
      event.type === 'SELECT_MUNICIPALITY' &&
      (context.resident?.municipalities.some((m) => m.code === event.code) ?? false),
    /** The certificate chosen is offered by the chosen municipality. */
    certificateOffered: ({ context, event }) =>
      event.type === 'SELECT_CERTIFICATE' &&
      (context.resident?.municipalities
        .find((m) => m.code === context.municipalityCode)
        ?.certificates.some((c) => c.type === event.certificate) ??
        false),
    /** Within that certificate's own hours (the engine provides the clock and the configuration). */
    certificateInHours: () => true,
    /** The municipality asks for consent to its 利用規約 (the engine provides the configuration). */
    termsRequired: () => false,
    /** Between one copy and the certificate's maximum, and answers that fit what the registry offered. */
    orderAllowed: ({ context, event }) => {
      if (event.type !== 'SET_OPTIONS') return false;
      const cert = context.resident?.municipalities
        .find((m) => m.code === context.municipalityCode)
        ?.certificates.find((c) => c.type === context.certificateType);
      return (
        !!cert &&
        event.copies >= 1 &&
        event.copies <= cert.maxCopies &&
        optionsValid(cert.options, event.options)
      );
    },
    cardTakenEarly: and([not('phone'), 'cardNeeded']),
    /** The card at the reclaim screen is owed nothing (a phone tells only after its PIN). */
    cardNotOwed: (_, p: { known: boolean | null }) => p.known === false,
    claimProved: (_, p: { result: ProveClaimOutput['result'] }) => p.result === 'ok',
    claimPinWrong: (_, p: { result: ProveClaimOutput['result'] }) => p.result === 'wrong',
    /** The window's end closes the reclaim screen, never a PIN check or a delivery under way. */
    reclaimClosable: or(
      ['waiting', 'readingCard', 'pin', 'notOwed'].map((s) => stateIn(`#kiosk.reclaim.${s}`)),
    ),
  },
  delays: {
    endScreen: 10_000,
    thankYou: 8_000,
    /** How long a card may stay in the reader after a session before the technician is told. */
    cardLeftAlert: 60_000,
  },
}).createMachine({
  id: 'kiosk',
  context: ({ input }) => ({ ...emptyContext(), cardPresent: input.cardPresent }),
  initial: 'idle',
  on: {
    CARD_INSERTED: { actions: 'cardIn' },
    CARD_REMOVED: { actions: 'cardOut' },
  },
  states: {
    idle: {
      entry: 'wipe',
      // A card still in the reader belongs to someone else: it never opens a new session.
      always: { guard: 'cardPresent', target: 'cardLeft' },
      on: {
        START: 'session',
        CARD_INSERTED: { target: 'session', actions: 'cardIn' },
        OUT_OF_SERVICE: 'outOfService',
        HOURS_CLOSED: 'outsideHours',
        RECLAIM_OPEN: 'reclaim',
        TECHNICIAN_ENTER: 'technician',
      },
    },
    // A card left behind after a session (or found at start): remind until it is taken; only a card
    // inserted after this screen starts the next session. Long enough here, the technician is told.
    cardLeft: {
      entry: 'wipe',
      initial: 'reminding',
      states: {
        reminding: { after: { cardLeftAlert: 'abandoned' } },
        abandoned: { invoke: { src: 'reportCardLeft' } },
      },
      on: {
        CARD_REMOVED: { target: 'idle', actions: 'cardOut' },
        OUT_OF_SERVICE: 'outOfService',
        RECLAIM_OPEN: 'reclaim',
        TECHNICIAN_ENTER: 'technician',
      },
    },
    outOfService: {
      entry: 'wipe',
      on: { IN_SERVICE: 'idle', TECHNICIAN_ENTER: 'technician', RECLAIM_OPEN: 'reclaim' },
    },
    outsideHours: {
      on: {
        HOURS_OPEN: 'idle',
        OUT_OF_SERVICE: 'outOfService',
        TECHNICIAN_ENTER: 'technician',
        RECLAIM_OPEN: 'reclaim',
      },
    },
    technician: {
      on: { TECHNICIAN_EXIT: 'idle' },
    },

    // After a restart, the resident owed a certificate or money comes back for it: the same card (known
    // by the keyed hash of its certificate) and its PIN, within the window (src/core/reclaim.ts).
    // Another card is given nothing; when the window ends the kiosk core closes this screen.
    reclaim: {
      entry: 'wipe',
      exit: 'wipe',
      initial: 'waiting',
      onDone: [{ guard: 'outOfServiceAfter', target: 'outOfService' }, { target: 'idle' }],
      on: {
        RECLAIM_CLOSED: { guard: 'reclaimClosable', target: 'idle' },
        TECHNICIAN_ENTER: 'technician',
      },
      // A card taken out while its claim is checked or delivered only updates the context (the
      // machine-wide handler); the states below that go back to waiting say so themselves.
      states: {
        waiting: {
          always: { guard: 'cardPresent', target: 'readingCard' },
          on: { CARD_INSERTED: { target: 'readingCard', actions: 'cardIn' } },
        },
        readingCard: {
          invoke: {
            src: 'readClaimCard',
            onDone: [
              {
                guard: { type: 'cardNotOwed', params: ({ event }) => ({ known: event.output.known }) },
                target: 'notOwed',
              },
              {
                guard: {
                  type: 'noTriesLeft',
                  params: ({ event }) => ({ triesLeft: event.output.triesLeft }),
                },
                target: 'notOwed',
              },
              {
                target: 'pin',
                actions: assign({
                  triesLeft: ({ event }) => event.output.triesLeft,
                  tokenForm: ({ event }) => (event.output.phone ? 'phone' : 'card'),
                }),
              },
            ],
            onError: 'notOwed',
          },
          on: { CARD_REMOVED: { target: 'waiting', actions: 'cardOut' } },
        },
        pin: {
          on: {
            PIN_SUBMIT: 'verifyingPin',
            CANCEL: 'notOwed',
            TIMEOUT: 'notOwed',
            CARD_REMOVED: { target: 'waiting', actions: 'cardOut' },
          },
        },
        verifyingPin: {
          invoke: {
            src: 'proveClaim',
            // The PIN goes from the event straight to the card; it is never assigned to context.
            input: ({ event }) => ({ pin: event.type === 'PIN_SUBMIT' ? event.pin : '' }),
            onDone: [
              {
                guard: { type: 'claimProved', params: ({ event }) => ({ result: event.output.result }) },
                target: 'delivering',
                actions: assign({
                  txId: ({ event }) => (event.output.result === 'ok' ? event.output.txId : null),
                }),
              },
              {
                guard: { type: 'claimPinWrong', params: ({ event }) => ({ result: event.output.result }) },
                target: 'pin',
                actions: assign({
                  triesLeft: ({ event }) => (event.output.result === 'wrong' ? event.output.triesLeft : 0),
                }),
              },
              { target: 'notOwed' },
            ],
            onError: 'notOwed',
          },
        },
        delivering: {
          invoke: {
            src: 'deliverClaim',
            input: ({ context }) => ({ txId: context.txId! }),
            onDone: {
              target: 'delivered',
              actions: assign({
                reclaim: ({ event }) => event.output,
                outOfServiceAfter: ({ event }) =>
                  event.output.owedYen > 0 || event.output.copiesOwed > 0 ? 'iou' : null,
              }),
            },
            onError: { target: 'delivered', actions: assign({ outOfServiceAfter: 'reclaim' }) },
          },
        },
        delivered: {
          after: { endScreen: 'done' },
          on: { ACK: 'done' },
        },
        // Another card, a blocked PIN, or the resident gave up: nothing is given; the card is taken back.
        notOwed: {
          always: { guard: 'cardAbsent', target: 'waiting' },
          on: { CARD_REMOVED: { target: 'waiting', actions: 'cardOut' } },
        },
        done: { type: 'final' },
      },
    },

    session: {
      initial: 'opening',
      exit: 'wipe',
      onDone: [{ guard: 'outOfServiceAfter', target: 'outOfService' }, { target: 'idle' }],
      // The exits every step shares; a step that handles one of these events itself (BACK, the card
      // taken at takeCard, the timeout of thankYou) does so in its own state.
      on: {
        CANCEL: { guard: 'waitingForResident', target: '.cancelling' },
        TIMEOUT: { guard: 'waitingForResident', target: '.cancelling', actions: 'timedOut' },
        CARD_REMOVED: [
          { guard: 'phoneAwayEarly', target: '.phoneAway', actions: 'cardOut' },
          { guard: 'cardTakenEarly', target: '.cancelling', actions: ['cardOut', 'cardRemoved'] },
        ],
      },
      states: {
        opening: {
          invoke: {
            src: 'openTransaction',
            onDone: [
              {
                guard: 'termsRequired',
                target: 'terms',
                actions: assign({ txId: ({ event }) => event.output }),
              },
              { target: 'insertCard', actions: assign({ txId: ({ event }) => event.output }) },
            ],
            onError: {
              target: 'failed',
              actions: assign({ failure: 'opening/journal', outOfServiceAfter: 'journal' }),
            },
          },
        },
        // The municipality's 利用規約: the resident agrees before anything is read from the card.
        terms: {
          on: { AGREE: 'insertCard', BACK: 'cancelling' },
        },
        insertCard: {
          always: { guard: 'cardPresent', target: 'readingCard' },
          on: { CARD_INSERTED: { target: 'readingCard', actions: 'cardIn' } },
        },
        readingCard: {
          invoke: {
            src: 'readCard',
            input: ({ context }) => ({ txId: context.txId! }),
            onDone: [
              {
                guard: {
                  type: 'noTriesLeft',
                  params: ({ event }) => ({ triesLeft: event.output.triesLeft }),
                },
                target: 'pinBlocked',
                actions: assign({
                  cardType: ({ event }) => event.output.cardType,
                  tokenForm: ({ event }) => event.output.form,
                  triesLeft: 0,
                }),
              },
              {
                target: 'pin',
                actions: assign({
                  cardType: ({ event }) => event.output.cardType,
                  tokenForm: ({ event }) => event.output.form,
                  certificate: ({ event }) => event.output.certificate,
                  // A phone held again after leaving mid-check: a try spent meanwhile is told, never hidden.
                  pinSpentWhileAway: ({ context, event }) =>
                    context.triesLeft !== null && event.output.triesLeft < context.triesLeft,
                  triesLeft: ({ event }) => event.output.triesLeft,
                }),
              },
            ],
            onError: {
              target: 'failed',
              actions: assign({
                failure: ({ event }) => failureReason(event.error, 'readingCard/unreadable'),
              }),
            },
          },
        },
        pin: {
          on: {
            PIN_SUBMIT: { target: 'verifyingPin', actions: assign({ pinSpentWhileAway: false }) },
          },
        },
        verifyingPin: {
          invoke: {
            src: 'verifyPin',
            // The PIN goes from the event straight into the card effect; it is never assigned to context.
            input: ({ context, event }) => ({
              txId: context.txId!,
              pin: event.type === 'PIN_SUBMIT' ? event.pin : '',
              certificateNeeded: context.certificate === null,
            }),
            onDone: [
              {
                guard: { type: 'pinAccepted', params: ({ event }) => ({ result: event.output.result }) },
                target: 'authenticating',
                actions: assign({
                  certificate: ({ context, event }) =>
                    (event.output.result === 'ok' && event.output.certificate) || context.certificate,
                }),
              },
              {
                guard: { type: 'pinBlockedNow', params: ({ event }) => ({ result: event.output.result }) },
                target: 'pinBlocked',
                actions: assign({ triesLeft: 0 }),
              },
              {
                target: 'pin',
                actions: assign({
                  triesLeft: ({ event }) => (event.output.result === 'wrong' ? event.output.triesLeft : 0),
                }),
              },
            ],
            onError: {
              target: 'failed',
              actions: assign({ failure: ({ event }) => failureReason(event.error, 'verifyingPin/card') }),
            },
          },
        },
        pinBlocked: {
          entry: assign({ failure: 'pin/blocked', ending: 'pinBlocked' }),
          always: { target: 'unwinding' },
        },
        authenticating: {
          invoke: {
            src: 'authenticate',
            input: ({ context }) => ({ txId: context.txId!, certificate: context.certificate! }),
            onDone: [
              {
                guard: {
                  type: 'oneMunicipalityFound',
                  params: ({ event }) => ({ municipalities: event.output.municipalities.length }),
                },
                target: 'certificate',
                actions: assign({
                  resident: ({ event }) => event.output,
                  municipalityCode: ({ event }) => event.output.municipalities[0]!.code,
                }),
              },
              { target: 'municipality', actions: assign({ resident: ({ event }) => event.output }) },
            ],
            onError: {
              target: 'failed',
              actions: assign({
                failure: ({ event }) => failureReason(event.error, 'authenticating/registry'),
              }),
            },
          },
        },
        // A phone left the reader before the resident was authenticated: hold it again to go on.
        // Whatever the card did meanwhile is read afresh, so a spent PIN try is shown on the PIN screen.
        phoneAway: {
          entry: assign({ certificate: null }),
          on: { CARD_INSERTED: { target: 'readingCard', actions: 'cardIn' } },
        },
        municipality: {
          on: {
            SELECT_MUNICIPALITY: {
              guard: 'municipalityOffered',
              target: 'certificate',
              actions: assign({ municipalityCode: ({ event }) => event.code }),
            },
            BACK: 'cancelling',
          },
        },
        certificate: {
          on: {
            SELECT_CERTIFICATE: {
              guard: and(['certificateOffered', 'certificateInHours']),
              target: 'options',
              actions: assign({ certificateType: ({ event }) => event.certificate, options: {}, copies: 1 }),
            },
            BACK: [{ guard: 'singleMunicipality', target: 'cancelling' }, { target: 'municipality' }],
          },
        },
        options: {
          on: {
            SET_OPTIONS: {
              guard: 'orderAllowed',
              target: 'checkingEligibility',
              actions: assign({ options: ({ event }) => event.options, copies: ({ event }) => event.copies }),
            },
            BACK: 'certificate',
          },
        },
        checkingEligibility: {
          invoke: {
            src: 'checkEligibility',
            input: ({ context }) => ({ txId: context.txId!, ctx: context }),
            onDone: [
              {
                guard: { type: 'eligible', params: ({ event }) => ({ eligible: event.output.eligible }) },
                target: 'confirm',
                actions: assign({ feeYen: ({ event }) => (event.output.eligible ? event.output.feeYen : 0) }),
              },
              { target: 'refused' },
            ],
            onError: {
              target: 'failed',
              actions: assign({
                failure: ({ event }) => failureReason(event.error, 'checkingEligibility/registry'),
              }),
            },
          },
        },
        confirm: {
          on: {
            CONFIRM: 'requesting',
            BACK: 'options',
          },
        },
        requesting: {
          invoke: {
            src: 'requestIssuance',
            input: ({ context }) => ({ txId: context.txId!, ctx: context }),
            onDone: { target: 'takeCard', actions: assign({ issuance: ({ event }) => event.output }) },
            onError: {
              target: 'failed',
              actions: assign({ failure: ({ event }) => failureReason(event.error, 'requesting/registry') }),
            },
          },
        },
        // The card goes back before money is taken and anything is printed: nothing is left behind.
        takeCard: {
          always: { guard: 'cardAbsent', target: 'payment' },
          on: { CARD_REMOVED: { target: 'payment', actions: 'cardOut' } },
        },
        payment: {
          invoke: {
            src: 'collectPayment',
            input: ({ context }) => ({ txId: context.txId!, feeYen: context.feeYen }),
          },
          on: {
            PAYMENT_PROGRESS: {
              actions: assign({
                insertedYen: ({ event }) => event.insertedYen,
                noChangeFor: ({ event, context }) =>
                  event.noChangeFor === undefined ? context.noChangeFor : event.noChangeFor,
                noChangeWorks: ({ event, context }) =>
                  event.noChangeWorks ?? (event.noChangeFor === null ? [] : context.noChangeWorks),
                accepting: ({ event, context }) => event.accepting ?? context.accepting,
              }),
            },
            PAID: {
              target: 'printing',
              actions: assign({ insertedYen: ({ event }) => event.insertedYen, accepting: false }),
            },
            DEVICE_FAILURE: {
              target: 'failed',
              actions: assign({ failure: ({ event }) => failure('payment', causeOf(event.kind)) }),
            },
          },
        },
        printing: {
          invoke: {
            src: 'printCertificates',
            input: ({ context }) => ({ txId: context.txId!, ctx: context }),
            onDone: { target: 'settling', actions: assign({ printedCopies: ({ event }) => event.output }) },
            onError: {
              target: 'unwinding',
              actions: assign({
                failure: ({ event }) => failureReason(event.error, 'printing/printer'),
                outOfServiceAfter: 'printer',
                ending: 'failed',
              }),
            },
          },
        },
        settling: {
          invoke: {
            src: 'settle',
            input: ({ context }) => ({ txId: context.txId!, ctx: context }),
            onDone: {
              target: 'thankYou',
              actions: assign({
                payout: ({ event }) => event.output.payout,
                outOfServiceAfter: ({ event, context }) =>
                  event.output.payout.shortYen > 0
                    ? 'iou'
                    : (event.output.payout.uncollectedYen ?? 0) > 0
                      ? 'cash'
                      : context.outOfServiceAfter,
              }),
            },
            onError: {
              target: 'thankYou',
              actions: assign({
                failure: ({ event }) => failureReason(event.error, 'settling/cash'),
                outOfServiceAfter: 'cash',
              }),
            },
          },
        },
        thankYou: {
          after: { thankYou: 'done' },
          on: { ACK: 'done', TIMEOUT: 'done' },
        },
        refused: {
          // The registry says no; the kiosk never learns why. The resident is sent to the counter.
          entry: assign({ ending: 'refused' }),
          always: 'unwinding',
        },
        cancelling: {
          entry: assign({ ending: ({ context }) => endingOf(context.failure) }),
          always: 'unwinding',
        },
        failed: {
          entry: assign({ ending: 'failed' }),
          always: 'unwinding',
        },
        // Gives back what was taken (bill in escrow, coins) and voids any issuance, then says goodbye.
        unwinding: {
          invoke: {
            src: 'unwind',
            input: ({ context }) => ({
              txId: context.txId,
              ctx: context,
              why: context.ending ?? 'cancelled',
            }),
            onDone: {
              target: 'ended',
              actions: assign({
                payout: ({ event, context }) => event.output?.payout ?? context.payout,
                printedCopies: ({ event, context }) => event.output?.copiesPrinted ?? context.printedCopies,
                // A refund that fell short is an IOU: the kiosk waits for a technician.
                outOfServiceAfter: ({ event, context }) =>
                  (event.output?.payout?.shortYen ?? 0) > 0 ? 'iou' : context.outOfServiceAfter,
              }),
            },
            onError: { target: 'ended', actions: assign({ outOfServiceAfter: 'unwind' }) },
          },
        },
        ended: {
          after: { endScreen: 'done' },
          on: { ACK: 'done', TIMEOUT: 'done' },
        },
        done: { type: 'final' },
      },
    },
  },
});

export type TransactionMachine = typeof transactionMachine;
export type TransactionActor = ActorRefFrom<TransactionMachine>;
