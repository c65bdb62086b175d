// Simulated ccTalk hopper: pays one coin every `coinIntervalMs` while enabled (164 A5). Running dry
// ends a payout with "payout timeout" and the unpaid rest in its status; a jam stops it with the exit
// opto blocked and the motor reversed. After either fault it stays disabled, whatever 164 says,
// until a reset (1) and a new enable, as real hoppers do. Level sensors trip at set coin counts.
import { Header, HopperFlag } from '../protocol.js';
import { SimDevice, type SimReply } from './device.js';

export class SimHopper extends SimDevice {
  readonly category = 'Payout';
  readonly product = 'MDG-HP1';
  counter = 0;
  enabled = false;
  /** Hardware inhibit: the hopper ignores 164 and stays disabled (no fault flag but "payout disabled"). */
  inhibited = false;
  /** Jams after paying this many more coins (null: only when `jammed`). */
  jamAfterCoins: number | null = null;
  /** Fault flags latched until a reset (163 register bits). */
  private latched = 0;
  private remaining = 0;
  private paid = 0;
  private unpaid = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Coins handed to the resident since start. */
  paidOut = 0;
  /** Physically jammed: payouts stop until a technician clears it (`clearJam`). */
  jammed = false;
  /** Coins at or below which the low sensor trips, and at or above which the high one does (null: not fitted). */
  lowLevel: number | null = 10;
  highLevel: number | null = 500;
  /** Dispense commands taken, for tests that prove nothing was paid twice. */
  dispenses = 0;
  /** When the last coin left (performance.now()), for the refund bench. */
  lastCoinAt = 0;

  constructor(
    address: number,
    readonly yen: number,
    public coins: number,
    private readonly coinIntervalMs = 5,
    mode: 'simple' | 'crc16' = 'simple',
  ) {
    super(address, mode);
  }

  protected command(header: number, data: Uint8Array): SimReply {
    switch (header) {
      case Header.hopperEnable:
        this.enabled = data[0] === 0xa5 && this.latched === 0 && !this.inhibited;
        return [];
      case Header.hopperStatus:
        return [this.counter, this.remaining, this.paid, this.unpaid];
      case Header.hopperTest: {
        const flags = this.latched | (this.enabled ? 0 : HopperFlag.payoutDisabled);
        return [flags & 0xff, (flags >> 8) & 0xff, (flags >> 16) & 0xff];
      }
      case Header.payoutLevelStatus: {
        let b = 0;
        if (this.lowLevel !== null) b |= 0x10 | (this.coins <= this.lowLevel ? 1 : 0);
        if (this.highLevel !== null) b |= 0x20 | (this.coins >= this.highLevel ? 2 : 0);
        return [b];
      }
      case Header.hopperDispenseCount:
        return [this.paidOut & 0xff, (this.paidOut >> 8) & 0xff, (this.paidOut >> 16) & 0xff];
      case Header.hopperDispense: {
        const n = data[data.length - 1] ?? 0;
        if (!this.enabled || this.remaining > 0) return 'nak';
        this.dispenses++;
        this.counter = this.counter >= 255 ? 1 : this.counter + 1;
        this.remaining = n;
        this.paid = 0;
        this.unpaid = 0;
        this.run();
        return [this.counter];
      }
      default:
        return 'nak';
    }
  }

  private run(): void {
    this.timer = setInterval(() => {
      if (!this.powered) return;
      if (this.remaining === 0) return this.stop();
      if (this.jamAfterCoins === 0) {
        this.jammed = true;
        this.jamAfterCoins = null;
      }
      if (this.jammed) return this.fault(HopperFlag.optoBlockedPayout | HopperFlag.motorReversed);
      if (this.jamAfterCoins !== null) this.jamAfterCoins--;
      if (this.coins === 0) return this.fault(HopperFlag.payoutTimeout);
      this.coins--;
      this.lastCoinAt = performance.now();
      this.paidOut++;
      this.paid++;
      this.remaining--;
    }, this.coinIntervalMs);
  }

  private fault(flags: number): void {
    this.latched |= flags;
    this.enabled = false;
    this.unpaid = this.remaining;
    this.remaining = 0;
    this.stop();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  reset(): void {
    this.stop();
    if (this.remaining > 0) this.unpaid += this.remaining;
    this.remaining = 0;
    this.paid = 0;
    this.unpaid = 0;
    this.counter = 0;
    this.enabled = false;
    this.latched = 0;
  }

  empty(): void {
    this.coins = 0;
  }

  /** A technician takes the stuck coin out; the hopper still needs a reset and an enable. */
  clearJam(): void {
    this.jammed = false;
  }

  dispose(): void {
    this.stop();
  }
}
