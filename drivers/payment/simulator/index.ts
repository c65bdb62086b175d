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
}

export class CashSimulator implements CashSimControl {
  readonly coin: SimCoinAcceptor;
  readonly bill: SimBillValidator;
  readonly hoppers: SimHopper[];
  readonly bus: SimCcTalkBus;

  constructor(line: ByteTransport, spec: CashSimSpec) {
    const mode = (a: number): ChecksumMode => (spec.crc16Addresses?.includes(a) ? 'crc16' : 'simple');
    this.coin = new SimCoinAcceptor(spec.addresses.coin, mode(spec.addresses.coin));
    this.bill = new SimBillValidator(spec.addresses.bill, mode(spec.addresses.bill));
    this.hoppers = spec.hoppers.map((h) => new SimHopper(h.address, h.yen, h.coins ?? 100, spec.coinIntervalMs ?? 5, mode(h.address)));
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

  /** Coins paid out by all hoppers, in yen. */
  paidOutYen(): number {
    return this.hoppers.reduce((s, h) => s + h.paidOut * h.yen, 0);
  }

  close(): void {
    this.bus.close();
    for (const h of this.hoppers) h.dispose();
  }
}
