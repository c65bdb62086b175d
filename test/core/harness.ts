// Builds an engine over fake ports and a real SQLite journal in a temp dir.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { isScreen } from '../../src/contract/index.js';
import type { Clock } from '../../src/core/clock.js';
import { createEngine, type Engine } from '../../src/core/engine.js';
import { openJournalDb } from '../../src/core/journal/db.js';
import { Journal } from '../../src/core/journal/journal.js';
import { loadOrCreateKey } from '../../src/core/journal/keys.js';
import { silentLogger } from '../../src/log/logger.js';
import { when } from '../support/wait.js';
import { FakeCard, FakeCash, FakePrinter, FakeReceiptPrinter, FakeRegistry } from './fakes.js';

export function makeEngine(
  ui: Record<string, unknown> = {},
  opts: { clock?: Clock; service?: Record<string, unknown> } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-engine-'));
  const db = openJournalDb(join(dir, 'journal.sqlite3'));
  const journal = new Journal(db, loadOrCreateKey(join(dir, 'journal.key')), 'TEST-01');
  const card = new FakeCard();
  const registry = new FakeRegistry();
  const printer = new FakePrinter();
  const receipt = new FakeReceiptPrinter();
  const cash = new FakeCash(journal);
  const config = parseConfig({
    ui,
    kiosk: { dataDir: dir },
    ...(opts.service ? { service: opts.service } : {}),
  });
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
    service: config.service,
    demo: true,
    acceptedBills: [1000],
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  engine.start();
  // Checked again on every snapshot the engine publishes: effects end in a transition, so what they
  // did (a void, a closed transaction) is visible by the snapshot that follows.
  const until = (pred: () => boolean, what: string, ms = 2000) =>
    when(
      (l) => engine.subscribe(l),
      pred,
      what,
      ms,
      () => engine.snapshot().state,
    );
  const at = (state: string) =>
    until(() => engine.snapshot().state === `session.${state}` || engine.snapshot().state === state, state);
  /** The payment screen with the acceptors open: the cash session the test feeds exists. */
  const paying = () =>
    until(() => {
      const s = engine.snapshot();
      return isScreen(s, 'payment') && s.view.accepting;
    }, 'payment accepting');
  /** A resident from idle to the confirm screen: card, PIN 1234, 住民票 for themself, `copies` copies. */
  const toConfirm = async (copies = 1) => {
    engine.input({ type: 'START' });
    await at('insertCard');
    card.insert();
    await at('pin');
    engine.input({ type: 'PIN_SUBMIT', pin: '1234' });
    await at('certificate');
    engine.input({ type: 'SELECT_CERTIFICATE', certificate: 'juminhyo' });
    await at('options');
    engine.input({ type: 'SET_OPTIONS', options: { scope: 'self' }, copies });
    await at('confirm');
  };
  /** …then confirmed, the card taken back, and the acceptors open. */
  const toPayment = async (copies = 1) => {
    await toConfirm(copies);
    engine.input({ type: 'CONFIRM' });
    await at('takeCard');
    card.remove();
    await paying();
  };
  return {
    ...{ dir, db, journal, card, registry, printer, receipt, cash, engine },
    ...{ at, until, paying, toConfirm, toPayment },
  };
}
