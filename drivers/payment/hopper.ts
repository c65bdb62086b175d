// ccTalk hopper driver. A dispense is the one command that must never be sent twice by accident:
// when its reply is lost we read the hopper's event counter to learn whether it was taken. The
// hopper is enabled (164 A5) only for the length of one dispense and disabled again after it.
import type { CcTalkBus } from './bus.js';
import { CcTalkError } from './errors.js';
import type { ChangeDispenser, DispenseResult, LevelSensors } from './interface.js';
import {
  Header,
  decodeHopperStatus,
  decodeHopperTest,
  decodeLevelStatus,
  type HopperTest,
} from './protocol.js';

export interface HopperOptions {
  /** How often to read the hopper's status while it pays. */
  statusIntervalMs?: number;
  /** Longest time one coin may take before the hopper is given up as stalled. */
  perCoinTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type HopperStatus = ReturnType<typeof decodeHopperStatus>;

export class CcTalkHopper implements ChangeDispenser {
  /** Counter and tally of the last dispense we sent, to settle it after a stall or a reset. */
  private last: { counter: number; requested: number; paidSeen: number } | null = null;

  constructor(
    private readonly bus: CcTalkBus,
    readonly address: number,
    readonly yen: number,
    private readonly o: HopperOptions = {},
  ) {}

  /** 166: event counter, coins still to pay, and the paid / unpaid tally of the last dispense. */
  async status(): Promise<HopperStatus> {
    return decodeHopperStatus(
      await this.bus.request(this.address, Header.hopperStatus, [], { replyLength: 4 }),
    );
  }

  /** 163: fault flags and what they mean (ok / disabled / empty / jammed / fault). */
  async test(): Promise<HopperTest> {
    return decodeHopperTest(
      await this.bus.request(this.address, Header.hopperTest, [], { replyLength: [1, 2, 3] }),
    );
  }

  async levelSensors(): Promise<LevelSensors> {
    const d = await this.bus.request(this.address, Header.payoutLevelStatus, [], { replyLength: 1 });
    return decodeLevelStatus(d[0] ?? 0);
  }

  async enable(): Promise<void> {
    await this.bus.request(this.address, Header.hopperEnable, [0xa5], { replyLength: 0 });
  }

  async disable(): Promise<void> {
    await this.bus.request(this.address, Header.hopperEnable, [0], { replyLength: 0 });
  }

  /**
   * Jam recovery once a technician has cleared the hopper: reset (1), which clears the fault and
   * restarts the counter at 0, re-enable (164), test (163), re-read the counters (166), disable. Coins the hopper paid
   * after we last looked are reported, read before the reset wipes them, so nothing is paid twice.
   */
  async recover(): Promise<{ test: HopperTest; paidSinceLastLook: number }> {
    let paidSinceLastLook = 0;
    const before = await this.status().catch(() => null);
    if (before && this.last && before.counter === this.last.counter && before.paid > this.last.paidSeen) {
      paidSinceLastLook = before.paid - this.last.paidSeen;
    }
    this.last = null;
    await this.bus.request(this.address, Header.reset, [], { replyLength: 0, idempotent: false });
    await sleep(50); // a device may ignore the line briefly while it restarts
    // Re-enable, then test: a hopper that still says "payout disabled" refuses to pay.
    await this.enable();
    const test = await this.test();
    await this.status();
    await this.disable();
    return { test, paidSinceLastLook };
  }

  async dispense(count: number): Promise<DispenseResult> {
    if (count <= 0) return { requested: 0, paid: 0, unpaid: 0 };
    if (count > 255)
      throw new CcTalkError('malformed', `one dispense pays at most 255 coins, asked ${count}`);
    await this.enable();
    try {
      return await this.pay(count);
    } finally {
      await this.disable().catch(() => undefined);
    }
  }

  private async pay(count: number): Promise<DispenseResult> {
    const before = await this.status();
    let accepted = false;
    try {
      await this.bus.request(this.address, Header.hopperDispense, [count], {
        idempotent: false,
        replyLength: 1,
      });
      accepted = true;
    } catch (e) {
      if (!(e instanceof CcTalkError) || e.kind === 'nak') throw e;
    }
    if (!accepted) {
      // Reply lost or corrupted: the counter says whether the hopper took the command.
      const now = await this.status();
      if (now.counter === before.counter) {
        await this.bus.request(this.address, Header.hopperDispense, [count], {
          idempotent: false,
          replyLength: 1,
        });
      }
    }
    const interval = this.o.statusIntervalMs ?? 20;
    const deadline = Date.now() + 2000 + count * (this.o.perCoinTimeoutMs ?? 1000);
    let last = { paid: 0, unpaid: 0, remaining: count, counter: before.counter };
    for (;;) {
      await sleep(interval);
      try {
        const s = await this.status();
        if (s.counter !== before.counter) {
          last = s;
          this.last = { counter: s.counter, requested: count, paidSeen: s.paid };
          if (s.remaining === 0) break;
        }
      } catch (e) {
        if (!(e instanceof CcTalkError)) throw e;
      }
      if (Date.now() > deadline) break; // stalled or silent: what we have not seen paid is owed
    }
    return { requested: count, paid: last.paid, unpaid: count - last.paid };
  }
}
