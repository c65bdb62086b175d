// Virtual cards in memory for the unit tests, on the shared test PKI.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultyCard, type CardFaults } from '../../../drivers/card/faults.js';
import { JsonFilePinStore, MemoryPinStore, type PinCounterStore } from '../../../drivers/card/pin-store.js';
import { SimulatedReaderDriver, SIMULATED_READER } from '../../../drivers/card/simulator.js';
import { VirtualJpkiCard } from '../../../drivers/card/virtual-jpki-card.js';
import { virtualProfile } from '../../../fixtures/vcard/profiles.js';

export const tempDir = (prefix = 'madoguchi-card-') => mkdtempSync(join(tmpdir(), prefix));

export async function virtualCard(
  cardId: string,
  store: PinCounterStore = new MemoryPinStore(),
): Promise<VirtualJpkiCard> {
  return new VirtualJpkiCard(await virtualProfile(cardId), store);
}

export async function fileStore(dir = tempDir()): Promise<JsonFilePinStore> {
  return new JsonFilePinStore(join(dir, 'pins.json'));
}

export async function readerWith(cardId: string, faults?: CardFaults) {
  const driver = new SimulatedReaderDriver();
  const card = await virtualCard(cardId);
  driver.insert(new FaultyCard(card, faults));
  const connection = await driver.connect(SIMULATED_READER);
  return { driver, card, connection };
}
