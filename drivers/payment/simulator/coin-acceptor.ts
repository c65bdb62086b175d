// Simulated ccTalk coin acceptor: ¥10, ¥50, ¥100, ¥500 on channels 1..4.
import { COIN_CHANNELS, Header, channelOf } from '../protocol.js';
import { SimAcceptor, SimEventBuffer, type SimReply } from './device.js';

export class SimCoinAcceptor extends SimAcceptor {
  readonly category = 'Coin Acceptor';
  readonly product = 'MDG-CA4';
  readonly events = new SimEventBuffer();
  jammed = false;
  /** Coins accepted into the cash box since start, by yen. */
  readonly cashBox: Record<number, number> = {};

  protected command(header: number, data: Uint8Array): SimReply {
    const inhibit = this.inhibitCommand(header, data);
    if (inhibit) return inhibit;
    switch (header) {
      case Header.coinEvents:
        return this.events.reply();
      case Header.coinId: {
        const yen = COIN_CHANNELS[data[0] ?? 0];
        return Array.from(Buffer.from(yen ? `JP${String(yen).padStart(3, '0')}A` : '......', 'ascii'));
      }
      default:
        return 'nak';
    }
  }

  reset(): void {
    this.events.clear();
    this.inhibitMask = [0, 0];
    this.masterEnabled = false;
  }

  /** A resident drops a coin: credited when enabled, else an "inhibited coin" error event. */
  insert(yen: number): 'credited' | 'inhibited' | 'rejected' | 'jammed' | 'off' {
    if (!this.powered) return 'off';
    if (this.jammed) {
      this.events.push(0, 14);
      return 'jammed';
    }
    const ch = channelOf(COIN_CHANNELS, yen);
    if (ch === undefined) {
      this.events.push(0, 1);
      return 'rejected';
    }
    if (!this.enabledChannels().includes(ch)) {
      this.events.push(0, 2);
      return 'inhibited';
    }
    this.events.push(ch, 1);
    this.cashBox[yen] = (this.cashBox[yen] ?? 0) + 1;
    return 'credited';
  }

  /** A fraud attempt the validator detects (coin on a string). */
  stringFraud(): void {
    this.events.push(0, 20);
  }

  /** Raw error event, for tests of the error table. */
  errorEvent(code: number): void {
    this.events.push(0, code);
  }

  enabledYen(): number[] {
    return this.enabledChannels().map((c) => COIN_CHANNELS[c]!);
  }
}
