// Where this kiosk's slots, inlets, trays and outlets are on its front, relative to the screen. The
// resident's pictures are drawn from it, so a kiosk whose certificate outlet is at the lower left
// shows the lower left. Set per cabinet model in the `ui.layout` configuration.
import { z } from 'zod';

export const DEVICE_PLACES = ['left', 'right', 'lowerLeft', 'lowerCenter', 'lowerRight'] as const;
export const DevicePlace = z.enum(DEVICE_PLACES);
export type DevicePlace = z.infer<typeof DevicePlace>;

export const DEVICES = [
  'cardSlot',
  'coinInlet',
  'billInlet',
  'changeTray',
  'certificateOutlet',
  'receiptOutlet',
] as const;
export type Device = (typeof DEVICES)[number];

export const DeviceLayout = z
  .object({
    /** The IC card reader's slot (and the contactless pad beside it). */
    cardSlot: DevicePlace,
    coinInlet: DevicePlace,
    billInlet: DevicePlace,
    /** Where change and refunded coins and bills come out. */
    changeTray: DevicePlace,
    certificateOutlet: DevicePlace,
    receiptOutlet: DevicePlace,
  })
  .strict();
export type DeviceLayout = z.infer<typeof DeviceLayout>;

/** A common cabinet: card and cash on the right of the screen, paper and change below it. */
export const DEFAULT_LAYOUT: DeviceLayout = {
  cardSlot: 'right',
  coinInlet: 'right',
  billInlet: 'right',
  changeTray: 'lowerRight',
  certificateOutlet: 'lowerCenter',
  receiptOutlet: 'lowerLeft',
};
