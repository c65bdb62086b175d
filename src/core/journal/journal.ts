// The kiosk journal: every step of a transaction is written here (intent) before it has an
// effect, and again (done/failed) after, so that start-up recovery can resolve any crash.
// Nothing personal is stored: residents are keyed hashes; details are checked for personal keys.
import type { StepName } from '../steps.js';
import { randomUUID } from 'node:crypto';
import type { CashIntent, CashJournal, CashOutcome } from '../ports.js';
import { appendAudit, verifyAudit } from './audit.js';
import type { Db } from './db.js';
import { isStorageError, type JournalHealth } from './health.js';
import { keyedHash } from './keys.js';
import { assertNoPersonalData } from '../../privacy/policy.js';

export type TxStatus = 'open' | 'completed' | 'cancelled' | 'refused' | 'failed' | 'recovered';
export type StepPhase = 'intent' | 'done' | 'failed';

export interface TxRow {
  id: string;
  kiosk_id: string;
  started_at: string;
  closed_at: string | null;
  status: TxStatus;
  resident_hash: string | null;
  municipality_code: string | null;
  certificate_type: string | null;
  copies: number | null;
  fee_yen: number | null;
  idempotency_key: string | null;
  issuance_id: string | null;
  outcome: string | null;
}
export interface StepRow {
  id: number;
  tx_id: string;
  step: string;
  phase: StepPhase;
  detail: string | null;
  at: string;
}
export interface CashRow {
  id: number;
  tx_id: string | null;
  kind: string;
  device: string;
  yen: number;
  count: number;
  phase: StepPhase;
  intent_id: number | null;
  detail: string | null;
  at: string;
}
export interface PrintRow {
  id: number;
  tx_id: string | null;
  kind: string;
  issuance_id: string | null;
  copy_index: number | null;
  status: 'pending' | 'done' | 'failed';
  printer_job: string | null;
  detail: string | null;
  created_at: string;
  finished_at: string | null;
}

/**
 * Every table whose rows change what the kiosk does, with its key column. Each write to one is
 * copied into the audit chain in the same SQLite transaction; `verifyMirrors` compares the table
 * with the newest copies. `columns`: what is compared (the outbox's delivery attempts and last error
 * change on every retry and change nothing). `volatile`: rows never copied, because they carry no
 * decision (the health probe's write test, heartbeats replaced every minute).
 */
interface MirrorRule {
  key: string;
  columns?: string[];
  volatile?: (row: Record<string, unknown>) => boolean;
}
export type MirroredTable =
  | 'transactions'
  | 'steps'
  | 'cash_movements'
  | 'print_jobs'
  | 'technician_actions'
  | 'kiosk_state'
  | 'registry_outbox';
const MIRRORS: Record<MirroredTable, MirrorRule> = {
  transactions: { key: 'id' },
  steps: { key: 'id' },
  cash_movements: { key: 'id' },
  print_jobs: { key: 'id' },
  technician_actions: { key: 'id' },
  kiosk_state: { key: 'key', volatile: (r: Record<string, unknown>) => r.key === 'health.probe' },
  registry_outbox: {
    key: 'seq',
    columns: ['seq', 'kind', 'issuance_id', 'payload', 'state', 'created_at'],
    volatile: (r: Record<string, unknown>) => r.kind === 'heartbeat',
  },
};
const MIRRORED_TABLES = Object.keys(MIRRORS) as MirroredTable[];
/** An audit copy saying the row was deleted on purpose (delivered outbox message). */
const DELETED = '$deleted';
/**
 * Tables audited since this version. A journal of an earlier version has rows in them with no copy:
 * the first open by this version copies those once and chains a record of it (ADOPTED); from that
 * record on, they are verified like the others.
 */
const LATER_MIRRORS = new Set<MirroredTable>(['kiosk_state', 'registry_outbox']);
const ADOPTED = { category: 'journal', event: 'mirrorsAdopted' } as const;

function mirrorOf(table: MirroredTable, row: Record<string, unknown>): Record<string, unknown> {
  const m = MIRRORS[table];
  return m.columns ? Object.fromEntries(m.columns.map((c) => [c, row[c]])) : row;
}

