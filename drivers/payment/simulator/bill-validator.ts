// Simulated ccTalk bill validator with one escrow position: ¥1000, ¥2000, ¥5000, ¥10000 on channels
// 1..4. It behaves as the generic specification lets a validator behave: an operating mode (152/153,
// escrow on or off) that a power-up resets, route failures (255) that leave the bill in escrow, an
// escrow timeout that hands the bill back by itself, and a power cycle that returns the held bill.
import { BILL_CHANNELS, BillMode, BillStatus, Header, RouteCode, channelOf } from '../protocol.js';
import { SimAcceptor, SimEventBuffer, type SimReply } from './device.js';

export type RouteFault = 'fail' | 'silent' | 'silentDone';

export class SimBillValidator extends SimAcceptor {
  readonly category = 'Bill Validator';
  readonly product = 'MDG-BV1';
  readonly events = new SimEventBuffer();
  /** Channel of the bill held in escrow, if any. */
  escrow: number | null = null;
  /** Operating mode now; a power-up restores `powerUpMode`. */
  operatingMode = { stacker: true, escrow: false };
  powerUpMode = { stacker: true, escrow: false };
  /** False for a validator without an escrow position: 153 cannot switch escrow on. */
  escrowSupported = true;
  /** The validator gives a held bill back by itself after this long (null: never). */
  escrowTimeoutMs: number | null = null;
  private escrowTimer: NodeJS.Timeout | null = null;
  /** The next route attempt jams (bill stuck in the transport). */
  jamOnRoute = false;
  /** The next route command: answered "failed to route" (bill stays), unanswered, or done unanswered. */
  routeFault: RouteFault | null = null;
  /** Route commands (stack or return) still to be answered "failed to route" after this one. */
  routeFailuresLeft = 0;
  cashBoxCapacity = 500;
  readonly cashBox: Record<number, number> = {};
  /** Bills handed back to the resident. */
  readonly returned: number[] = [];

  protected command(header: number, data: Uint8Array): SimReply {
    const inhibit = this.inhibitCommand(header, data);
    if (inhibit) return inhibit;
    switch (header) {
      case Header.billEvents:
        return this.events.reply();
      case Header.billRoute:
        return this.route(data[0] ?? 0);
      case Header.requestBillMode:
        return [BillMode.encode(this.operatingMode)];
      case Header.modifyBillMode: {
        const m = BillMode.decode(Uint8Array.of(data[0] ?? 0));
        this.operatingMode = { stacker: m.stacker, escrow: m.escrow && this.escrowSupported };
        return [];
      }
      default:
        return 'nak';
    }
  }

  private stacked(): number {
    return Object.values(this.cashBox).reduce((a, b) => a + b, 0);
  }

  private route(code: number): SimReply {
    if (this.escrow === null) return [254];
    if (code === RouteCode.hold) {
      this.armEscrowTimer();
      return [];
    }
    const fault = this.routeFault ?? (this.routeFailuresLeft > 0 ? 'fail' : null);
    if (this.routeFault) this.routeFault = null;
    else if (this.routeFailuresLeft > 0) this.routeFailuresLeft--;
    if (fault === 'fail') return [255];
    if (fault === 'silent') return null;
    if (this.jamOnRoute) {
      // The bill leaves the escrow position and sticks in the transport: neither stacked nor returned.
      this.jamOnRoute = false;
      this.clearEscrow();
      this.events.push(0, BillStatus.jamUnsafe);
      return [255];
    }
    const ch = this.escrow;
    if (code === RouteCode.stack) {
      if (this.stacked() >= this.cashBoxCapacity) {
        this.events.push(0, BillStatus.stackerFull);
        return fault === 'silentDone' ? null : [255];
      }
      this.clearEscrow();
      this.toCashBox(ch);
    } else {
      this.clearEscrow();
      this.handBack(ch);
    }
    return fault === 'silentDone' ? null : [];
  }

  private toCashBox(ch: number): void {
    const yen = BILL_CHANNELS[ch]!;
    this.cashBox[yen] = (this.cashBox[yen] ?? 0) + 1;
    this.events.push(ch, 0);
  }

  private handBack(ch: number): void {
    this.returned.push(BILL_CHANNELS[ch]!);
    this.events.push(0, BillStatus.returnedFromEscrow);
  }

  private clearEscrow(): void {
    this.escrow = null;
    if (this.escrowTimer) clearTimeout(this.escrowTimer);
    this.escrowTimer = null;
  }

  private armEscrowTimer(): void {
    if (this.escrowTimer) clearTimeout(this.escrowTimer);
    this.escrowTimer =
      this.escrowTimeoutMs === null ? null : setTimeout(() => this.escrowTimeout(), this.escrowTimeoutMs);
  }

  /** The escrow timer runs out: the validator hands the bill back and reports it. */
  escrowTimeout(): void {
    if (this.escrow === null || !this.powered) return;
    const ch = this.escrow;
    this.clearEscrow();
    this.handBack(ch);
  }

  reset(): void {
    // On power-up this validator hands back a bill it was holding (with no event: the buffer restarts).
    if (this.escrow !== null) this.returned.push(BILL_CHANNELS[this.escrow]!);
    this.clearEscrow();
    this.events.clear();
    this.inhibitMask = [0, 0];
    this.masterEnabled = false;
    this.operatingMode = { ...this.powerUpMode };
  }

  insert(
    yen: number,
  ): 'escrowed' | 'stacked' | 'inhibited' | 'busy' | 'full' | 'rejected' | 'jammed' | 'off' {
    if (!this.powered) return 'off';
    const ch = channelOf(BILL_CHANNELS, yen);
    if (ch === undefined) {
      this.events.push(0, BillStatus.invalidValidation);
      return 'rejected';
    }
    if (this.escrow !== null) return 'busy';
    if (!this.enabledChannels().includes(ch)) {
      this.events.push(0, BillStatus.inhibitedSerial);
      return 'inhibited';
    }
    if (this.stacked() >= this.cashBoxCapacity) {
      this.events.push(0, BillStatus.stackerFull);
      return 'full';
    }
    if (!this.operatingMode.escrow) {
      this.toCashBox(ch);
      return 'stacked';
    }
    this.escrow = ch;
    this.events.push(ch, 1);
    this.armEscrowTimer();
    return 'escrowed';
  }

  /** A bill jams in the transport while being inserted: no credit, a jam event. */
  jamInTransport(): void {
    this.events.push(0, BillStatus.jamSafe);
  }

  setCashBoxFull(): void {
    this.cashBoxCapacity = this.stacked();
    this.events.push(0, BillStatus.stackerFull);
  }

  enabledYen(): number[] {
    return this.enabledChannels().map((c) => BILL_CHANNELS[c]!);
  }

  dispose(): void {
    this.clearEscrow();
  }
}
