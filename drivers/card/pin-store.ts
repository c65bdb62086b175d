// PIN retry counters of the virtual cards, kept per card profile so a blocked card stays blocked
// across restarts of the demo or the vpcd card program.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export const PIN_IDS = ['auth', 'sign', 'cardInfo', 'pinA', 'pinB'] as const;
export type PinId = (typeof PIN_IDS)[number];
export type PinCounters = Partial<Record<PinId, number>>;

export interface PinCounterStore {
  load(cardId: string): PinCounters;
  save(cardId: string, counters: PinCounters): void;
  /** Forget a card's counters (back to the profile's fresh values); all cards when omitted. */
  reset(cardId?: string): void;
}

export class MemoryPinStore implements PinCounterStore {
  private readonly byCard = new Map<string, PinCounters>();
  load(cardId: string): PinCounters {
    return { ...this.byCard.get(cardId) };
  }
  save(cardId: string, counters: PinCounters): void {
    this.byCard.set(cardId, { ...counters });
  }
  reset(cardId?: string): void {
    if (cardId) this.byCard.delete(cardId);
    else this.byCard.clear();
  }
}

const FileSchema = z.record(
  z.string(),
  z
    .object({
      auth: z.number().int().min(0).max(15),
      sign: z.number().int().min(0).max(15),
      cardInfo: z.number().int().min(0).max(15),
      pinA: z.number().int().min(0).max(15),
      pinB: z.number().int().min(0).max(15),
    })
    .partial(),
);

/** A small JSON file, rewritten atomically (write + rename) on every change. */
export class JsonFilePinStore implements PinCounterStore {
  private data: Record<string, PinCounters>;
  constructor(readonly path: string) {
    this.data = this.read();
  }
  private read(): Record<string, PinCounters> {
    if (!existsSync(this.path)) return {};
    const text = readFileSync(this.path, 'utf8');
    let parsed: z.ZodSafeParseResult<Record<string, PinCounters>>;
    try {
      parsed = FileSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = { success: false } as z.ZodSafeParseResult<Record<string, PinCounters>>;
    }
    if (parsed.success) return parsed.data;
    // Keep the unreadable file for inspection instead of overwriting it.
    renameSync(this.path, `${this.path}.corrupt-${Date.now()}`);
    return {};
  }
  private write(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 2));
    renameSync(tmp, this.path);
  }
  load(cardId: string): PinCounters {
    this.data = this.read();
    return { ...this.data[cardId] };
  }
  save(cardId: string, counters: PinCounters): void {
    this.data = this.read();
    this.data[cardId] = { ...counters };
    this.write();
  }
  reset(cardId?: string): void {
    this.data = cardId ? Object.fromEntries(Object.entries(this.read()).filter(([k]) => k !== cardId)) : {};
    this.write();
  }
}
