// The process-wide last resort: an uncaught error mid-payment stops the acceptors, hands the
// resident's coins back through the payment session (journaled), records the fatal error, and
// exits with the status the service manager restarts on.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { createKioskApp } from '../../src/app.js';
import { createFatalHandler, FATAL_EXIT } from '../../src/app/fatal.js';
import { silentLogger } from '../../src/log/logger.js';
import { driveToPayment } from '../support/resident.js';

describe('fatal error handler', () => {
  it('inhibits the acceptors, journals, and exits for a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-fatal-'));
    const app = await createKioskApp(parseConfig({ kiosk: { dataDir, serviceHours: 'always' } }), {
      log: silentLogger,
      core: { monitorMs: 3_600_000 },
    });
    const { journal, devices } = app.core;
    const sim = devices.cash.simulator!;
    await driveToPayment(app);
    const txId = journal.openTransactions()[0]!.id;
    expect(sim.insertCoin(100)).toBe('credited');
    // One poll reads the coin's event and the payment session journals it before the poll resolves.
    await devices.cash.pollOnce();
    expect(journal.cashBalance(txId).receivedYen).toBe(100);

    const code = await new Promise<number>((resolve) =>
      createFatalHandler(app, { exit: resolve })('uncaughtException', new TypeError('boom')),
    );
    expect(code).toBe(FATAL_EXIT);
    // Inhibited: the acceptor hands a new coin straight back.
    expect(sim.insertCoin(100)).not.toBe('credited');
    const db = new Database(app.paths.journal, { readonly: true });
    const audit = db
      .prepare("SELECT detail FROM audit_log WHERE category = 'kiosk' AND event = 'fatal'")
      .all() as { detail: string }[];
    // The resident was at the machine mid-payment: the session's cancel gave the coin back, journaled.
    const refunded = db
      .prepare(
        "SELECT SUM(yen * count) AS y FROM cash_movements WHERE tx_id = ? AND kind = 'refund' AND phase = 'done'",
      )
      .get(txId) as { y: number | null };
    db.close();
    expect(refunded.y).toBe(100);
    expect(audit.map((a) => JSON.parse(a.detail))).toEqual([
      { kind: 'uncaughtException', error: 'TypeError', code: null },
    ]);
  });
});
