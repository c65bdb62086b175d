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
  members: 'options.members',
  person: 'options.person',
  showHouseholder: 'options.showHouseholder',
  showHonseki: 'options.showHonseki',
  myNumber: 'options.myNumber',
  fiscalYear: 'options.fiscalYear',
};

/** One line under each option saying what choosing it puts on the certificate. */
export const OPTION_HELP: Record<string, string> = {
  scope: 'options.help.scope',
  members: 'options.help.members',
  person: 'options.help.person',
  showHouseholder: 'options.help.showHouseholder',
  showHonseki: 'options.help.showHonseki',
  myNumber: 'options.help.myNumber',
  fiscalYear: 'options.help.fiscalYear',
};

export const CHOICE_LABEL: Record<string, string> = {
  household: 'options.choice.household',
  members: 'options.choice.members',
};

/** Days of a certificate's own hours; Monday to Friday together read as "weekdays". */
export const DAY_LABEL: Record<string, string> = {
  weekdays: 'certificate.day.weekdays',
  mon: 'certificate.day.mon',
  tue: 'certificate.day.tue',
  wed: 'certificate.day.wed',
  thu: 'certificate.day.thu',
  fri: 'certificate.day.fri',
  sat: 'certificate.day.sat',
  sun: 'certificate.day.sun',
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

/** The name of each slot, inlet, tray and outlet, and where on the kiosk's front it is. */
export const DEVICE_LABEL: Record<string, string> = {
  cardSlot: 'where.device.cardSlot',
  coinInlet: 'where.device.coinInlet',
  billInlet: 'where.device.billInlet',
  changeTray: 'where.device.changeTray',
  certificateOutlet: 'where.device.certificateOutlet',
  receiptOutlet: 'where.device.receiptOutlet',
};
export const PLACE_LABEL: Record<string, string> = {
  left: 'where.place.left',
  right: 'where.place.right',
  lowerLeft: 'where.place.lowerLeft',
  lowerCenter: 'where.place.lowerCenter',
  lowerRight: 'where.place.lowerRight',
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
  terms: 'voice.terms',
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
