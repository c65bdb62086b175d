import { z } from 'zod';
import { DEFAULT_LAYOUT, DevicePlace } from '../../contract/layout.js';
import { LANGUAGES } from '../../contract/snapshot.js';

const seconds = z.number().int().min(5).max(600);

export const UiSection = z
  .object({
    languages: z
      .array(z.enum(LANGUAGES))
      .min(1)
      .default([...LANGUAGES]),
    defaultLanguage: z.enum(LANGUAGES).default('ja'),
    /** Shuffle the PIN pad's digits each time it is shown (shoulder-surfing protection). */
    shufflePinPad: z.boolean().default(false),
    /** Inactivity timeout per screen, seconds; "default" applies to screens not listed. */
    timeouts: z.record(z.string(), seconds).default({ default: 60, pin: 90, options: 90, payment: 180 }),
    /** Seconds of countdown warning before the timeout fires (WCAG 2.2.1 asks for at least 20). */
    timeoutWarning: z.number().int().min(20).max(60).default(30),
    /** Seconds a card may stay in the reader after a session before the technician is told. */
    cardLeftAlertSeconds: seconds.default(60),
    /**
     * Where the card slot, coin and bill inlets, change tray and certificate and receipt outlets are on
     * this cabinet, relative to the screen (left, right, lowerLeft, lowerCenter, lowerRight): the
     * resident's pictures point there.
     */
    layout: z
      .object({
        cardSlot: DevicePlace.default(DEFAULT_LAYOUT.cardSlot),
        coinInlet: DevicePlace.default(DEFAULT_LAYOUT.coinInlet),
        billInlet: DevicePlace.default(DEFAULT_LAYOUT.billInlet),
        changeTray: DevicePlace.default(DEFAULT_LAYOUT.changeTray),
        certificateOutlet: DevicePlace.default(DEFAULT_LAYOUT.certificateOutlet),
        receiptOutlet: DevicePlace.default(DEFAULT_LAYOUT.receiptOutlet),
      })
      .strict()
      .prefault({}),
    /** The browser host's port (0 = pick a free one). */
    httpPort: z.number().int().min(0).max(65535).default(0),
  })
  .strict();
