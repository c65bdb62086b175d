// Device status modelled on CEN/XFS (XFS4IoT): one device state plus media states and counters.
// The resident screens, the technician console and fleet reporting all read this one shape.
export type DeviceState =
  'online' | 'offline' | 'powerOff' | 'noDevice' | 'hardwareError' | 'userError' | 'busy';

export type DeviceKind =
  | 'cardReader'
  | 'certificatePrinter'
  | 'receiptPrinter'
  | 'coinAcceptor'
  | 'billValidator'
  | 'hopper'
  | 'registry';

export interface DeviceError {
  kind: string;
  message: string;
  at: string;
}

export interface DeviceStatus {
  /** Stable id, e.g. "cardReader", "hopper.100". */
  id: string;
  kind: DeviceKind;
  state: DeviceState;
  /** Media states, e.g. { paper: 'low' }, { card: 'present' }, { cashBox: 'full' }, { coins: 'empty' }. */
  media: Record<string, string>;
  counters: Record<string, number>;
  lastError: DeviceError | null;
}

export function deviceError(kind: string, message: string, at: Date = new Date()): DeviceError {
  return { kind, message, at: at.toISOString() };
}
