// Append-only audit log. Each row's hash covers its content and the previous row's hash, so an
// edited row breaks the chain at that row and a deleted one breaks it at its successor; the
// newest head is anchored with an HMAC so that cutting rows off the end is caught too.
import { createHash, createHmac } from 'node:crypto';
import type { Db } from './db.js';

export const GENESIS = '0'.repeat(64);

export interface AuditRow {
  id: number;
  at: string;
  category: string;
  event: string;
  tx_id: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export function rowHash(r: Omit<AuditRow, 'hash'>): string {
  return createHash('sha256')
    .update(JSON.stringify([r.id, r.at, r.category, r.event, r.tx_id, r.detail, r.prev_hash]))
    .digest('hex');
}

export function headMac(key: Buffer, lastId: number, lastHash: string): string {
  return createHmac('sha256', key).update(`audit-head\0${lastId}\0${lastHash}`).digest('hex');
}

export function appendAudit(
  db: Db,
  key: Buffer,
  entry: { category: string; event: string; txId?: string | null; detail?: unknown },
  at = new Date(),
): AuditRow {
  return db.transaction(() => {
    const last = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
      { id: number; hash: string } | undefined;
    const row: Omit<AuditRow, 'hash'> = {
      id: (last?.id ?? 0) + 1,
      at: at.toISOString(),
      category: entry.category,
      event: entry.event,
      tx_id: entry.txId ?? null,
      detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
      prev_hash: last?.hash ?? GENESIS,
    };
    const hash = rowHash(row);
    db.prepare(
      'INSERT INTO audit_log (id, at, category, event, tx_id, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(row.id, row.at, row.category, row.event, row.tx_id, row.detail, row.prev_hash, hash);
    db.prepare(
      'INSERT INTO audit_head (one, last_id, last_hash, mac) VALUES (1, ?, ?, ?) ON CONFLICT(one) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash, mac = excluded.mac',
    ).run(row.id, hash, headMac(key, row.id, hash));
    return { ...row, hash };
  })();
}

export interface AuditProblem {
  id: number | null;
  problem: 'edited' | 'deleted' | 'reordered' | 'head-mismatch' | 'head-forged' | 'missing-head';
  message: string;
}

export function verifyAudit(db: Db, key: Buffer): { rows: number; problems: AuditProblem[] } {
  const problems: AuditProblem[] = [];
  let prev = GENESIS;
  let expectedId = 1;
  let rows = 0;
  let last: AuditRow | undefined;
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<AuditRow>) {
    rows++;
    if (r.id !== expectedId) {
      problems.push({
        id: expectedId,
        problem: 'deleted',
        message: `rows ${expectedId}…${r.id - 1} are missing`,
      });
    } else if (r.prev_hash !== prev) {
      problems.push({
        id: r.id,
        problem: 'deleted',
        message: `row ${r.id} does not follow the row before it`,
      });
    }
    if (rowHash(r) !== r.hash)
      problems.push({ id: r.id, problem: 'edited', message: `row ${r.id} was altered after it was written` });
    prev = r.hash;
    expectedId = r.id + 1;
    last = r;
  }
  const head = db.prepare('SELECT last_id, last_hash, mac FROM audit_head WHERE one = 1').get() as
    { last_id: number; last_hash: string; mac: string } | undefined;
  if (!head) {
    if (rows > 0)
      problems.push({
        id: null,
        problem: 'missing-head',
        message: 'the anchor of the newest row is missing',
      });
  } else {
    if (head.mac !== headMac(key, head.last_id, head.last_hash))
      problems.push({
        id: head.last_id,
        problem: 'head-forged',
        message: 'the anchor of the newest row was altered',
      });
    if (!last || head.last_id !== last.id || head.last_hash !== last.hash) {
      problems.push({
        id: head.last_id,
        problem: 'head-mismatch',
        message: `the log should end at row ${head.last_id}, it ends at ${last?.id ?? 'nothing'}`,
      });
    }
  }
  return { rows, problems };
}
