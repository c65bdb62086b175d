// Journal before money: the journal's disk fills up in the middle of a payment. The coin that
// could not be journaled is held in memory, the acceptors are inhibited at once, nothing is paid
// out unjournaled, the kiosk goes out of service and stays up; once space is freed the held coin
// is written and the transaction is settled by rule.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { createKioskApp, type KioskApp } from '../../src/app.js';
import { silentLogger } from '../../src/log/logger.js';
import type { Db } from '../../src/core/journal/db.js';
import { driveToPayment, until } from '../support/resident.js';
import { checkLedger } from '../../src/core/journal/ledger.js';

/** SQLITE_FULL on the next write that needs space: no new pages, and the free space in the pages filled. */
function fillJournal(db: Db) {
  db.exec('CREATE TABLE IF NOT EXISTS filler (x BLOB)');
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  for (const size of [2000, 500, 100, 20, 1]) {
    try {
      for (;;) db.prepare('INSERT INTO filler VALUES (?)').run(Buffer.alloc(size));
    } catch {
      // full at this size; try smaller
    }
  }
}

let app: KioskApp | null = null;
afterEach(async () => {
  await app?.stop();
  app = null;
});

describe('journal disk full during a payment', () => {
  it('holds the coin, inhibits the acceptors, pays nothing unjournaled, and settles once space is back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-full-'));
    app = await createKioskApp(parseConfig({ kiosk: { dataDir, serviceHours: 'always' } }), {
      log: silentLogger,
      core: { monitorMs: 3_600_000 },
    });
    const { journal, devices } = app.core;
    const sim = devices.cash.simulator!;
    await driveToPayment(app);
    const txId = journal.openTransactions()[0]!.id;
    const paidOutBefore = sim.raw.paidOutYen();
    const heldYen = () =>
      journal
        .heldCash()
        .filter((h) => h.kind === 'accept' && h.phase === 'done')
        .reduce((a, h) => a + h.yen * h.count, 0);

    fillJournal(journal.db);
    // ¥10 coins until a write needs a page the disk does not have.
    let inserted = 0;
    for (let i = 0; i < 25 && !app.core.journalFailure(); i++) {
      expect(sim.insertCoin(10)).toBe('credited');
      inserted += 10;
      // The poll that reads the coin resolves once the session has journaled (or held) it.
      await devices.cash.pollOnce();
    }

    // The failure is noticed at once, the coin is held, and no more money is taken.
    expect(app.core.journalFailure()?.code).toBe('SQLITE_FULL');
    expect(heldYen()).toBeGreaterThan(0);
    expect(journal.cashBalance(txId).receivedYen + heldYen()).toBe(inserted);
    // Unwinding cancels the payment session, and a cancel disables both acceptors first.
    await until(
      app,
      (s) => s.state === 'session.ended' || !s.state.startsWith('session.'),
      'the session to unwind',
    );
    expect(sim.insertCoin(100)).not.toBe('credited');
    // Nothing paid out that could not be journaled.
    expect(sim.raw.paidOutYen()).toBe(paidOutBefore);

    // Out of service with the journal as the reason; the process is up.
    await app.dispatch({ kind: 'request', id: 2, command: 'input', payload: { input: { type: 'ACK' } } });
    await until(app, (s) => s.state === 'outOfService' || s.state === 'idle', 'session end');
    expect(await app.core.checkService()).toContain('journal');
    expect(app.core.snapshot()).toMatchObject({ state: 'outOfService', view: { reason: 'journal' } });

    // Space is freed: the held coin is written and the transaction is settled by rule.
    journal.db.pragma('max_page_count = 1073741823');
    journal.db.exec('DROP TABLE filler');
    await app.core.checkService();
    expect(app.core.journalFailure()).toBeNull();
    expect(journal.heldCash()).toEqual([]);
    const bal = journal.cashBalance(txId);
    expect(bal.receivedYen).toBe(inserted);
    expect(journal.transaction(txId)?.status).not.toBe('open');
    // Held and written, then settled by rule: the coins are owed (nothing paid out unattended).
    expect(checkLedger(journal).violations).toEqual([]);
  });

  it('refuses to take money when the free space is below the floor', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-floor-'));
    // A floor no disk here meets.
    app = await createKioskApp(
      parseConfig({ kiosk: { dataDir, serviceHours: 'always' }, journal: { minFreeMb: 1_048_576 } }),
      { log: silentLogger, core: { monitorMs: 3_600_000 } },
    );
    expect(app.core.journalFailure()?.code).toBe('startCheck');
    expect(await app.core.checkService()).toContain('journal');
    expect(app.core.snapshot().state).toBe('outOfService');
  });
});
