// Fault injection around a card model, shared by both transports (in-process reader, vpcd).
import { z } from 'zod';
import type { CardApplet } from './interface.js';

export const CardFaultsSchema = z
  .object({
    /** Added before every response. */
    latencyMs: z.number().int().min(0).max(60_000).default(0),
    /** The card never answers. */
    mute: z.boolean().default(false),
    /** Replace the status word of APDUs number `fromApdu`… (1-based) with `sw`. */
    wrongSw: z
      .object({ sw: z.number().int().min(0).max(0xffff), fromApdu: z.number().int().min(1).default(1) })
      .optional(),
    /** The card leaves the reader while processing APDU number N (1-based, counted since power-on). */
    removeDuringApdu: z.number().int().min(1).optional(),
  })
  .strict();
export type CardFaults = z.input<typeof CardFaultsSchema>;

export type FaultOutcome = { type: 'respond'; bytes: Uint8Array } | { type: 'mute' } | { type: 'remove' };

export class FaultyCard {
  private count = 0;
  private readonly faults: z.output<typeof CardFaultsSchema>;
  constructor(
    readonly card: CardApplet,
    faults: CardFaults = {},
  ) {
    this.faults = CardFaultsSchema.parse(faults);
  }

  get atr(): Uint8Array {
    return this.card.atr;
  }

  powerOn(): void {
    this.count = 0;
    this.card.reset();
  }

  async handle(command: Uint8Array): Promise<FaultOutcome> {
    this.count++;
    const f = this.faults;
    if (f.latencyMs) await new Promise((r) => setTimeout(r, f.latencyMs));
    if (f.mute) return { type: 'mute' };
    if (f.removeDuringApdu !== undefined && this.count >= f.removeDuringApdu) return { type: 'remove' };
    const bytes = this.card.process(command);
    if (f.wrongSw && this.count >= f.wrongSw.fromApdu) {
      bytes[bytes.length - 2] = f.wrongSw.sw >> 8;
      bytes[bytes.length - 1] = f.wrongSw.sw & 0xff;
    }
    return { type: 'respond', bytes };
  }
}