export interface MirrorProblem {
  table: string;
  id: number | string;
  problem: 'edited' | 'deleted' | 'unaudited';
}

// Which details are personal is the privacy policy's rule, one list for logs, journal and reports.
export { assertNoPersonalData, PersonalDataInJournal } from '../../privacy/policy.js';

/** Why the journal stopped taking writes (disk full, I/O error, read-only, corrupt). */
export interface JournalFailure {
  code: string;
  message: string;
  at: string;
}

/** A journal write refused because the journal failed: no effect that needs it may go ahead. */
export class JournalWriteFailed extends Error {
  readonly kind = 'journal' as const;
  constructor(readonly failure: JournalFailure) {
    super(`journal write failed: ${failure.code}`);
  }
}

/**
 * A cash movement kept in memory because the journal could not take it. Only facts are held:
 * money that already arrived (accept), a bill the validator gave back (return), and the outcome
 * of any movement. A movement that would still have to happen (a payout, a stack) is refused.
 */
export interface HeldCash {
  ref: number;
  txId: string | null;
  kind: string;
  device: string;
  yen: number;
  count: number;
  phase: StepPhase;
  /** The intent this outcome belongs to: a journal row id, or a negative ref of a held intent. */
  intentId: number | null;
  detail: string | null;
  at: string;
}

const HOLDABLE_INTENTS = new Set(['accept', 'return']);

const json = (d: unknown) => (d === undefined ? null : (assertNoPersonalData(d), JSON.stringify(d)));

