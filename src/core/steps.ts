// The names of the journaled steps around each effect (intent, then done or failed). Crash recovery
// reads them back, so a name is part of the journal's format: add names, never rename one.
export const STEP_NAMES = [
  'card.read',
  'card.verifyPin',
  'card.readCertificate',
  'card.sign',
  'registry.challenge',
  'registry.authenticate',
  'registry.eligibility',
  'registry.issue',
  'registry.finalize',
  'registry.void',
  'registry.voidByKey',
  'payment.start',
  'payment.paid',
  'payment.commit',
  'payment.cancel',
  'recovery',
  'reclaim',
  'reclaim.payout',
  'registry.authorizeReprint',
] as const;

export type StepName = (typeof STEP_NAMES)[number];
