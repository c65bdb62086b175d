// Versioned schema of the kiosk journal: each migration's SQL is frozen here, as released. Append a
// migration; never edit a released one.
// No column ever holds personal data in clear: a resident is a keyed hash, documents are ids.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'transactions, steps, cash, print jobs, technician actions, audit log',
    sql: `
      CREATE TABLE transactions (
        id TEXT PRIMARY KEY,
        kiosk_id TEXT NOT NULL,
        started_at TEXT NOT NULL,
        closed_at TEXT,
        -- open | completed | cancelled | refused | failed | recovered
        status TEXT NOT NULL DEFAULT 'open',
        -- HMAC-SHA256(kiosk key, registry resident ref): links a resident's transactions without naming them
        resident_hash TEXT,
        municipality_code TEXT,
        certificate_type TEXT,
        copies INTEGER,
        fee_yen INTEGER,
        idempotency_key TEXT UNIQUE,
        issuance_id TEXT,
        outcome TEXT
      );
      CREATE INDEX transactions_open ON transactions(status) WHERE status = 'open';
      CREATE INDEX transactions_started ON transactions(started_at);

      CREATE TABLE steps (
        id INTEGER PRIMARY KEY,
        tx_id TEXT NOT NULL REFERENCES transactions(id),
        step TEXT NOT NULL,
        -- intent is written before the effect, done/failed after it
        phase TEXT NOT NULL CHECK (phase IN ('intent', 'done', 'failed')),
        detail TEXT,
        at TEXT NOT NULL
      );
      CREATE INDEX steps_tx ON steps(tx_id, id);

      CREATE TABLE cash_movements (
        id INTEGER PRIMARY KEY,
        tx_id TEXT,
        -- accept (coin/bill taken in), escrow, stack, return (escrowed bill given back),
        -- refund / change / payout (coins out), refill / collect (technician)
        kind TEXT NOT NULL,
        device TEXT NOT NULL,
        yen INTEGER NOT NULL,
        count INTEGER NOT NULL,
        phase TEXT NOT NULL CHECK (phase IN ('intent', 'done', 'failed')),
        intent_id INTEGER REFERENCES cash_movements(id),
        detail TEXT,
        at TEXT NOT NULL
      );
      CREATE INDEX cash_tx ON cash_movements(tx_id);

      CREATE TABLE print_jobs (
        id INTEGER PRIMARY KEY,
        tx_id TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('certificate', 'receipt', 'iou', 'slip', 'test')),
        issuance_id TEXT,
        copy_index INTEGER,
        status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
        printer_job TEXT,
        detail TEXT,
        created_at TEXT NOT NULL,
        finished_at TEXT
      );
      CREATE INDEX print_tx ON print_jobs(tx_id);

      CREATE TABLE technician_actions (
        id INTEGER PRIMARY KEY,
        technician TEXT NOT NULL,
        role TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT,
        at TEXT NOT NULL
      );

      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        category TEXT NOT NULL,
        event TEXT NOT NULL,
        tx_id TEXT,
        detail TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      -- The audit log is append-only: edits and deletes are refused by the database itself.
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

      -- Keyed anchor of the chain's head, so that deleting the newest rows is detected too.
      CREATE TABLE audit_head (
        one INTEGER PRIMARY KEY CHECK (one = 1),
        last_id INTEGER NOT NULL,
        last_hash TEXT NOT NULL,
        mac TEXT NOT NULL
      );

      CREATE TABLE kiosk_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'registry outbox (finalize, void, heartbeat delivered in order)',
    // The outbox module also creates it when used on its own (tests); IF NOT EXISTS keeps both safe.
    sql: `
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
    `,
  },
];
