// Base of the simulated ccTalk devices: identity headers, power and reset. A powered-off device
// stays silent; powering on is a reset (event counter 0, everything inhibited), as on real hardware.
import type { ChecksumMode } from '../interface.js';
import { Header, channelsFromMask } from '../protocol.js';

/** null = no reply at all (device silent); otherwise the reply data, or 'nak'. */
export type SimReply = Uint8Array | number[] | 'nak' | null;

export abstract class SimDevice {
  powered = true;
  abstract readonly category: string;
  abstract readonly product: string;

  constructor(
    readonly address: number,
    readonly mode: ChecksumMode = 'simple',
  ) {}

  handle(header: number, data: Uint8Array): SimReply {
    if (!this.powered) return null;
    switch (header) {
      case Header.simplePoll:
        return [];
      case Header.reset:
        this.reset();
        return [];
      case Header.manufacturer:
        return ascii('MDG');
      case Header.equipmentCategory:
        return ascii(this.category);
      case Header.productCode:
        return ascii(this.product);
      default:
        return this.command(header, data);
    }
  }

  protected abstract command(header: number, data: Uint8Array): SimReply;
  /** Back to power-up state: counter 0, all inhibited. */
  abstract reset(): void;

  powerOff(): void {
    this.powered = false;
  }
  powerOn(): void {
    this.powered = true;
    this.reset();
  }
}

export const ascii = (s: string) => Array.from(Buffer.from(s, 'ascii'));

/** A 5-entry event buffer with a 1..255 counter, newest first, as 229 and 159 return it. */
export class SimEventBuffer {
  counter = 0;
  private events: Array<[number, number]> = [];

  push(a: number, b: number): void {
    this.counter = this.counter >= 255 ? 1 : this.counter + 1;
    this.events.unshift([a, b]);
    this.events.length = Math.min(this.events.length, 5);
  }
  reply(): number[] {
    const out = [this.counter];
    for (let i = 0; i < 5; i++) out.push(...(this.events[i] ?? [0, 0]));
    return out;
  }
  clear(): void {
    this.counter = 0;
    this.events = [];
  }
}

/** A coin acceptor or bill validator: the inhibit and master-inhibit headers they both answer. */
export abstract class SimAcceptor extends SimDevice {
  protected inhibitMask: [number, number] = [0, 0];
  protected masterEnabled = false;

  /** Answers the inhibit headers; undefined for any other header. */
  protected inhibitCommand(header: number, data: Uint8Array): SimReply | undefined {
    switch (header) {
      case Header.modifyInhibits:
        this.inhibitMask = [data[0] ?? 0, data[1] ?? 0];
        return [];
      case Header.requestInhibits:
        return [...this.inhibitMask];
      case Header.modifyMasterInhibit:
        this.masterEnabled = ((data[0] ?? 0) & 1) === 1;
        return [];
      case Header.requestMasterInhibit:
        return [this.masterEnabled ? 1 : 0];
      default:
        return undefined;
    }
  }

  /** Channels accepting money now (none while the master inhibit is on). */
  protected enabledChannels(): number[] {
    return this.masterEnabled ? channelsFromMask(...this.inhibitMask) : [];
  }
}
