// The in-process reader simulator: a CardReaderDriver whose card is a FaultyCard in memory.
// Readers can be attached and detached, cards inserted and removed at any moment; a removal
// rejects whatever transmit is pending with CardError('removed').
import { CardError } from './errors.js';
import { FaultyCard } from './faults.js';
import type { CardConnection, CardReaderDriver, ReaderEvent } from './interface.js';

export const SIMULATED_READER = 'Madoguchi Simulated Reader 00 00';

interface Slot {
  card: FaultyCard | null;
  /** Increments on every insertion, so a connection knows when its card is gone. */
  generation: number;
  pending: Set<(e: Error) => void>;
}

export class SimulatedReaderDriver implements CardReaderDriver {
  private readonly slots = new Map<string, Slot>();
  private readonly listeners = new Set<(e: ReaderEvent) => void>();

  constructor(readers: string[] = [SIMULATED_READER]) {
    for (const r of readers) this.slots.set(r, { card: null, generation: 0, pending: new Set() });
  }

  private emit(e: ReaderEvent): void {
    for (const l of [...this.listeners]) l(e);
  }

  readers(): string[] {
    return [...this.slots.keys()];
  }

  cardPresent(reader: string): boolean {
    return !!this.slots.get(reader)?.card;
  }

  onEvent(listener: (e: ReaderEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  attachReader(reader: string): void {
    if (this.slots.has(reader)) return;
    this.slots.set(reader, { card: null, generation: 0, pending: new Set() });
    this.emit({ type: 'readerAttached', reader });
  }

  detachReader(reader: string): void {
    const slot = this.slots.get(reader);
    if (!slot) return;
    if (slot.card) this.remove(reader);
    this.slots.delete(reader);
    this.emit({ type: 'readerDetached', reader });
  }

  insert(card: FaultyCard, reader: string = SIMULATED_READER): void {
    const slot = this.slot(reader);
    if (slot.card) this.remove(reader);
    slot.card = card;
    slot.generation++;
    card.powerOn();
    this.emit({ type: 'cardInserted', reader, atr: card.atr });
  }

  remove(reader: string = SIMULATED_READER): void {
    const slot = this.slot(reader);
    if (!slot.card) return;
    slot.card = null;
    for (const reject of [...slot.pending]) reject(new CardError('removed', `card removed from ${reader}`));
    slot.pending.clear();
    this.emit({ type: 'cardRemoved', reader });
  }

  private slot(reader: string): Slot {
    const slot = this.slots.get(reader);
    if (!slot) throw new CardError('noReader', `no reader "${reader}"`);
    return slot;
  }

  async connect(reader: string): Promise<CardConnection> {
    const slot = this.slot(reader);
    const card = slot.card;
    if (!card) throw new CardError('removed', `no card in ${reader}`);
    const generation = slot.generation;
    const alive = () =>
      this.slots.get(reader) === slot && slot.card === card && slot.generation === generation;
    const transmit = (command: Uint8Array) =>
      new Promise<Uint8Array>((resolve, reject) => {
        if (!alive()) return reject(new CardError('removed', `card removed from ${reader}`));
        slot.pending.add(reject);
        const done = () => slot.pending.delete(reject);
        card.handle(command).then(
          (outcome) => {
            if (!alive()) return; // removal already rejected it
            if (outcome.type === 'remove') return this.remove(reader);
            if (outcome.type === 'mute') return; // never answers; the caller's timeout decides
            done();
            resolve(outcome.bytes);
          },
          (e: unknown) => {
            done();
            reject(new CardError('transport', `simulated card failed: ${String(e)}`, { cause: e }));
          },
        );
      });
    return {
      reader,
      atr: card.atr,
      transmit,
      reset: async () => {
        if (!alive()) throw new CardError('removed', `card removed from ${reader}`);
        card.powerOn();
        return card.atr;
      },
      disconnect: async (o) => {
        if (o?.reset !== false && alive()) card.powerOn();
      },
    };
  }

  async close(): Promise<void> {
    for (const r of this.readers()) if (this.cardPresent(r)) this.slot(r).card = null;
    this.listeners.clear();
  }
}
