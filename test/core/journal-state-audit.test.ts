// Kiosk state, the registry outbox and configuration edits are in the audit chain: one character
// changed in any of their rows, straight in SQLite, and `journal verify` names the row.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { defaultJournalKeyPath } from '../../src/config/load.js';
import { openJournalDb } from '../../src/core/journal/db.js';
import { Journal } from '../../src/core/journal/journal.js';
import { loadOrCreateKey } from '../../src/core/journal/keys.js';
import { verifyJournal } from '../../src/core/journal/verify.js';
import { silentLogger } from '../../src/log/logger.js';
import { openJournal } from '../../src/ops/open-journal.js';
import { RegistryError } from '../../src/registry/errors.js';
import { RegistryOutbox } from '../../src/registry/outbox.js';

function kiosk() {
  const path = join(mkdtempSync(join(tmpdir(), 'madoguchi-state-audit-')), 'journal.sqlite3');
  const j = openJournal(path, 'K-01');
  const outbox = new RegistryOutbox(j.db, silentLogger, (seq) => j.mirrorRow('registry_outbox', seq));
  j.setState('outOfService', { message: 'paper jam' });
  j.setState('needsTechnician', { reason: 'recovery', at: '2026-11-30T01:00:00.000Z' });
  outbox.enqueue({ kind: 'finalize', issuanceId: 'ISS-0001' });
  outbox.enqueue({ kind: 'void', issuanceId: 'ISS-0002', reason: 'printFailed' });
  outbox.enqueue({ kind: 'heartbeat', body: { status: 'ok' } });
  j.technicianAction({
    technician: 'T-01',
    role: 'admin',
    action: 'configEdit',
    detail: { ok: true, changedKeys: ['journal.retentionDays'], restart: 'requested' },
  });
  return { path, j, outbox };
}

/** An edit straight in the database file, as someone with file access would make it. */
function sqlite(path: string, sql: string): void {
  const db = new Database(path);
  try {
    expect(db.prepare(sql).run().changes).toBe(1);
  } finally {
    db.close();
  }
}

