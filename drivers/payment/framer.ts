// Cuts a received byte stream into ccTalk frames. The clock is injected so tests can split input at
// every byte and step time. A candidate that fails `accept` (checksum, unknown address) is reported
// as an error and the framer slides one byte on, so garbage on the line costs no following frame.
import { CcTalkError } from './errors.js';
import { frameLength } from './protocol.js';

export interface FramerOptions {
  /** A frame whose next byte arrives later than this is abandoned (ccTalk: 50 ms between bytes). */
  interByteTimeoutMs?: number;
  now?: () => number;
  /** Whether a whole candidate frame is good (usually: its checksum for its address checks out). */
  accept: (frame: Uint8Array) => boolean;
  onFrame: (frame: Uint8Array) => void;
  onError?: (e: CcTalkError) => void;
}

export class CcTalkFramer {
  private buffer: number[] = [];
  private lastByteAt = -Infinity;
  private readonly gap: number;
  private readonly now: () => number;

  constructor(private readonly o: FramerOptions) {
    this.gap = o.interByteTimeoutMs ?? 50;
    this.now = o.now ?? Date.now;
  }

  push(bytes: ArrayLike<number>): void {
    const t = this.now();
    if (this.buffer.length > 0 && t - this.lastByteAt > this.gap) {
      this.o.onError?.(
        new CcTalkError(
          'timeout',
          `partial frame abandoned after ${t - this.lastByteAt} ms`,
          Uint8Array.from(this.buffer),
        ),
      );
      this.buffer = [];
    }
    this.lastByteAt = t;
    for (let i = 0; i < bytes.length; i++) this.buffer.push(bytes[i]!);
    this.drain();
  }

  private drain(): void {
    for (;;) {
      const need = frameLength(this.buffer);
      if (need === undefined || this.buffer.length < need) {
        // A garbage length byte would make us wait for bytes that never come: if a whole good
        // frame already sits further on, the bytes before it were noise.
        const at = this.goodFrameAfterStart();
        if (at === undefined) return;
        const dropped = this.buffer.splice(0, at);
        this.o.onError?.(
          new CcTalkError(
            'malformed',
            `skipped ${at} bytes of noise before a frame`,
            Uint8Array.from(dropped),
          ),
        );
        continue;
      }
      const candidate = Uint8Array.from(this.buffer.slice(0, need));
      if (this.o.accept(candidate)) {
        this.buffer.splice(0, need);
        this.o.onFrame(candidate);
      } else {
        const dropped = this.buffer.splice(0, 1);
        this.o.onError?.(
          new CcTalkError('checksum', 'no valid frame here; skipped one byte', Uint8Array.from(dropped)),
        );
      }
    }
  }

  private goodFrameAfterStart(): number | undefined {
    for (let i = 1; i + 5 <= this.buffer.length; i++) {
      const end = i + this.buffer[i + 1]! + 5;
      if (end <= this.buffer.length && this.o.accept(Uint8Array.from(this.buffer.slice(i, end)))) return i;
    }
    return undefined;
  }
}
