// The registry outbox: finalize, void and heartbeat messages are written to the kiosk's SQLite first
// and delivered afterwards, in order, surviving restarts. A message the registry rejects for good
// (e.g. void after finalize) is set aside as 'dead' so it cannot block the queue; a transient
// failure stops delivery until the next attempt, so order is kept.
// On the kiosk every finalize/void row written, set aside or delivered is copied into the journal's
// audit chain in the same transaction (auditOutbox), so `journal verify` finds an edited message.
// Heartbeats are not copied: each replaces the last, they decide nothing, and there is one a minute.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { Logger } from '../log/logger.js';
import { VoidReason } from './api.js';
import { RegistryError } from './errors.js';

// The kiosk's journal creates this table in its own migration 2 (core/journal/migrations.ts); this copy
// serves an outbox on a bare database. Changing the table means a new journal migration too.
export const OUTBOX_SCHEMA = `
CREATE TABLE IF NOT EXISTS registry_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('finalize', 'void', 'heartbeat')),
  issuance_id TEXT,
  payload TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS registry_outbox_pending ON registry_outbox (state, seq);
`;

export const OutboxMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('finalize'), issuanceId: z.string().min(1) }),
  z.object({ kind: z.literal('void'), issuanceId: z.string().min(1), reason: VoidReason }),
  z.object({ kind: z.literal('heartbeat'), body: z.record(z.string(), z.unknown()) }),
]);
export type OutboxMessage = z.infer<typeof OutboxMessage>;

export interface OutboxEntry {
  seq: number;
  message: OutboxMessage;
  attempts: number;
}

export type Deliver = (m: OutboxMessage) => Promise<void>;

/** Writes the audit copy of outbox row `seq` as it is now (or that it is gone). */
export type OutboxAudit = (seq: number) => void;

interface Row {
  seq: number;
  kind: string;
  payload: string;
  attempts: number;
}

export class RegistryOutbox {
  private readonly q;

  constructor(
    private readonly db: Database.Database,
    private readonly log: Logger,
    private readonly audit?: OutboxAudit,
  ) {
    db.exec(OUTBOX_SCHEMA);
    this.q = {
      insert: db.prepare(
        'INSERT INTO registry_outbox (kind, issuance_id, payload, created_at) VALUES (?, ?, ?, ?)',
      ),
      dropHeartbeats: db.prepare(
        "DELETE FROM registry_outbox WHERE kind = 'heartbeat' AND state = 'pending'",
      ),
      pending: db.prepare(
        "SELECT seq, kind, payload, attempts FROM registry_outbox WHERE state = 'pending' ORDER BY seq LIMIT ?",
      ),
      depth: db.prepare("SELECT COUNT(*) AS n FROM registry_outbox WHERE state = 'pending'"),
      delivered: db.prepare('DELETE FROM registry_outbox WHERE seq = ?'),
      failed: db.prepare('UPDATE registry_outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?'),
      dead: db.prepare(
        "UPDATE registry_outbox SET state = 'dead', attempts = attempts + 1, last_error = ? WHERE seq = ?",
      ),
    };
  }

  /** A write to row seq, with its audit copy in the same transaction (not for heartbeats). */
  private audited(kind: string, seq: number, write: () => unknown): void {
    if (!this.audit || kind === 'heartbeat') {
      write();
      return;
    }
    this.db.transaction(() => {
      write();
      this.audit!(seq);
    })();
  }

  /** Durably queue a message. A newer heartbeat replaces an undelivered older one. */
  enqueue(message: OutboxMessage): number {
    const m = OutboxMessage.parse(message);
    const issuanceId = m.kind === 'heartbeat' ? null : m.issuanceId;
    return this.db.transaction(() => {
      if (m.kind === 'heartbeat') this.q.dropHeartbeats.run();
      const seq = Number(
        this.q.insert.run(m.kind, issuanceId, JSON.stringify(m), new Date().toISOString()).lastInsertRowid,
      );
      if (m.kind !== 'heartbeat') this.audit?.(seq);
      return seq;
    })();
  }

  depth(): number {
    return (this.q.depth.get() as { n: number }).n;
  }

  pending(limit = 1000): OutboxEntry[] {
    return (this.q.pending.all(limit) as Row[]).flatMap((r) => {
      const parsed = OutboxMessage.safeParse(JSON.parse(r.payload));
      if (parsed.success) return [{ seq: r.seq, message: parsed.data, attempts: r.attempts }];
      // A row we cannot read is kept for a technician, never dropped silently.
      this.audited(r.kind, r.seq, () => this.q.dead.run('unreadable payload', r.seq));
      this.log.error({ seq: r.seq, kind: r.kind }, 'registry outbox: unreadable entry set aside');
      return [];
    });
  }

  /**
   * Deliver pending messages oldest first. Stops at the first transient failure (returns false) so
   * nothing overtakes it; a permanent rejection is set aside and delivery continues.
   */
  async flush(deliver: Deliver): Promise<{ delivered: number; dead: number; drained: boolean }> {
    let delivered = 0;
    let dead = 0;
    for (;;) {
      const batch = this.pending(50);
      if (batch.length === 0) return { delivered, dead, drained: true };
      for (const e of batch) {
        try {
          await deliver(e.message);
          this.audited(e.message.kind, e.seq, () => this.q.delivered.run(e.seq));
          delivered += 1;
        } catch (err) {
          const permanent =
            err instanceof RegistryError && (err.kind === 'rejected' || err.kind === 'unauthorized');
          const why =
            err instanceof RegistryError
              ? `${err.kind}${err.details.code ? `/${err.details.code}` : ''}`
              : 'error';
          if (permanent) {
            this.audited(e.message.kind, e.seq, () => this.q.dead.run(why, e.seq));
            dead += 1;
            this.log.error(
              { seq: e.seq, kind: e.message.kind, why },
              'registry outbox: message rejected for good, set aside',
            );
            continue;
          }
          this.q.failed.run(why, e.seq);
          return { delivered, dead, drained: false };
        }
      }
    }
  }
}
