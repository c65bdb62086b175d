// Simulated ccTalk hopper: pays one coin every `coinIntervalMs`; runs dry when its coins run out,
// reporting the unpaid rest in its status, as a real hopper does.
import { Header } from '../protocol.js';
import { SimDevice, type SimReply } from './device.js';

export class SimHopper extends SimDevice {
  readonly category = 'Payout';
  readonly product = 'MDG-HP1';
  counter = 0;
  private enabled = false;
  private remaining = 0;
  private paid = 0;
  private unpaid = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Coins handed to the resident since start. */
  paidOut = 0;
  jammed = false;

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
        this.enabled = data[0] === 0xa5;
        return [];
      case Header.hopperStatus:
        return [this.counter, this.remaining, this.paid, this.unpaid];
      case Header.hopperTest:
        return [this.jammed ? 0x02 : 0, 0];
      case Header.payoutLevelStatus:
        return [(this.coins <= 10 ? 1 : 0) | (this.coins >= 500 ? 2 : 0) | 0x30];
      case Header.hopperDispenseCount:
        return [this.paidOut & 0xff, (this.paidOut >> 8) & 0xff, (this.paidOut >> 16) & 0xff];
      case Header.hopperDispense: {
        const n = data[data.length - 1] ?? 0;
        if (!this.enabled || this.remaining > 0) return 'nak';
        this.counter = this.counter >= 255 ? 1 : this.counter + 1;
        this.remaining = n;
        this.paid = 0;
        this.unpaid = 0;
        this.enabled = false;
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
      if (this.coins === 0 || this.jammed) {
        this.unpaid = this.remaining;
        this.remaining = 0;
        return this.stop();
      }
      this.coins--;
      this.paidOut++;
      this.paid++;
      this.remaining--;
    }, this.coinIntervalMs);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  reset(): void {
    this.stop();
    if (this.remaining > 0) this.unpaid += this.remaining;
    this.remaining = 0;
    this.counter = 0;
    this.enabled = false;
  }

  empty(): void {
    this.coins = 0;
  }

  dispose(): void {
    this.stop();
  }
}
