// Simulated ccTalk bill validator with one escrow position: ¥1000, ¥2000, ¥5000, ¥10000 on channels 1..4.
import { BILL_CHANNELS, BillStatus, Header, channelOf } from '../protocol.js';
import { SimAcceptor, SimEventBuffer, type SimReply } from './device.js';

export class SimBillValidator extends SimAcceptor {
  readonly category = 'Bill Validator';
  readonly product = 'MDG-BV1';
  readonly events = new SimEventBuffer();
  /** Channel of the bill held in escrow, if any. */
  escrow: number | null = null;
  /** The next route attempt jams (bill stuck in the transport). */
  jamOnRoute = false;
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
      default:
        return 'nak';
    }
  }

  private stacked(): number {
    return Object.values(this.cashBox).reduce((a, b) => a + b, 0);
  }

  private route(code: number): SimReply {
    if (this.escrow === null) return [254];
    if (code === 255) return []; // extend the escrow timeout
    if (this.jamOnRoute) {
      this.jamOnRoute = false;
      this.events.push(0, BillStatus.jamUnsafe);
      return [255];
    }
    const ch = this.escrow;
    this.escrow = null;
    if (code === 1) {
      if (this.stacked() >= this.cashBoxCapacity) {
        this.escrow = ch;
        this.events.push(0, BillStatus.stackerFull);
        return [255];
      }
      const yen = BILL_CHANNELS[ch]!;
      this.cashBox[yen] = (this.cashBox[yen] ?? 0) + 1;
      this.events.push(ch, 0);
    } else {
      this.returned.push(BILL_CHANNELS[ch]!);
      this.events.push(0, BillStatus.returnedFromEscrow);
    }
    return [];
  }

  reset(): void {
    // On power-up a validator hands back a bill it was holding.
    if (this.escrow !== null) this.returned.push(BILL_CHANNELS[this.escrow]!);
    this.escrow = null;
    this.events.clear();
    this.inhibitMask = [0, 0];
    this.masterEnabled = false;
  }

  insert(yen: number): 'escrowed' | 'inhibited' | 'busy' | 'full' | 'rejected' | 'jammed' | 'off' {
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
    this.escrow = ch;
    this.events.push(ch, 1);
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
}
