// Builds journals for the operations tests: by an older schema, with real rows in every table.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultJournalKeyPath } from '../../src/config/load.js';
import { openJournalDb, type Db } from '../../src/core/journal/db.js';
import { Journal } from '../../src/core/journal/journal.js';
import { loadOrCreateKey } from '../../src/core/journal/keys.js';
import { MIGRATIONS } from '../../src/core/journal/migrations.js';

export const KIOSK = 'K-OPS-01';

export function tempJournalPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'madoguchi-ops-')), 'journal.sqlite3');
}

/** A journal at schema `version` (opened without the upgrade guard, as the old version would). */
export function journalAt(path: string, version: number, now: () => Date = () => new Date()): Journal {
  const db = openJournalDb(
    path,
    MIGRATIONS.filter((m) => m.version <= version),
  );
  return new Journal(db, loadOrCreateKey(defaultJournalKeyPath(path)), KIOSK, now);
}

/** One completed certificate sale: cash in (coin and a stacked bill), change, print, close. */
export function sale(j: Journal, opts: { close?: boolean; escrowOnly?: boolean } = {}): string {
  const tx = j.openTransaction();
  j.update(tx, {
    residentRef: `R-${tx}`,
    municipalityCode: '012050',
    certificateType: 'juminhyo',
    copies: 1,
    feeYen: 300,
    issuanceId: `ISS-${tx}`,
  });
  j.step(tx, 'registry.issue', 'intent', { idempotencyKey: j.idempotencyKey(tx) });
  j.step(tx, 'registry.issue', 'done', { issuanceId: `ISS-${tx}` });
  const bill = j.intent({ transactionId: tx, kind: 'accept', device: 'bill', yen: 1000, count: 1 });
  j.outcome(bill, { ok: true, count: 1 });
  if (!opts.escrowOnly) {
    const stack = j.intent({ transactionId: tx, kind: 'stack', device: 'bill', yen: 1000, count: 1 });
    j.outcome(stack, { ok: true, count: 1 });
    const change = j.intent({ transactionId: tx, kind: 'change', device: 'hopper.100', yen: 100, count: 7 });
    j.outcome(change, { ok: true, count: 7 });
    const p = j.printIntent({ txId: tx, kind: 'certificate', issuanceId: `ISS-${tx}`, copyIndex: 1 });
    j.printOutcome(p, true, { printerJob: `job-${tx}` });
  }
  if (opts.close ?? true) j.close(tx, 'completed', 'completed');
  return tx;
}

export const TABLES = [
  'transactions',
  'steps',
  'cash_movements',
  'print_jobs',
  'technician_actions',
  'audit_log',
  'audit_head',
  'kiosk_state',
  'schema_migrations',
];

/** Every row of every table, for before/after comparisons. */
export function dump(db: Db, tables = TABLES): Record<string, unknown[]> {
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]));
}
