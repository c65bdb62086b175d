// A complete simulated cash bay: one coin acceptor, hoppers and one bill validator on one line,
// with the controls the demo panel and the tests use.
import type { ByteTransport, ChecksumMode } from '../interface.js';
import { SimBillValidator } from './bill-validator.js';
import { SimCoinAcceptor } from './coin-acceptor.js';
import { SimHopper } from './hopper.js';
import { SimCcTalkBus } from './sim-bus.js';

export { SimBillValidator, SimCoinAcceptor, SimHopper, SimCcTalkBus };

export interface CashSimSpec {
  addresses: { coin: number; bill: number };
  hoppers: Array<{ yen: number; address: number; coins?: number }>;
  /** Addresses whose device uses CRC-16 instead of the simple checksum. */
  crc16Addresses?: number[];
  echo?: boolean;
  coinIntervalMs?: number;
}

export type SimDeviceName = 'coin' | 'bill' | `hopper.${number}`;

/** What a demo panel or a test can do to the simulated devices. */
export interface CashSimControl {
  insertCoin(yen: number): string;
  insertBill(yen: number): string;
  jam(device: SimDeviceName): void;
  emptyHopper(yen: number): void;
  cashBoxFull(): void;
  powerOff(device: SimDeviceName): void;
  powerOn(device: SimDeviceName): void;
  /** Any fault of `SIM_FAULTS` by name (the demo panel and `madoguchi sim cash`). */
  fault(device: SimDeviceName, fault: string): void;
}

/** Faults the simulated devices can be given, by device kind, each as the specification lets it happen. */
export const SIM_FAULTS = {
  coin: ['jam', 'clearJam', 'powerOff', 'powerOn', 'reset', 'stringFraud'],
  bill: [
    'jam',
    'jamInTransport',
    'routeFail',
    'routeSilent',
    'routeSilentDone',
    'escrowTimeout',
    'noEscrow',
    'escrow',
    'cashBoxFull',
    'powerOff',
    'powerOn',
    'reset',
  ],
  hopper: [
    'jam',
    'clearJam',
    'empty',
    'low',
    'inhibit',
    'uninhibit',
    'powerOff',
    'powerOn',
    'reset',
    'loseReply',
  ],
} as const;

export class CashSimulator implements CashSimControl {
  readonly coin: SimCoinAcceptor;
  readonly bill: SimBillValidator;
  readonly hoppers: SimHopper[];
  readonly bus: SimCcTalkBus;

  constructor(line: ByteTransport, spec: CashSimSpec) {
    const mode = (a: number): ChecksumMode => (spec.crc16Addresses?.includes(a) ? 'crc16' : 'simple');
    this.coin = new SimCoinAcceptor(spec.addresses.coin, mode(spec.addresses.coin));
    this.bill = new SimBillValidator(spec.addresses.bill, mode(spec.addresses.bill));
    this.hoppers = spec.hoppers.map(
      (h) => new SimHopper(h.address, h.yen, h.coins ?? 100, spec.coinIntervalMs ?? 5, mode(h.address)),
    );
    this.bus = new SimCcTalkBus(line, [this.coin, this.bill, ...this.hoppers], { echo: spec.echo ?? true });
  }

  hopper(yen: number): SimHopper {
    const h = this.hoppers.find((x) => x.yen === yen);
    if (!h) throw new Error(`no simulated hopper for ¥${yen}`);
    return h;
  }

  private byName(device: SimDeviceName) {
    if (device === 'coin') return this.coin;
    if (device === 'bill') return this.bill;
    return this.hopper(Number(device.slice('hopper.'.length)));
  }

  insertCoin(yen: number) {
    return this.coin.insert(yen);
  }
  insertBill(yen: number) {
    return this.bill.insert(yen);
  }
  jam(device: SimDeviceName): void {
    if (device === 'coin') this.coin.jammed = true;
    else if (device === 'bill') this.bill.jamOnRoute = true;
    else this.hopper(Number(device.slice('hopper.'.length))).jammed = true;
  }
  emptyHopper(yen: number): void {
    this.hopper(yen).empty();
  }
  cashBoxFull(): void {
    this.bill.setCashBoxFull();
  }
  powerOff(device: SimDeviceName): void {
    this.byName(device).powerOff();
  }
  powerOn(device: SimDeviceName): void {
    this.byName(device).powerOn();
  }

  fault(device: SimDeviceName, fault: string): void {
    const d = this.byName(device);
    const common: Record<string, () => void> = {
      powerOff: () => d.powerOff(),
      powerOn: () => d.powerOn(),
      // A power dip: the device restarts (counter 0, inhibited, power-up mode) between two polls.
      reset: () => (d.powerOff(), d.powerOn()),
      loseReply: () => this.bus.dropNextReplies(d.address, 1),
    };
    const own: Record<string, () => void> =
      d === this.coin
        ? {
            jam: () => (this.coin.jammed = true),
            clearJam: () => (this.coin.jammed = false),
            stringFraud: () => this.coin.stringFraud(),
          }
        : d === this.bill
          ? {
              jam: () => (this.bill.jamOnRoute = true),
              jamInTransport: () => this.bill.jamInTransport(),
              routeFail: () => (this.bill.routeFailuresLeft += 1),
              routeSilent: () => (this.bill.routeFault = 'silent'),
              routeSilentDone: () => (this.bill.routeFault = 'silentDone'),
              escrowTimeout: () => this.bill.escrowTimeout(),
              noEscrow: () => (
                (this.bill.escrowSupported = false),
                (this.bill.operatingMode = { ...this.bill.operatingMode, escrow: false })
              ),
              escrow: () => (this.bill.escrowSupported = true),
              cashBoxFull: () => this.bill.setCashBoxFull(),
            }
          : (() => {
              const h = d as SimHopper;
              return {
                jam: () => (h.jammed = true),
                clearJam: () => h.clearJam(),
                empty: () => h.empty(),
                low: () => (h.coins = Math.min(h.coins, h.lowLevel ?? 0)),
                inhibit: () => (h.inhibited = true),
                uninhibit: () => (h.inhibited = false),
              };
            })();
    const act = own[fault] ?? common[fault];
    if (!act) throw new Error(`unknown fault "${fault}" for ${device}`);
    act();
  }

  /** Coins paid out by all hoppers, in yen. */
  paidOutYen(): number {
    return this.hoppers.reduce((s, h) => s + h.paidOut * h.yen, 0);
  }

  close(): void {
    this.bus.close();
    this.bill.dispose();
    for (const h of this.hoppers) h.dispose();
  }
}
