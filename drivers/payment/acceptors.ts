// ccTalk coin acceptor and bill validator drivers over a CcTalkBus. Both read a buffered event log
// with a counter; the counter, not the buffer, decides what is new, so a repeated or lost poll can
// neither double-credit nor silently drop money.
import type { CcTalkBus } from './bus.js';
import { CcTalkError } from './errors.js';
import type { AcceptorDevice, AcceptorEvent, BillRouter, CashAcceptor, RouteReply } from './interface.js';
import {
  BILL_CHANNELS,
  BillMode,
  COIN_CHANNELS,
  Header,
  RouteCode,
  billEvents,
  channelOf,
  coinEvents,
  counterDelta,
  decodeEventBuffer,
  decodeRouteReply,
  inhibitMask,
} from './protocol.js';
import { EscrowTracker } from './escrow-tracker.js';

abstract class BufferedAcceptor implements CashAcceptor {
  abstract readonly device: AcceptorDevice;
  protected abstract readonly eventsHeader: number;
  /** Last counter seen; null until the first read sets the baseline (old events are never credited). */
  private counter: number | null = null;

  constructor(
    protected readonly bus: CcTalkBus,
    readonly address: number,
    protected readonly channels: Record<number, number>,
  ) {}

  protected abstract decode(pairs: Array<[number, number]>, count: number): AcceptorEvent[];

  /** Whether we last switched the master inhibit off (accepting). */
  private accepting = false;

  async enable(yen: readonly number[]): Promise<void> {
    const chans = yen.map((y) => channelOf(this.channels, y)).filter((c): c is number => c !== undefined);
    await this.bus.request(this.address, Header.modifyInhibits, inhibitMask(chans), { replyLength: 0 });
    await this.bus.request(this.address, Header.modifyMasterInhibit, [chans.length > 0 ? 1 : 0], {
      replyLength: 0,
    });
    this.accepting = chans.length > 0;
  }

  async poll(): Promise<AcceptorEvent[]> {
    const { counter, pairs } = decodeEventBuffer(
      await this.bus.request(this.address, this.eventsHeader, [], { replyLength: 11 }),
    );
    const previous = this.counter;
    if (previous === null) {
      this.counter = counter;
      return [];
    }
    if (previous === 0 && counter === 0 && this.accepting) {
      // No event since power-up on either side: the counter cannot show a reset, the master
      // inhibit (227) can, since a reset inhibits the device again.
      const master = await this.bus.request(this.address, Header.requestMasterInhibit, [], {
        replyLength: 1,
      });
      if ((master[0]! & 1) === 0) {
        this.accepting = false;
        return [{ type: 'reset', device: this.device }];
      }
      return [];
    }
    const d = counterDelta(previous, counter);
    // A counter that went backwards is a stale reply: keep the baseline so nothing is read twice.
    if (d.kind === 'backwards')
      throw new CcTalkError(
        'sequence',
        `${this.device} event counter went back from ${previous} to ${counter}`,
      );
    this.counter = counter;
    switch (d.kind) {
      case 'same':
        return [];
      case 'reset':
        return [{ type: 'reset', device: this.device }];
      case 'lost':
        return [{ type: 'lostEvents', device: this.device, missed: d.missed }];
      case 'new':
        return this.decode(pairs, d.count);
    }
  }

  /** Forget the baseline (after the host reconnects); the next poll only re-reads the counter. */
  rebase(): void {
    this.counter = null;
  }

  /** Equipment category (245), e.g. "Coin Acceptor": checked at start so a mis-addressed line is caught. */
  async category(): Promise<string> {
    return Buffer.from(await this.bus.request(this.address, Header.equipmentCategory)).toString('ascii');
  }

  async ping(): Promise<void> {
    await this.bus.request(this.address, Header.simplePoll, [], { replyLength: 0 });
  }
}

export class CcTalkCoinAcceptor extends BufferedAcceptor {
  readonly device = 'coin' as const;
  protected readonly eventsHeader = Header.coinEvents;
  constructor(bus: CcTalkBus, address: number, channels = COIN_CHANNELS) {
    super(bus, address, channels);
  }
  protected decode(pairs: Array<[number, number]>, count: number) {
    return coinEvents(pairs, count, (c) => this.channels[c]);
  }
}

export class CcTalkBillValidator extends BufferedAcceptor implements BillRouter {
  readonly device = 'bill' as const;
  protected readonly eventsHeader = Header.billEvents;
  /** Follows the escrow slot so each bill is credited once, with escrow on or off. */
  readonly escrow = new EscrowTracker();
  constructor(bus: CcTalkBus, address: number, channels = BILL_CHANNELS) {
    super(bus, address, channels);
  }
  protected decode(pairs: Array<[number, number]>, count: number) {
    return this.escrow.apply(billEvents(pairs, count, (c) => this.channels[c]));
  }
  async route(action: 'stack' | 'return'): Promise<RouteReply> {
    // Not idempotent in effect: a lost reply is settled by asking the device (hold) and by the
    // next event poll, never by a blind resend.
    return decodeRouteReply(
      await this.bus.request(
        this.address,
        Header.billRoute,
        [action === 'stack' ? RouteCode.stack : RouteCode.return],
        { idempotent: false, replyLength: [0, 1] },
      ),
    );
  }
  async hold(): Promise<RouteReply> {
    // Safe to repeat: it only restarts the escrow timer, or answers "escrow empty".
    return decodeRouteReply(
      await this.bus.request(this.address, Header.billRoute, [RouteCode.hold], { replyLength: [0, 1] }),
    );
  }
  /** Bill operating mode (152): whether the validator holds bills in escrow and uses its stacker. */
  async readMode(): Promise<{ stacker: boolean; escrow: boolean }> {
    return BillMode.decode(
      await this.bus.request(this.address, Header.requestBillMode, [], { replyLength: 1 }),
    );
  }
  async setMode(mode: { stacker: boolean; escrow: boolean }): Promise<void> {
    await this.bus.request(this.address, Header.modifyBillMode, [BillMode.encode(mode)], { replyLength: 0 });
  }
}
