// Follows a bill validator's single escrow slot through its event stream, so that every bill is
// credited exactly once whichever operating mode the device is in. With escrow on, a bill shows as
// [channel][1] (held) and later [channel][0] (stacked) or [0][1] (returned); with escrow off it only
// shows as [channel][0], already in the cash box. Pure: events in, events out.
import type { AcceptorEvent } from './interface.js';

export class EscrowTracker {
  /** The bill the validator holds now, as far as its events tell. */
  held: { yen: number; channel: number } | null = null;
  /** A route the host saw acknowledged: its confirming event is already accounted for. */
  private confirming: { action: 'stack' | 'return'; channel: number | null } | null = null;

  apply(raw: AcceptorEvent[]): AcceptorEvent[] {
    const out: AcceptorEvent[] = [];
    for (const e of raw) {
      if (e.type === 'escrowed') {
        this.held = { yen: e.yen, channel: e.channel };
        this.confirming = null;
        out.push(e);
      } else if (e.type === 'stacked') {
        if (this.confirming?.action === 'stack' && (this.confirming.channel ?? e.channel) === e.channel)
          this.confirming = null;
        else if (this.held?.channel === e.channel) {
          this.held = null;
          out.push(e);
        } else {
          // Never seen in escrow: the validator stacked it at once (escrow off). Credit it.
          out.push({ type: 'credited', device: 'bill', yen: e.yen, channel: e.channel });
        }
      } else if (e.type === 'returned') {
        if (this.confirming?.action === 'return') this.confirming = null;
        else {
          out.push({ type: 'returned', device: 'bill', yen: this.held?.yen ?? e.yen });
          this.held = null;
        }
      } else {
        if (e.type === 'reset') this.confirming = null;
        out.push(e);
      }
    }
    return out;
  }

  /**
   * The device acknowledged a route of the held bill: the host settles it now, the event confirms.
   * After a restart the host may not have seen the bill arrive (recovery): any channel confirms.
   */
  routed(action: 'stack' | 'return'): void {
    this.confirming = { action, channel: this.held?.channel ?? null };
    this.held = null;
  }

  /** The host learned the slot is empty and no event says where the bill went. */
  emptied(): void {
    this.held = null;
  }
}
