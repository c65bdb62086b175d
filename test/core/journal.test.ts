import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournalDb, schemaVersion } from '../../src/core/journal/db.js';
import { Journal, PersonalDataInJournal } from '../../src/core/journal/journal.js';
import { openJournal } from '../../src/ops/open-journal.js';
import { verifyJournal } from '../../src/core/journal/verify.js';

function fresh() {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-journal-'));
  const path = join(dir, 'journal.sqlite3');
  const j = openJournal(path, 'K-01');
  const tx = j.openTransaction();
  j.update(tx, {
    residentRef: 'R001',
    municipalityCode: '012050',
    certificateType: 'juminhyo',
    copies: 1,
    feeYen: 200,
  });
  j.step(tx, 'registry.issue', 'intent', { idempotencyKey: 'k' });
  j.step(tx, 'registry.issue', 'done', { issuanceId: 'ISS-1' });
  const c = j.intent({ transactionId: tx, kind: 'accept', device: 'coin', yen: 100, count: 2 });
  j.outcome(c, { ok: true, count: 2 });
  const p = j.printIntent({ txId: tx, kind: 'certificate', issuanceId: 'ISS-1', copyIndex: 1 });
  j.printOutcome(p, true, { printerJob: 'job-1' });
  j.step(tx, 'registry.finalize', 'intent', { issuanceId: 'ISS-1' });
  j.step(tx, 'registry.finalize', 'done');
  j.close(tx, 'completed', 'completed');
  j.technicianAction({ technician: 'T-01', role: 'operator', action: 'cash.collect', detail: { yen: 1000 } });
  return { dir, path, j, tx };
}

/** Tampering needs the triggers gone first: the database refuses edits to the audit log itself. */
function dropGuards(j: Journal) {
  j.db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
}

describe('journal', () => {
  it('uses WAL, synchronous=FULL and versioned migrations', () => {
    const { j } = fresh();
    expect(j.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(j.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(schemaVersion(j.db)).toBeGreaterThanOrEqual(1);
  });

  it('an intact journal verifies', () => {
    const { j } = fresh();
    expect(verifyJournal(j)).toMatchObject({ ok: true, problems: [] });
  });

  it('the database refuses to edit or delete audit rows', () => {
    const { j } = fresh();
    expect(() => j.db.exec("UPDATE audit_log SET event = 'x' WHERE id = 1")).toThrow(/append-only/);
    expect(() => j.db.exec('DELETE FROM audit_log WHERE id = 1')).toThrow(/append-only/);
  });

  it('finds an edited audit row, a deleted one, and cut-off newest rows', () => {
    const a = fresh();
    dropGuards(a.j);
    // Row 1 records that kiosk state and the outbox are audited; row 3 mirrors the fee.
    a.j.db.exec("UPDATE audit_log SET detail = replace(detail, '200', '100') WHERE id = 3");
    expect(verifyJournal(a.j).problems.join('\n')).toMatch(/audit_log row 3: edited/);

    const b = fresh();
    dropGuards(b.j);
    b.j.db.exec('DELETE FROM audit_log WHERE id = 3');
    expect(verifyJournal(b.j).problems.join('\n')).toMatch(/deleted/);

    const c = fresh();
    dropGuards(c.j);
    const last = (c.j.db.prepare('SELECT MAX(id) AS m FROM audit_log').get() as { m: number }).m;
    c.j.db.exec(`DELETE FROM audit_log WHERE id >= ${last - 1}`);
    expect(verifyJournal(c.j).problems.join('\n')).toMatch(/head-mismatch/);
  });

  it('finds an edited or deleted row in the journal tables through their audit mirrors', () => {
    const a = fresh();
    a.j.db.exec("UPDATE cash_movements SET count = 1 WHERE phase = 'done'");
    expect(verifyJournal(a.j).problems.join('\n')).toMatch(/cash_movements row \d+: edited/);

    const b = fresh();
    b.j.db.exec(`DELETE FROM steps WHERE phase = 'done'`);
    expect(verifyJournal(b.j).problems.join('\n')).toMatch(/steps row \d+: deleted/);

    const c = fresh();
    c.j.db.exec(`UPDATE transactions SET fee_yen = 0`);
    expect(verifyJournal(c.j).problems.join('\n')).toMatch(/transactions row .*: edited/);
  });

  it('`madoguchi journal verify` exits 0 when intact and 1 with the problems when not', () => {
    const { path, j } = fresh();
    const run = () =>
      execFileSync('node', ['bin/madoguchi.js', 'journal', 'verify', '--file', path], {
        encoding: 'utf8',
        env: { ...process.env, MADOGUCHI_DATA_DIR: join(path, '..') },
      });
    expect(run()).toMatch(/journal ok/);
    j.db.exec("UPDATE print_jobs SET status = 'failed'");
    j.db.close();
    let out = '';
    let code = 0;
    try {
      run();
    } catch (e) {
      out = String((e as { stdout: string }).stdout);
      code = (e as { status: number }).status;
    }
    expect(code).toBe(1);
    expect(out).toMatch(/TAMPERED[\s\S]*print_jobs row 1: edited/);
  });

  it('holds no personal data: residents are keyed hashes and personal keys are refused', () => {
    const { j, tx } = fresh();
    const row = j.transaction(tx)!;
    expect(row.resident_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.resident_hash).not.toContain('R001');
    expect(() => j.step(tx, 'card.read', 'intent', { name: '山田 太郎' })).toThrow(PersonalDataInJournal);
    expect(() => j.step(tx, 'card.read', 'intent', { nested: { pin: '1234' } })).toThrow(
      PersonalDataInJournal,
    );
    // The same resident on another kiosk key hashes differently (no cross-kiosk linking).
    const other = fresh();
    expect(other.j.transaction(other.tx)!.resident_hash).not.toBe(row.resident_hash);
  });

  it('re-running migrations is a no-op', () => {
    const { path, j } = fresh();
    j.db.close();
    const db = openJournalDb(path);
    expect((db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(2);
    db.close();
  });
});
