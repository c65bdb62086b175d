// The device side of a simulated ccTalk line: frames what the host sends, hands each frame to the
// device at its address, and answers like a shared line would (echo of the host's bytes first).
// Tests inject garbage and corrupted replies here to prove the host loses nothing.
import { CcTalkFramer } from '../framer.js';
import type { ByteTransport } from '../interface.js';
import { HOST_ADDRESS, Header, checksumOk, decodeFrame, encodeFrame } from '../protocol.js';
import type { SimDevice } from './device.js';

export interface SimBusOptions {
  /** Echo the host's own frame back, as a shared single-wire line does. */
  echo?: boolean;
  now?: () => number;
}

/** One command a simulated device received, and whether its reply went out on the line. */
export interface SimCommand {
  address: number;
  header: number;
  data: number[];
  answered: boolean;
}

export class SimCcTalkBus {
  private readonly devices = new Map<number, SimDevice>();
  private readonly framer: CcTalkFramer;
  private readonly unsubscribe: () => void;
  private garbageBeforeNextReply: number[] = [];
  private corruptReplies = 0;
  private readonly dropped = new Map<number, number>();
  private readonly commandListeners = new Set<(c: SimCommand) => void>();
  /** Frames answered, per address (a bench reads polls per second from this). */
  readonly answered = new Map<number, number>();
  framingErrors = 0;
  /** Every command the devices received, in order (tests compare it with the expected traffic). */
  readonly traffic: Array<{ address: number; header: number; data: number[] }> = [];

  constructor(
    private readonly line: ByteTransport,
    devices: SimDevice[],
    private readonly o: SimBusOptions = {},
  ) {
    for (const d of devices) this.devices.set(d.address, d);
    this.framer = new CcTalkFramer({
      now: o.now,
      accept: (f) => {
        const d = this.devices.get(f[0]!);
        return d !== undefined && checksumOk(f, d.mode);
      },
      onFrame: (f) => this.onFrame(f),
      onError: () => this.framingErrors++,
    });
    this.unsubscribe = line.onData((b) => this.framer.push(b));
  }

  /**
   * Told after each command a device acted on (its state already changed, its reply already written):
   * tests wait on device traffic with this instead of on time.
   */
  onCommand(listener: (c: SimCommand) => void): () => void {
    this.commandListeners.add(listener);
    return () => this.commandListeners.delete(listener);
  }

  device<T extends SimDevice>(address: number): T | undefined {
    return this.devices.get(address) as T | undefined;
  }

  /** Noise on the line just before the next reply. */
  injectGarbage(bytes: number[]): void {
    this.garbageBeforeNextReply.push(...bytes);
  }

  /** The device at `address` acts on its next `n` commands but its replies never reach the line. */
  dropNextReplies(address: number, n: number): void {
    this.dropped.set(address, (this.dropped.get(address) ?? 0) + n);
  }

  /** The next `n` replies go out with one flipped data bit (their checksum no longer matches). */
  corruptNextReplies(n: number): void {
    this.corruptReplies += n;
  }

  private onFrame(frame: Uint8Array): void {
    const d = this.devices.get(frame[0]!)!;
    const req = decodeFrame(frame, d.mode);
    const command = { address: d.address, header: req.header, data: Array.from(req.data) };
    this.traffic.push(command);
    if (this.traffic.length > 10000) this.traffic.splice(0, 5000);
    const answered = this.answer(d, frame, req.header, req.data);
    for (const l of [...this.commandListeners]) l({ ...command, answered });
  }

  /** Acts on one command and writes its reply; false when no reply goes out (powered off, dropped). */
  private answer(d: SimDevice, frame: Uint8Array, header: number, data: Uint8Array): boolean {
    const reply = d.handle(header, data);
    if (reply === null) return false; // powered off: silence
    const drop = this.dropped.get(d.address) ?? 0;
    if (drop > 0) {
      this.dropped.set(d.address, drop - 1);
      return false;
    }
    this.answered.set(d.address, (this.answered.get(d.address) ?? 0) + 1);
    const out = encodeFrame({
      destination: HOST_ADDRESS,
      source: d.address,
      header: reply === 'nak' ? Header.nak : Header.reply,
      data: reply === 'nak' ? [] : reply,
      mode: d.mode,
    });
    if (this.corruptReplies > 0) {
      this.corruptReplies--;
      out[3] = out[3]! ^ 0x01;
    }
    const bytes = [
      ...(this.o.echo ? Array.from(frame) : []),
      ...this.garbageBeforeNextReply,
      ...Array.from(out),
    ];
    this.garbageBeforeNextReply = [];
    void this.line.write(Uint8Array.from(bytes)).catch(() => undefined);
    return true;
  }

  close(): void {
    this.unsubscribe();
  }
}
