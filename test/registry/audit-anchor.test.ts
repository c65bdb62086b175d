// The audit chain anchored at the registry: finalize and heartbeat carry the chain head, the
// registry keeps the highest, and a journal rewritten, cut short or rolled back by someone holding
// the journal key still verifies locally but no longer matches the anchor.
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAnchor } from '../../src/core/journal/anchor.js';
import { headMac, rowHash, verifyAudit, type AuditRow } from '../../src/core/journal/audit.js';
import { openJournalDb } from '../../src/core/journal/db.js';
import { Journal } from '../../src/core/journal/journal.js';
import { login, makeAdapter, MURORAN, startSim } from './helpers.js';

/** A registry per test: the anchor is per kiosk, and every test here is the same kiosk. */
const sims: Awaited<ReturnType<typeof startSim>>[] = [];
afterAll(async () => {
  for (const s of sims) await s.close();
});

/** What an attacker with file access and the key does: drop the append-only triggers, edit, re-chain, re-sign the head. */
function unlock(db: Database.Database): void {
  for (const t of db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
    .all() as { name: string }[])
    db.exec(`DROP TRIGGER "${t.name}"`);
}

function rechain(db: Database.Database, key: Buffer): void {
  let prev = '0'.repeat(64);
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY id').all() as AuditRow[]) {
    const hash = rowHash({ ...r, prev_hash: prev });
    db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?').run(prev, hash, r.id);
    prev = hash;
  }
  const last = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as {
    id: number;
    hash: string;
  };
  db.prepare('UPDATE audit_head SET last_id = ?, last_hash = ?, mac = ?').run(
    last.id,
    last.hash,
    headMac(key, last.id, last.hash),
  );
}

async function anchoredKiosk(kioskDb: string) {
  const key = randomBytes(32);
  const journal = new Journal(openJournalDb(kioskDb), key, 'kiosk-test');
  const sim = await startSim();
  sims.push(sim);
  const { adapter } = await makeAdapter(sim.url, { db: journal.db });
  const resident = await login(adapter, 'yamada-taro');
  for (let i = 0; i < 3; i++) journal.audit('test', 'event', null, { i });
  const issued = await adapter.issue(
    resident.token,
    { municipalityCode: MURORAN, certificate: 'juminhyo', options: { scope: 'household' }, copies: 1 },
    `anchor-${randomBytes(6).toString('hex')}`,
  );
  await adapter.finalize(issued.issuanceId);
  expect((await adapter.flushOutbox()).drained).toBe(true);
  return { journal, key, adapter };
}

describe('audit anchor', () => {
  it('finalize and heartbeat carry the head; the registry acknowledges the highest and never lowers it', async () => {
    const { journal, adapter } = await anchoredKiosk(':memory:');
    const head = journal.db
      .prepare('SELECT id AS seq, hash FROM audit_log ORDER BY id DESC LIMIT 1')
      .get() as { seq: number; hash: string };
    expect((await adapter.auditAnchor()).auditHead).toEqual(head);
    journal.audit('test', 'later');
    adapter.heartbeat({
      at: new Date().toISOString(),
      state: 'inService',
      devices: [],
      outboxDepth: 0,
      softwareVersion: 't',
    });
    await adapter.flushOutbox();
    const after = (await adapter.auditAnchor()).auditHead!;
    expect(after.seq).toBeGreaterThan(head.seq);
    expect(checkAnchor(journal.db, after)).toMatchObject({ ok: true });
    // A head that goes backwards does not replace the anchor.
    await adapter.client.heartbeat({
      at: new Date().toISOString(),
      state: 'inService',
      devices: [],
      outboxDepth: 0,
      softwareVersion: 't',
      auditHead: head,
    });
    expect((await adapter.auditAnchor()).auditHead).toEqual(after);
    await adapter.close();
  });

  it('a rewritten chain, re-chained and re-signed with the key, verifies locally but not against the anchor', async () => {
    const { journal, key, adapter } = await anchoredKiosk(':memory:');
    const anchor = (await adapter.auditAnchor()).auditHead;
    unlock(journal.db);
    journal.db.prepare('UPDATE audit_log SET detail = \'{"i":99}\' WHERE id = 2').run();
    rechain(journal.db, key);
    expect(verifyAudit(journal.db, key).problems).toEqual([]);
    expect(checkAnchor(journal.db, anchor)).toMatchObject({ ok: false, problem: 'rewritten' });
    await adapter.close();
  });

  it('a truncated chain (newest rows cut, head re-signed) and a rolled-back copy are found', async () => {
    const { journal, key, adapter } = await anchoredKiosk(':memory:');
    const anchor = (await adapter.auditAnchor()).auditHead!;
    const old = new Database(journal.db.serialize());
    unlock(journal.db);
    unlock(old);
    journal.db.prepare('DELETE FROM audit_log WHERE id >= ?').run(anchor.seq - 1);
    rechain(journal.db, key);
    expect(verifyAudit(journal.db, key).problems).toEqual([]);
    expect(checkAnchor(journal.db, anchor)).toMatchObject({ ok: false, problem: 'truncated' });
    // Rolled back: an older copy of the whole journal, taken before the last finalize.
    old.prepare('DELETE FROM audit_log WHERE id >= ?').run(anchor.seq);
    expect(checkAnchor(old, anchor)).toMatchObject({ ok: false, problem: 'truncated' });
    await adapter.close();
  });
});
