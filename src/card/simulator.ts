// The in-process card simulator for demo mode and tests: the fixture cards as virtual cards in a
// simulated reader, with a control API for the demo panel. PIN counters persist per card in
// <stateDir>/pins.json, so a card blocked in the demo stays blocked after a restart.
import { join } from 'node:path';
import type { CardFaults } from '../../drivers/card/faults.js';
import { FaultyCard } from '../../drivers/card/faults.js';
import { JsonFilePinStore } from '../../drivers/card/pin-store.js';
import { SIMULATED_READER, SimulatedReaderDriver } from '../../drivers/card/simulator.js';
import { VirtualJpkiCard } from '../../drivers/card/virtual-jpki-card.js';
import { allCards, virtualProfile } from '../../fixtures/vcard/profiles.js';
import type { FixtureCardType } from '../../fixtures/cards/catalog.js';

export interface SimulatedCardSummary {
  id: string;
  label: string;
  residentId: string;
  cardType: FixtureCardType;
  authPinTriesLeft: number;
}

export interface CardSimulatorControl {
  readonly driver: SimulatedReaderDriver;
  readonly reader: string;
  /** The fixture cards the demo panel offers, with their current tries. */
  cards(): SimulatedCardSummary[];
  /** Insert a fixture card (removes the current one first). */
  insert(cardId: string, faults?: CardFaults): Promise<void>;
  /** Pull the card out, at any moment. */
  remove(): void;
  inserted(): string | null;
  /** Back to the catalog's fresh tries (one card, or all). */
  resetPins(cardId?: string): void;
}

export interface CardSimulatorOptions {
  stateDir: string;
  pkiDir?: string | undefined;
  reader?: string;
}

export function createCardSimulator(o: CardSimulatorOptions): CardSimulatorControl {
  const reader = o.reader ?? SIMULATED_READER;
  const driver = new SimulatedReaderDriver([reader]);
  const store = new JsonFilePinStore(join(o.stateDir, 'pins.json'));
  let current: VirtualJpkiCard | null = null;
  return {
    driver,
    reader,
    cards: () =>
      allCards().map((c) => {
        const saved = store.load(c.id).auth;
        const tries = current?.cardId === c.id ? current.triesLeft('auth') : (saved ?? c.pinTries);
        return {
          id: c.id,
          label: c.label,
          residentId: c.residentId,
          cardType: c.cardType,
          authPinTriesLeft: tries,
        };
      }),
    async insert(cardId, faults) {
      const card = new VirtualJpkiCard(await virtualProfile(cardId, o.pkiDir), store);
      current = card;
      driver.insert(new FaultyCard(card, faults), reader);
    },
    remove() {
      current = null;
      driver.remove(reader);
    },
    inserted: () => (driver.cardPresent(reader) ? (current?.cardId ?? null) : null),
    resetPins(cardId) {
      store.reset(cardId);
      // The inserted card keeps its in-memory counters until it is inserted again.
      if (current && (!cardId || current.cardId === cardId)) {
        const id = current.cardId;
        driver.remove(reader);
        current = null;
        void this.insert(id);
      }
    },
  };
}
