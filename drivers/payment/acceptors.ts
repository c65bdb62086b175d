// ccTalk coin acceptor and bill validator drivers over a CcTalkBus. Both read a buffered event log
// with a counter; the counter, not the buffer, decides what is new, so a repeated or lost poll can
// neither double-credit nor silently drop money.
import type { CcTalkBus } from './bus.js';
import type { AcceptorDevice, AcceptorEvent, BillRouter, CashAcceptor } from './interface.js';
import { BILL_CHANNELS, COIN_CHANNELS, Header, billEvents, channelOf, coinEvents, counterDelta, decodeEventBuffer, decodeRouteReply, inhibitMask } from './protocol.js';

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

  async enable(yen: readonly number[]): Promise<void> {
    const chans = yen.map((y) => channelOf(this.channels, y)).filter((c): c is number => c !== undefined);
    await this.bus.request(this.address, Header.modifyInhibits, inhibitMask(chans), { replyLength: 0 });
    await this.bus.request(this.address, Header.modifyMasterInhibit, [chans.length > 0 ? 1 : 0], { replyLength: 0 });
  }

  async poll(): Promise<AcceptorEvent[]> {
    const { counter, pairs } = decodeEventBuffer(await this.bus.request(this.address, this.eventsHeader, [], { replyLength: 11 }));
    const previous = this.counter;
    this.counter = counter;
    if (previous === null) return counter === 0 ? [] : [];
    const d = counterDelta(previous, counter);
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
  constructor(bus: CcTalkBus, address: number, channels = BILL_CHANNELS) {
    super(bus, address, channels);
  }
  protected decode(pairs: Array<[number, number]>, count: number) {
    return billEvents(pairs, count, (c) => this.channels[c]);
  }
  async route(action: 'stack' | 'return') {
    // Not idempotent in effect: a lost reply is settled by the next event poll, not a resend.
    return decodeRouteReply(await this.bus.request(this.address, Header.billRoute, [action === 'stack' ? 1 : 0], { idempotent: false, replyLength: [0, 1] }));
  }
}