export class Journal implements CashJournal {
  constructor(
    readonly db: Db,
    private readonly key: Buffer,
    readonly kioskId: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Test hook for the crash test: called after each cash journal write. */
  crashPoint?: (step: string, phase: StepPhase) => void;

  private failure: JournalFailure | null = null;
  private readonly failureListeners = new Set<(f: JournalFailure) => void>();
  private held: HeldCash[] = [];
  private flushing = false;

  /** Set once a write failed; until resume() every write is refused. */
  get writeFailure(): JournalFailure | null {
    return this.failure;
  }

  /** Called once, synchronously, when the journal stops taking writes (the kiosk inhibits the acceptors). */
  onWriteFailure(listener: (f: JournalFailure) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  /** Cash movements waiting in memory for the journal to take writes again. */
  heldCash(): readonly HeldCash[] {
    return this.held;
  }

  private permanent = false;

  /** Marks the journal unusable (a failed write, a failed check at start; permanent: until a restart, e.g. a lost journal). */
  markFailed(code: string, message: string, permanent = false): void {
    this.permanent ||= permanent;
    if (this.failure) return;
    this.failure = { code, message, at: this.at() };
    for (const l of this.failureListeners) {
      try {
        l(this.failure);
      } catch {
        // a listener's own failure must not hide the journal's
      }
    }
  }

  /** Every write goes through here: a storage error fails the journal and is never swallowed. */
  private write<T>(fn: () => T): T {
    if (this.failure && !this.flushing) throw new JournalWriteFailed(this.failure);
    try {
      return fn();
    } catch (e) {
      if (!isStorageError(e)) throw e;
      this.markFailed(e.code, e.message);
      throw new JournalWriteFailed(this.failure!);
    }
  }

  /**
   * After a failure: when the journal passes its health check again, the held cash movements are
   * written (in order, in one transaction) and the journal is back in use. False when still failing.
   */
  resume(check: () => JournalHealth): boolean {
    if (!this.failure) return true;
    if (this.permanent || !check().ok) return false;
    this.flushing = true;
    try {
      this.db.transaction(() => {
        const ids = new Map<number, number>();
        for (const h of this.held) {
          const intentId =
            h.intentId === null ? null : h.intentId < 0 ? (ids.get(h.intentId) ?? null) : h.intentId;
          const id = this.mirrored('cash_movements', () =>
            Number(
              this.db
                .prepare(
                  'INSERT INTO cash_movements (tx_id, kind, device, yen, count, phase, intent_id, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
                )
                .run(h.txId, h.kind, h.device, h.yen, h.count, h.phase, intentId, h.detail, h.at)
                .lastInsertRowid,
            ),
          );
          ids.set(h.ref, id);
        }
        appendAudit(
          this.db,
          this.key,
          {
            category: 'journal',
            event: 'resumed',
            txId: null,
            detail: { failure: this.failure!.code, since: this.failure!.at, heldRows: this.held.length },
          },
          this.now(),
        );
      })();
    } catch {
      return false;
    } finally {
      this.flushing = false;
    }
    this.held = [];
    this.failure = null;
    return true;
  }

  private hold(row: Omit<HeldCash, 'ref' | 'at'>): number {
    const ref = -(this.held.length + 1);
    this.held.push({ ...row, ref, at: this.at() });
    return ref;
  }

  private at(): string {
    return this.now().toISOString();
  }

  audit(category: string, event: string, txId?: string | null, detail?: unknown): void {
    assertNoPersonalData(detail);
    this.write(() =>
      appendAudit(this.db, this.key, { category, event, txId: txId ?? null, detail }, this.now()),
    );
  }

  verifyAudit() {
    return verifyAudit(this.db, this.key);
  }

  residentHash(residentRef: string): string {
    return keyedHash(this.key, residentRef, 'resident');
  }

  /** The card's pseudonym (a keyed hash of its certificate): recovery knows the card again by it. */
  cardHash(certificate: Uint8Array): string {
    return keyedHash(this.key, Buffer.from(certificate).toString('base64'), 'card');
  }

  /* ── transactions ── */

  openTransaction(): string {
    const id = randomUUID();
    this.mirroredTx(id, () => {
      this.db
        .prepare('INSERT INTO transactions (id, kiosk_id, started_at, idempotency_key) VALUES (?, ?, ?, ?)')
        .run(id, this.kioskId, this.at(), randomUUID());
    });
    return id;
  }

  update(
    txId: string,
    f: {
      residentRef?: string;
      municipalityCode?: string;
      certificateType?: string;
      copies?: number;
      feeYen?: number;
      issuanceId?: string;
    },
  ): void {
    const sets: string[] = [];
    const values: unknown[] = [];
    const put = (col: string, v: unknown) => {
      if (v === undefined) return;
      sets.push(`${col} = ?`);
      values.push(v);
    };
    put('resident_hash', f.residentRef === undefined ? undefined : this.residentHash(f.residentRef));
    put('municipality_code', f.municipalityCode);
    put('certificate_type', f.certificateType);
    put('copies', f.copies);
    put('fee_yen', f.feeYen);
    put('issuance_id', f.issuanceId);
    if (sets.length)
      this.mirroredTx(txId, () =>
        this.db.prepare(`UPDATE transactions SET ${sets.join(', ')} WHERE id = ?`).run(...values, txId),
      );
  }

  /** Writes a step; intent before the effect, done/failed after it. */
  step(txId: string, step: StepName, phase: StepPhase, detail?: unknown): number {
    return this.mirrored('steps', () =>
      Number(
        this.db
          .prepare('INSERT INTO steps (tx_id, step, phase, detail, at) VALUES (?, ?, ?, ?, ?)')
          .run(txId, step, phase, json(detail), this.at()).lastInsertRowid,
      ),
    );
  }

  /**
   * Writes a journal row and, in the same SQLite transaction (one fsync), an audit row that
   * mirrors it, so that `journal verify` can find an edited or deleted row in any table.
   */
  /** Transactions have text ids: mirrored by id the same way. */
  private mirroredTx(txId: string, write: () => unknown): void {
    this.write(() =>
      this.db.transaction(() => {
        write();
        const row = this.db.prepare('SELECT * FROM transactions WHERE id = ?').get(txId) as Record<
          string,
          unknown
        >;
        appendAudit(
          this.db,
          this.key,
          { category: 'mirror', event: 'transactions', txId, detail: row },
          this.now(),
        );
      })(),
    );
  }

  private mirrored(table: MirroredTable, write: () => number): number {
    return this.write(() =>
      this.db.transaction(() => {
        const id = write();
        this.copyRow(table, id);
        return id;
      })(),
    );
  }

  /** Appends the audit copy of one row as it is now (or that it is gone); call inside the write's transaction. */
  private copyRow(table: MirroredTable, key: number | string): void {
    const row = this.db.prepare(`SELECT * FROM ${table} WHERE ${MIRRORS[table].key} = ?`).get(key) as
      Record<string, unknown> | undefined;
    appendAudit(
      this.db,
      this.key,
      {
        category: 'mirror',
        event: table,
        txId: (row?.tx_id as string | null | undefined) ?? null,
        detail: row ? mirrorOf(table, row) : { [DELETED]: key },
      },
      this.now(),
    );
  }

  /**
   * For writers outside the core that share this database (the registry outbox): the audit copy of a
   * row they just wrote or deleted, in their own transaction. Refused while the journal has failed.
   */
  mirrorRow(table: 'registry_outbox', key: number): void {
    if (this.failure && !this.flushing) throw new JournalWriteFailed(this.failure);
    this.copyRow(table, key);
  }

  /**
   * Gives rows written before their table was audited (a journal of an earlier version) their first
   * copy, once: the record of it stays in the chain, so it never happens silently again.
   */
  adoptUnmirrored(): number {
    if (this.adopted()) return 0;
    const unaudited = this.verifyMirrors(true).filter(
      (p) => p.problem === 'unaudited' && LATER_MIRRORS.has(p.table as MirroredTable),
    );
    this.write(() =>
      this.db.transaction(() => {
        for (const p of unaudited) this.copyRow(p.table as MirroredTable, p.id);
        appendAudit(
          this.db,
          this.key,
          { ...ADOPTED, detail: { rows: unaudited.map((p) => `${p.table}:${p.id}`) } },
          this.now(),
        );
      })(),
    );
    return unaudited.length;
  }

  private adopted(): boolean {
    return !!this.db
      .prepare('SELECT 1 FROM audit_log WHERE category = ? AND event = ? LIMIT 1')
      .get(ADOPTED.category, ADOPTED.event);
  }

  /** Rows of the mirrored tables that differ from, or are missing against, their audit copy. */
  verifyMirrors(allTables = this.adopted()): MirrorProblem[] {
    const problems: MirrorProblem[] = [];
    // table -> key -> newest audit copy (null: deleted on purpose)
    const latest = new Map<string, Map<string, string | null>>();
    for (const r of this.db
      .prepare("SELECT event, detail FROM audit_log WHERE category = 'mirror' ORDER BY id")
      .iterate() as IterableIterator<{ event: string; detail: string }>) {
      const m = MIRRORS[r.event as MirroredTable] as MirrorRule | undefined;
      if (!m) continue;
      const row = JSON.parse(r.detail) as Record<string, unknown>;
      const deleted = DELETED in row;
      let copies = latest.get(r.event);
      if (!copies) latest.set(r.event, (copies = new Map()));
      copies.set(String(deleted ? row[DELETED] : row[m.key]), deleted ? null : r.detail);
    }
    const tables = new Set(
      (
        this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
      ).map((t) => t.name),
    );
    for (const table of MIRRORED_TABLES) {
      if (!allTables && LATER_MIRRORS.has(table)) continue;
      const m = MIRRORS[table];
      const copies = latest.get(table) ?? new Map<string, string | null>();
      const seen = new Set<string>();
      const rows = tables.has(table)
        ? (this.db.prepare(`SELECT * FROM ${table} ORDER BY ${m.key}`).iterate() as IterableIterator<
            Record<string, unknown>
          >)
        : [];
      for (const row of rows) {
        const id = row[m.key] as number | string;
        seen.add(String(id));
        const audited = copies.get(String(id));
        if (audited === undefined) {
          if (!m.volatile?.(row)) problems.push({ table, id, problem: 'unaudited' });
        } else if (audited === null) problems.push({ table, id, problem: 'unaudited' });
        else if (audited !== JSON.stringify(mirrorOf(table, row)))
          problems.push({ table, id, problem: 'edited' });
      }
      for (const [id, audited] of copies)
        if (audited !== null && !seen.has(id)) problems.push({ table, id, problem: 'deleted' });
    }
    return problems;
  }

  close(txId: string, status: Exclude<TxStatus, 'open'>, outcome: string): void {
    this.mirroredTx(txId, () => {
      this.db
        .prepare(
          "UPDATE transactions SET status = ?, outcome = ?, closed_at = ? WHERE id = ? AND status = 'open'",
        )
        .run(status, outcome, this.at(), txId);
    });
  }

  transaction(txId: string): TxRow | undefined {
    return this.db.prepare('SELECT * FROM transactions WHERE id = ?').get(txId) as TxRow | undefined;
  }
  openTransactions(): TxRow[] {
    return this.db
      .prepare("SELECT * FROM transactions WHERE status = 'open' ORDER BY started_at")
      .all() as TxRow[];
  }
  steps(txId: string): StepRow[] {
    return this.db.prepare('SELECT * FROM steps WHERE tx_id = ? ORDER BY id').all(txId) as StepRow[];
  }
  /** Phase of the latest row of a step, or null when never journaled. */
  stepPhase(txId: string, step: string): StepPhase | null {
    const r = this.db
      .prepare('SELECT phase FROM steps WHERE tx_id = ? AND step = ? ORDER BY id DESC LIMIT 1')
      .get(txId, step) as { phase: StepPhase } | undefined;
    return r?.phase ?? null;
  }
  idempotencyKey(txId: string): string {
    return (
      this.db.prepare('SELECT idempotency_key FROM transactions WHERE id = ?').get(txId) as {
        idempotency_key: string;
      }
    ).idempotency_key;
  }

  /* ── cash (implements the payment layer's CashJournal) ── */

  intent(m: CashIntent): number {
    let id: number;
    try {
      id = this.mirrored('cash_movements', () =>
        Number(
          this.db
            .prepare(
              "INSERT INTO cash_movements (tx_id, kind, device, yen, count, phase, at) VALUES (?, ?, ?, ?, ?, 'intent', ?)",
            )
            .run(m.transactionId, m.kind, m.device, m.yen, m.count, this.at()).lastInsertRowid,
        ),
      );
    } catch (e) {
      // Money already in the machine (or handed back by the validator) is a fact: kept in memory.
      if (!(e instanceof JournalWriteFailed) || !HOLDABLE_INTENTS.has(m.kind)) throw e;
      return this.hold({
        txId: m.transactionId,
        kind: m.kind,
        device: m.device,
        yen: m.yen,
        count: m.count,
        phase: 'intent',
        intentId: null,
        detail: null,
      });
    }
    this.crashPoint?.(`cash.${m.kind}`, 'intent');
    return id;
  }

  outcome(id: number, r: CashOutcome): void {
    const i =
      id < 0
        ? this.held.find((h) => h.ref === id)
        : (this.db.prepare('SELECT * FROM cash_movements WHERE id = ?').get(id) as CashRow | undefined);
    if (!i || i.phase !== 'intent') throw new Error(`cash journal: no intent ${id}`);
    const txId = 'tx_id' in i ? i.tx_id : i.txId;
    const phase: StepPhase = r.ok ? 'done' : 'failed';
    if (id < 0 || this.failure) {
      // An outcome is what happened: never refused, held until the journal takes it.
      this.hold({
        txId,
        kind: i.kind,
        device: i.device,
        yen: i.yen,
        count: r.count,
        phase,
        intentId: id,
        detail: r.detail ?? null,
      });
      return;
    }
    try {
      this.mirrored('cash_movements', () =>
        Number(
          this.db
            .prepare(
              'INSERT INTO cash_movements (tx_id, kind, device, yen, count, phase, intent_id, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            )
            .run(txId, i.kind, i.device, i.yen, r.count, phase, id, r.detail ?? null, this.at())
            .lastInsertRowid,
        ),
      );
    } catch (e) {
      if (!(e instanceof JournalWriteFailed)) throw e;
      this.hold({
        txId,
        kind: i.kind,
        device: i.device,
        yen: i.yen,
        count: r.count,
        phase,
        intentId: id,
        detail: r.detail ?? null,
      });
      return;
    }
    this.crashPoint?.(`cash.${i.kind}`, phase);
  }

  cashRows(txId?: string): CashRow[] {
    return txId === undefined
      ? (this.db.prepare('SELECT * FROM cash_movements ORDER BY id').all() as CashRow[])
      : (this.db.prepare('SELECT * FROM cash_movements WHERE tx_id = ? ORDER BY id').all(txId) as CashRow[]);
  }

  /** Cash intents with no outcome: their result is unknown (a crash mid-movement). */
  openCashIntents(txId: string): CashRow[] {
    return this.db
      .prepare(
        "SELECT * FROM cash_movements c WHERE tx_id = ? AND phase = 'intent' AND NOT EXISTS (SELECT 1 FROM cash_movements o WHERE o.intent_id = c.id) ORDER BY id",
      )
      .all(txId) as CashRow[];
  }

  /** Money of one transaction (or of all) by outcome: received (coins + stacked bills), escrowed, paid out. */
  cashBalance(txId?: string): { receivedYen: number; escrowYen: number; paidOutYen: number; netYen: number } {
    let receivedYen = 0;
    let escrowYen = 0;
    let paidOutYen = 0;
    for (const r of this.cashRows(txId)) {
      if (r.phase !== 'done') continue;
      const yen = r.yen * r.count;
      if (r.kind === 'accept' && r.device === 'bill') escrowYen += yen;
      else if (r.kind === 'accept') receivedYen += yen;
      else if (r.kind === 'stack') {
        escrowYen -= yen;
        receivedYen += yen;
      } else if (r.kind === 'return') escrowYen -= yen;
      else if (r.kind === 'refund' || r.kind === 'change' || r.kind === 'payout' || r.kind === 'collect')
        paidOutYen += yen;
      else if (r.kind === 'refill') receivedYen += yen;
    }
    return { receivedYen, escrowYen, paidOutYen, netYen: receivedYen - paidOutYen };
  }

  /* ── printing ── */

  printIntent(j: {
    txId: string | null;
    kind: PrintRow['kind'];
    issuanceId?: string;
    copyIndex?: number;
  }): number {
    return this.mirrored('print_jobs', () =>
      Number(
        this.db
          .prepare(
            "INSERT INTO print_jobs (tx_id, kind, issuance_id, copy_index, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)",
          )
          .run(j.txId, j.kind, j.issuanceId ?? null, j.copyIndex ?? null, this.at()).lastInsertRowid,
      ),
    );
  }
  printOutcome(id: number, ok: boolean, r: { printerJob?: string; detail?: unknown } = {}): void {
    this.mirrored('print_jobs', () => {
      this.db
        .prepare(
          'UPDATE print_jobs SET status = ?, printer_job = ?, detail = ?, finished_at = ? WHERE id = ?',
        )
        .run(ok ? 'done' : 'failed', r.printerJob ?? null, json(r.detail), this.at(), id);
      return id;
    });
  }
  printJobs(txId: string): PrintRow[] {
    return this.db.prepare('SELECT * FROM print_jobs WHERE tx_id = ? ORDER BY id').all(txId) as PrintRow[];
  }

  /* ── technicians and kiosk state ── */

  technicianAction(a: { technician: string; role: string; action: string; detail?: unknown }): void {
    this.mirrored('technician_actions', () =>
      Number(
        this.db
          .prepare(
            'INSERT INTO technician_actions (technician, role, action, detail, at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(a.technician, a.role, a.action, json(a.detail), this.at()).lastInsertRowid,
      ),
    );
  }

  /** Kiosk state that outlives a restart (out of service, lockouts, fallbacks); audited like every table. */
  setState(key: string, value: unknown): void {
    const text = JSON.stringify(value);
    const current = this.db.prepare('SELECT value FROM kiosk_state WHERE key = ?').get(key) as
      { value: string } | undefined;
    if (current?.value === text) return;
    this.write(() =>
      this.db.transaction(() => {
        this.db
          .prepare(
            'INSERT INTO kiosk_state (key, value, at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, at = excluded.at',
          )
          .run(key, text, this.at());
        this.copyRow('kiosk_state', key);
      })(),
    );
  }
  getState<T>(key: string): T | undefined {
    const r = this.db.prepare('SELECT value FROM kiosk_state WHERE key = ?').get(key) as
      { value: string } | undefined;
    return r ? (JSON.parse(r.value) as T) : undefined;
  }
}
