// Stand-ins for a device that could not be opened at start-up (a receipt printer that does not
// answer, a serial port that is missing). The kiosk starts anyway and stays out of service with the
// reason on the technician's screen, instead of exiting and being restarted in a loop.
import type { DeviceKind, DeviceStatus } from '../../drivers/common/status.js';
import { deviceError } from '../../drivers/common/status.js';
import type { Printers } from '../printing/index.js';
import type { CashAdapter } from '../payment/cash-port.js';

export class DeviceUnavailable extends Error {
  readonly kind = 'unavailable' as const;
}

const offline = (id: string, kind: DeviceKind, why: string): DeviceStatus => ({
  id,
  kind,
  state: 'offline',
  media: {},
  counters: {},
  lastError: deviceError('unavailable', why),
});

export function unavailablePrinters(why: string): Printers {
  const refuse = async (): Promise<never> => {
    throw new DeviceUnavailable(why);
  };
  return {
    certificate: {
      printCertificate: refuse,
      printSample: refuse,
      ready: async () => ({ ready: false, reason: 'offline' }),
      status: () => offline('certificatePrinter', 'certificatePrinter', why),
    },
    receipt: {
      printReceipt: refuse,
      printIou: refuse,
      ready: async () => ({ ready: false, reason: 'offline' }),
      status: () => offline('receiptPrinter', 'receiptPrinter', why),
    },
    simulators: {},
    close: async () => undefined,
  };
}

export function unavailableCash(why: string): CashAdapter {
  const refuse = async (): Promise<never> => {
    throw new DeviceUnavailable(why);
  };
  return {
    simulator: null,
    get bus(): never {
      throw new DeviceUnavailable(why);
    },
    startPayment: refuse,
    canMakeChange: () => false,
    payout: refuse,
    settleEscrow: refuse,
    status: () => [
      offline('coinAcceptor', 'coinAcceptor', why),
      offline('billValidator', 'billValidator', why),
    ],
    levels: () => [],
    hoppers: () => [],
    recoverHopper: refuse,
    billMode: () => null,
    setHopperLevel: () => {
      throw new DeviceUnavailable(why);
    },
    pollOnce: async () => undefined,
    onDeviceEvent: () => () => undefined,
    close: async () => undefined,
  };
}