describe('audit chain over kiosk state, the outbox and configuration edits', () => {
  it('verifies when untouched, also after delivery, a message set aside and a repeated state', async () => {
    const { j, outbox } = kiosk();
    j.setState('outOfService', { message: 'paper jam' }); // unchanged: nothing to copy
    expect(verifyJournal(j)).toMatchObject({ ok: true, problems: [] });
    // The finalize is delivered (deleted), the void refused for good (set aside), the heartbeat delivered.
    const r = await outbox.flush(async (m) => {
      if (m.kind === 'void') throw new RegistryError('rejected', 'already finalized');
    });
    expect(r).toMatchObject({ delivered: 2, dead: 1 });
    expect(verifyJournal(j)).toMatchObject({ ok: true, problems: [] });
    const state = j.db.prepare('SELECT seq, state FROM registry_outbox').all();
    expect(state).toEqual([{ seq: 2, state: 'dead' }]);
  });

  const edits: Array<[string, string, RegExp]> = [
    [
      'the out-of-service flag',
      "UPDATE kiosk_state SET value = replace(value, 'paper jam', 'paper jaM') WHERE key = 'outOfService'",
      /kiosk_state row outOfService: edited \(differs from its audited copy\)/,
    ],
    [
      'a sticky needs-technician reason',
      "UPDATE kiosk_state SET value = replace(value, 'recovery', 'recoverY') WHERE key = 'needsTechnician'",
      /kiosk_state row needsTechnician: edited/,
    ],
    [
      "an outbox message's issuance",
      "UPDATE registry_outbox SET issuance_id = 'ISS-0003' WHERE issuance_id = 'ISS-0001'",
      /registry_outbox row 1: edited/,
    ],
    [
      "an outbox message's payload",
      "UPDATE registry_outbox SET payload = replace(payload, 'printFailed', 'printFailee') WHERE kind = 'void'",
      /registry_outbox row 2: edited/,
    ],
    [
      'a finalize turned into a heartbeat',
      "UPDATE registry_outbox SET kind = 'heartbeat' WHERE seq = 1",
      /registry_outbox row 1: edited/,
    ],
    [
      'an undelivered message removed',
      'DELETE FROM registry_outbox WHERE seq = 2',
      /registry_outbox row 2: deleted \(audited, now missing\)/,
    ],
    [
      'a message slipped in',
      `INSERT INTO registry_outbox (kind, issuance_id, payload, created_at) VALUES ('finalize', 'ISS-9', '{"kind":"finalize","issuanceId":"ISS-9"}', '2026-11-30T00:00:00Z')`,
      /registry_outbox row 4: unaudited \(no audited copy\)/,
    ],
    [
      'a state slipped in',
      "INSERT INTO kiosk_state (key, value, at) VALUES ('maintenance', 'true', '2026-11-30T00:00:00Z')",
      /kiosk_state row maintenance: unaudited/,
    ],
    [
      "a configuration edit's record",
      "UPDATE technician_actions SET detail = replace(detail, 'retentionDays', 'retentionDayz') WHERE action = 'configEdit'",
      /technician_actions row \d+: edited/,
    ],
  ];
  it.each(edits)('finds %s', (_what, sql, expected) => {
    const { path, j } = kiosk();
    sqlite(path, sql);
    const report = verifyJournal(j);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(expected);
    j.db.close();
  });

  it('`madoguchi journal verify` fails on one character changed in kiosk_state', () => {
    const { path, j } = kiosk();
    j.db.close();
    sqlite(path, "UPDATE kiosk_state SET value = replace(value, 'jam', 'jaM') WHERE key = 'outOfService'");
    let out = '';
    let code = 0;
    try {
      execFileSync('node', ['bin/madoguchi.js', 'journal', 'verify', '--file', path], {
        encoding: 'utf8',
        env: { ...process.env, MADOGUCHI_DATA_DIR: join(path, '..') },
      });
    } catch (e) {
      out = String((e as { stdout: string }).stdout);
      code = (e as { status: number }).status;
    }
    expect(code).toBe(1);
    expect(out).toMatch(/journal TAMPERED[\s\S]*kiosk_state row outOfService: edited/);
  }, 60_000);

  it("adopts an earlier version's state rows once, with a record in the chain, and checks them from then on", () => {
    const path = join(mkdtempSync(join(tmpdir(), 'madoguchi-state-legacy-')), 'journal.sqlite3');
    // A journal as an earlier version left it: state written without audit copies.
    const old = new Journal(openJournalDb(path), loadOrCreateKey(defaultJournalKeyPath(path)), 'K-01');
    old.technicianAction({ technician: 'T-01', role: 'admin', action: 'login' });
    old.db
      .prepare(
        "INSERT INTO kiosk_state (key, value, at) VALUES ('outOfService', '{\"message\":\"x\"}', 'now')",
      )
      .run();
    expect(verifyJournal(old)).toMatchObject({ ok: true }); // not audited yet: not checked
    old.db.close();

    const j = openJournal(path, 'K-01');
    const record = j.db
      .prepare("SELECT detail FROM audit_log WHERE category = 'journal' AND event = 'mirrorsAdopted'")
      .all() as { detail: string }[];
    expect(record.map((r) => JSON.parse(r.detail))).toEqual([{ rows: ['kiosk_state:outOfService'] }]);
    expect(verifyJournal(j)).toMatchObject({ ok: true });
    j.db.close();
    // Adopted once only: a later edit is found, not adopted.
    sqlite(path, 'UPDATE kiosk_state SET value = \'{"message":"y"}\' WHERE key = \'outOfService\'');
    const again = openJournal(path, 'K-01');
    expect(verifyJournal(again).problems.join('\n')).toMatch(/kiosk_state row outOfService: edited/);
    again.db.close();
  });
});
