// Counts a technician relies on, derived from the journal alone so they are the same before and
// after a restart or a power cut: each hopper's coins (configured load or the last hand count,
// plus refills, minus every coin paid out since), collections, and paper used since the last refill.
import type { Journal } from '../core/journal/journal.js';
import type { CoinCount, CollectionView, PaperCounter } from '../contract/technician.js';

interface MovementRow {
  id: number;
  kind: string;
  count: number;
}

/**
 * Coins in the hopper of `yen`: the last hand count (or the configured load when there is none),
 * plus refills, minus pieces every payout, change or refund moved (a failed dispense counts what
 * it did pay).
 */
export function hopperLevelFromJournal(journal: Journal, yen: number, configuredCoins: number): number {
  const device = `hopper.${yen}`;
  const base = journal.db
    .prepare(
      "SELECT id, count FROM cash_movements WHERE device = ? AND kind = 'count' AND phase = 'done' ORDER BY id DESC LIMIT 1",
    )
    .get(device) as { id: number; count: number } | undefined;
  let level = base?.count ?? configuredCoins;
  const rows = journal.db
    .prepare(
      "SELECT id, kind, count FROM cash_movements WHERE device = ? AND id > ? AND phase IN ('done', 'failed') AND intent_id IS NOT NULL ORDER BY id",
    )
    .all(device, base?.id ?? 0) as MovementRow[];
  for (const r of rows) {
    if (r.kind === 'refill') level += r.count;
    else if (r.kind === 'payout' || r.kind === 'change' || r.kind === 'refund') level -= r.count;
  }
  return Math.max(0, level);
}

export function hopperLevelsFromJournal(
  journal: Journal,
  hoppers: ReadonlyArray<{ yen: number; coins: number }>,
): CoinCount[] {
  return hoppers.map((h) => ({ yen: h.yen, count: hopperLevelFromJournal(journal, h.yen, h.coins) }));
}

/** A movement by a technician, intent and outcome together. */
export function journalTechnicianMovement(
  journal: Journal,
  m: { ref: string; kind: 'refill' | 'count' | 'collect'; device: string; yen: number; count: number },
): void {
  const id = journal.intent({
    transactionId: m.ref,
    kind: m.kind as never,
    device: m.device,
    yen: m.yen,
    count: m.count,
  });
  journal.outcome(id, { ok: true, count: m.count });
}

/** Collections, newest first, with whether their slip ever printed (a reprint counts). */
export function collections(journal: Journal, limit = 20): CollectionView[] {
  const rows = journal.db
    .prepare(
      "SELECT action, detail, at FROM technician_actions WHERE action IN ('cashCollect', 'collectionSlip') ORDER BY id",
    )
    .all() as Array<{ action: string; detail: string | null; at: string }>;
  const byRef = new Map<string, CollectionView>();
  for (const r of rows) {
    const d = r.detail
      ? (JSON.parse(r.detail) as {
          ref?: string;
          totalYen?: number;
          counts?: CoinCount[];
          slipPrinted?: boolean;
        })
      : {};
    if (!d.ref) continue;
    if (r.action === 'cashCollect')
      byRef.set(d.ref, {
        ref: d.ref,
        at: r.at,
        totalYen: d.totalYen ?? 0,
        counts: d.counts ?? [],
        slipPrinted: d.slipPrinted === true,
      });
    else {
      const c = byRef.get(d.ref);
      if (c && d.slipPrinted) c.slipPrinted = true;
    }
  }
  return [...byRef.values()].reverse().slice(0, limit);
}

const PRINTER_KINDS = { certificate: ['certificate'], receipt: ['receipt', 'iou', 'slip'] } as const;

/** Jobs and sheets since the last paper refill: a certificate job is as many sheets as it had pages. */
export function paperCounters(journal: Journal): PaperCounter[] {
  return (['certificate', 'receipt'] as const).map((printer) => {
    const refilledAt = journal.getState<string>(`paper.${printer}.refilledAt`) ?? null;
    const kinds = PRINTER_KINDS[printer];
    const rows = journal.db
      .prepare(
        `SELECT detail FROM print_jobs WHERE status = 'done' AND created_at >= ? AND (kind IN (${kinds.map(() => '?').join(',')}) OR (kind = 'test' AND printer_job LIKE ?))`,
      )
      .all(refilledAt ?? '', ...kinds, `test-${printer}%`) as Array<{ detail: string | null }>;
    const pages = (d: string | null) => {
      const n = d ? (JSON.parse(d) as { pages?: unknown }).pages : undefined;
      return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 1;
    };
    return { printer, refilledAt, jobs: rows.length, sheets: rows.reduce((s, r) => s + pages(r.detail), 0) };
  });
}
