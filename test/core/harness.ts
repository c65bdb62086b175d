// Builds an engine over fake ports and a real SQLite journal in a temp dir.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import type { Clock } from '../../src/core/clock.js';
import { createEngine, type Engine } from '../../src/core/engine.js';
import { openJournalDb } from '../../src/core/journal/db.js';
import { Journal } from '../../src/core/journal/journal.js';
import { loadOrCreateKey } from '../../src/core/journal/keys.js';
import { silentLogger } from '../../src/log/logger.js';
import { FakeCard, FakeCash, FakePrinter, FakeReceiptPrinter, FakeRegistry } from './fakes.js';

export function makeEngine(ui: Record<string, unknown> = {}, opts: { clock?: Clock } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-engine-'));
  const db = openJournalDb(join(dir, 'journal.sqlite3'));
  const journal = new Journal(db, loadOrCreateKey(join(dir, 'journal.key')), 'TEST-01');
  const card = new FakeCard();
  const registry = new FakeRegistry();
  const printer = new FakePrinter();
  const receipt = new FakeReceiptPrinter();
  const cash = new FakeCash(journal);
  const config = parseConfig({ ui, kiosk: { dataDir: dir } });
  const engine: Engine = createEngine({
    deps: {
      journal,
      card,
      registry,
      certificatePrinter: printer,
      receiptPrinter: receipt,
      cash,
      log: silentLogger,
      kioskId: 'TEST-01',
    },
    ui: config.ui,
    demo: true,
    acceptedBills: [1000],
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  engine.start();
  const until = async (pred: () => boolean, what: string, ms = 2000) => {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end)
        throw new Error(`timed out waiting for ${what}; state ${engine.snapshot().state}`);
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  const at = (state: string) =>
    until(() => engine.snapshot().state === `session.${state}` || engine.snapshot().state === state, state);
  return { dir, db, journal, card, registry, printer, receipt, cash, engine, at, until };
}
