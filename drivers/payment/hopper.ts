// ccTalk hopper driver. A dispense is the one command that must never be sent twice by accident:
// when its reply is lost we read the hopper's event counter to learn whether it was taken.
import type { CcTalkBus } from './bus.js';
import { CcTalkError } from './errors.js';
import type { ChangeDispenser, DispenseResult } from './interface.js';
import { Header, decodeHopperStatus, decodeLevelStatus } from './protocol.js';

export interface HopperOptions {
  /** How often to read the hopper's status while it pays. */
  statusIntervalMs?: number;
  /** Longest time one coin may take before the hopper is given up as stalled. */
  perCoinTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class CcTalkHopper implements ChangeDispenser {
  constructor(
    private readonly bus: CcTalkBus,
    readonly address: number,
    readonly yen: number,
    private readonly o: HopperOptions = {},
  ) {}

  async status() {
    return decodeHopperStatus(await this.bus.request(this.address, Header.hopperStatus, [], { replyLength: 4 }));
  }

  async levelSensors() {
    const d = await this.bus.request(this.address, Header.payoutLevelStatus, [], { replyLength: 1 });
    return decodeLevelStatus(d[0] ?? 0);
  }

  async dispense(count: number): Promise<DispenseResult> {
    if (count <= 0) return { requested: 0, paid: 0, unpaid: 0 };
    if (count > 255) throw new CcTalkError('malformed', `one dispense pays at most 255 coins, asked ${count}`);
    await this.bus.request(this.address, Header.hopperEnable, [0xa5], { replyLength: 0 });
    const before = await this.status();
    let accepted = false;
    try {
      await this.bus.request(this.address, Header.hopperDispense, [count], { idempotent: false, replyLength: 1 });
      accepted = true;
    } catch (e) {
      if (!(e instanceof CcTalkError) || e.kind === 'nak') throw e;
    }
    if (!accepted) {
      // Reply lost or corrupted: the counter says whether the hopper took the command.
      const now = await this.status();
      if (now.counter === before.counter) {
        await this.bus.request(this.address, Header.hopperDispense, [count], { idempotent: false, replyLength: 1 });
      }
    }
    const interval = this.o.statusIntervalMs ?? 20;
    const deadline = Date.now() + 2000 + count * (this.o.perCoinTimeoutMs ?? 1000);
    let last = { paid: 0, unpaid: 0, remaining: count };
    for (;;) {
      await sleep(interval);
      try {
        const s = await this.status();
        last = s;
        if (s.remaining === 0 && s.counter !== before.counter) break;
      } catch (e) {
        if (!(e instanceof CcTalkError)) throw e;
      }
      if (Date.now() > deadline) {
        // Stalled or silent: what we have not seen paid is owed to the resident.
        return { requested: count, paid: last.paid, unpaid: count - last.paid };
      }
    }
    return { requested: count, paid: last.paid, unpaid: count - last.paid };
  }
}
