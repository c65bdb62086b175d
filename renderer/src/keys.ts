// Translation keys chosen at run time. Every key used anywhere is written out in full in the
// sources, so test/renderer/i18n-keys.test.ts can find unused and missing keys.
export const CERTIFICATE_NAME: Record<string, string> = {
  juminhyo: 'certificates.juminhyo',
  'juminhyo-kisai': 'certificates.juminhyo-kisai',
  inkan: 'certificates.inkan',
  'koseki-zenbu': 'certificates.koseki-zenbu',
  'koseki-kojin': 'certificates.koseki-kojin',
  fuhyo: 'certificates.fuhyo',
  'shotoku-kazei': 'certificates.shotoku-kazei',
};

export const OPTION_LABEL: Record<string, string> = {
  scope: 'options.scope',
  showHouseholder: 'options.showHouseholder',
  showRelationship: 'options.showRelationship',
  showHonseki: 'options.showHonseki',
  fiscalYear: 'options.fiscalYear',
  members: 'options.members',
};

/** One line under each option saying what choosing it puts on the certificate. */
export const OPTION_HELP: Record<string, string> = {
  scope: 'options.help.scope',
  showHouseholder: 'options.help.showHouseholder',
  showRelationship: 'options.help.showRelationship',
  showHonseki: 'options.help.showHonseki',
  fiscalYear: 'options.help.fiscalYear',
};

export const CHOICE_LABEL: Record<string, string> = {
  household: 'options.choice.household',
  self: 'options.choice.self',
};

export const RELATION_LABEL: Record<string, string> = {
  residence: 'municipality.relation.residence',
  honseki: 'municipality.relation.honseki',
};

export const ERROR_MESSAGE: Record<string, string> = {
  'error.generic': 'error.generic',
  'error.cardRemoved': 'error.cardRemoved',
  'error.timeout': 'error.timeout',
  'error.cardUnsupported': 'error.cardUnsupported',
  'error.cardUnreadable': 'error.cardUnreadable',
  'error.printer': 'error.printer',
  'error.cash': 'error.cash',
  'error.certificateInvalid': 'error.certificateInvalid',
  'error.certificateExpired': 'error.certificateExpired',
  'error.certificateRevoked': 'error.certificateRevoked',
  'error.registry': 'error.registry',
};

export const CANCELLED_HEADING: Record<string, string> = {
  cancelled: 'cancelled.heading.cancelled',
  timeout: 'cancelled.heading.timeout',
  removed: 'cancelled.heading.removed',
};

export const STEP_LABEL = ['steps.1', 'steps.2', 'steps.3', 'steps.4', 'steps.5', 'steps.6'];

/** The voice clip of each screen: key voice.<screen> in every locale. */
export const VOICE_KEY: Record<string, string> = {
  idle: 'voice.idle',
  outOfService: 'voice.outOfService',
  outsideHours: 'voice.outsideHours',
  technician: 'voice.technician',
  insertCard: 'voice.insertCard',
  readingCard: 'voice.readingCard',
  pin: 'voice.pin',
  phoneAway: 'voice.phoneAway',
  authenticating: 'voice.authenticating',
  municipality: 'voice.municipality',
  certificate: 'voice.certificate',
  options: 'voice.options',
  confirm: 'voice.confirm',
  requesting: 'voice.requesting',
  takeCard: 'voice.takeCard',
  payment: 'voice.payment',
  printing: 'voice.printing',
  change: 'voice.change',
  thankYou: 'voice.thankYou',
  refused: 'voice.refused',
  error: 'voice.error',
  cancelled: 'voice.cancelled',
  cardLeft: 'voice.cardLeft',
  reclaim: 'voice.reclaim',
};

/** Voice clips besides each screen's own: a wrong PIN, the timeout warning, the phone variant. */
export const ALERT_VOICE_KEY: Record<string, string> = {
  insertCardPhone: 'voice.insertCardPhone',
  pinWrong: 'voice.pinWrong',
  timeout: 'voice.timeout',
};
