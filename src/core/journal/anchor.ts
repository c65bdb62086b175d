// The audit chain anchored off the kiosk. The kiosk sends its chain head (sequence number and hash)
// with every finalize and heartbeat; the registry keeps the highest. Whoever holds the journal key
// can rewrite rows, re-chain and re-sign the local head, but cannot change what the registry holds:
// comparing the journal with that anchor finds a rewritten, truncated or rolled-back chain.
import type { Db } from './db.js';

export interface AuditAnchor {
  seq: number;
  hash: string;
}

export type AnchorCheck =
  | { ok: true; anchored: AuditAnchor | null; rows: number }
  | { ok: false; problem: 'truncated' | 'rewritten'; anchored: AuditAnchor; rows: number; message: string };

/** The journal against the anchor the registry acknowledged (null: nothing was anchored yet). */
export function checkAnchor(db: Db, anchored: AuditAnchor | null): AnchorCheck {
  const last = db.prepare('SELECT id FROM audit_log ORDER BY id DESC LIMIT 1').get() as
    { id: number } | undefined;
  const rows = last?.id ?? 0;
  if (!anchored) return { ok: true, anchored: null, rows };
  const row = db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(anchored.seq) as
    { hash: string } | undefined;
  if (!row) {
    return {
      ok: false,
      problem: 'truncated',
      anchored,
      rows,
      message: `the registry acknowledged audit row ${anchored.seq}, the journal ends at row ${rows}: it was cut short or rolled back`,
    };
  }
  if (row.hash !== anchored.hash) {
    return {
      ok: false,
      problem: 'rewritten',
      anchored,
      rows,
      message: `audit row ${anchored.seq} is not the row the registry acknowledged: the chain was rewritten up to there`,
    };
  }
  return { ok: true, anchored, rows };
}
