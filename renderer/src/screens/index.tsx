// Which component draws each screen of the transaction machine. Each draws only its view fields
// (see src/core/view.ts) and sends resident input; the core decides what the input means.
import type { ReactNode } from 'react';
import type { ScreenId } from '../../../src/contract/index.js';
import { Idle } from './Idle.js';
import { OutOfService } from './OutOfService.js';
import { OutsideHours } from './OutsideHours.js';
import { Terms } from './Terms.js';
import { Technician } from './Technician.js';
import { InsertCard } from './InsertCard.js';
import { ReadingCard } from './ReadingCard.js';
import { Pin } from './Pin.js';
import { PhoneAway } from './PhoneAway.js';
import { Authenticating } from './Authenticating.js';
import { Municipality } from './Municipality.js';
import { Certificate } from './Certificate.js';
import { Options } from './Options.js';
import { Confirm } from './Confirm.js';
import { Requesting } from './Requesting.js';
import { TakeCard } from './TakeCard.js';
import { Payment } from './Payment.js';
import { Printing } from './Printing.js';
import { ChangeScreen } from './Change.js';
import { ThankYou } from './ThankYou.js';
import { Refused } from './Refused.js';
import { ErrorScreen } from './Error.js';
import { Cancelled } from './Cancelled.js';
import { CardLeft } from './CardLeft.js';
import { Reclaim } from './Reclaim.js';
import type { ScreenProps } from './parts.js';

export type { ScreenProps };

export const SCREENS: { [S in ScreenId]: (p: ScreenProps<S>) => ReactNode } = {
  idle: Idle,
  outOfService: OutOfService,
  outsideHours: OutsideHours,
  terms: Terms,
  technician: Technician,
  insertCard: InsertCard,
  readingCard: ReadingCard,
  pin: Pin,
  phoneAway: PhoneAway,
  authenticating: Authenticating,
  municipality: Municipality,
  certificate: Certificate,
  options: Options,
  confirm: Confirm,
  requesting: Requesting,
  takeCard: TakeCard,
  payment: Payment,
  printing: Printing,
  change: ChangeScreen,
  thankYou: ThankYou,
  refused: Refused,
  error: ErrorScreen,
  cancelled: Cancelled,
  cardLeft: CardLeft,
  reclaim: Reclaim,
};

/** Draws the screen of a snapshot; the mapped table ties each screen id to its view type. */
export function ScreenOf<S extends ScreenId>(props: ScreenProps<S>): ReactNode {
  const Screen: (p: ScreenProps<S>) => ReactNode = SCREENS[props.snapshot.screen];
  return <Screen {...props} />;
}
