// Operator actions on cash and paper: counts, collection (with its slip, reprintable), hopper
// refills and hand counts, paper counters and refills. Every movement is journaled first; the
// hopper levels the change planner uses are then set from the journal, never kept only in memory.
import type { TechnicianAnswer, TechnicianResultOf } from '../../contract/technician.js';
import { cashBoxCounts } from '../reports.js';
import {
  collections,
  hopperLevelsFromJournal,
  journalTechnicianMovement,
  paperCounters,
} from '../cash-counts.js';
import { OPERATOR, fail, type ActionContext, type ActionTable } from '../context.js';
import type { CollectionView } from '../../contract/technician.js';

/** Puts the journal's hopper counts into the cash device (start-up, and after every technician movement). */
export function syncHopperLevels(ctx: Pick<ActionContext, 'deps'>): void {
  const { journal, devices, config } = ctx.deps;
  for (const l of hopperLevelsFromJournal(journal, config.cash.hoppers)) {
    if (devices.cash.levels().some((x) => x.yen === l.yen)) devices.cash.setHopperLevel(l.yen, l.count);
  }
}

const slipLines = (c: CollectionView) => [
  ...c.counts.map((x) => ({ label: `${x.yen}円 × ${x.count}`, amount: x.yen * x.count })),
  { label: '合計', amount: c.totalYen },
];

async function collect(ctx: ActionContext): Promise<TechnicianResultOf<'cashCollect'>> {
  const { journal } = ctx.deps;
  const box = cashBoxCounts(journal);
  const ref = `COL-${ctx.now().getTime()}`;
  for (const c of box.counts)
    journalTechnicianMovement(journal, {
      ref: `tech-collect-${ref}`,
      kind: 'collect',
      device: 'cashBox',
      yen: c.yen,
      count: c.count,
    });
  const lastId =
    (journal.db.prepare('SELECT MAX(id) AS m FROM cash_movements').get() as { m: number | null }).m ?? 0;
  journal.setState('cash.lastCollectionId', lastId);
  const collection: CollectionView = {
    ref,
    at: ctx.now().toISOString(),
    totalYen: box.totalYen,
    counts: box.counts,
    slipPrinted: false,
  };
  collection.slipPrinted = await ctx.printSlip('回収票', ref, slipLines(collection));
  ctx.record('cashCollect', {
    ref,
    totalYen: box.totalYen,
    counts: box.counts,
    slipPrinted: collection.slipPrinted,
  });
  ctx.clearSticky('cashCollect');
  return { ok: true, collection };
}

async function reprintSlip(ctx: ActionContext, ref: string): Promise<TechnicianAnswer<'collectionSlip'>> {
  const c = collections(ctx.deps.journal, 1000).find((x) => x.ref === ref);
  if (!c) return fail('noCollection');
  const printed = await ctx.printSlip('回収票', ref, slipLines(c), ['再発行']);
  ctx.record('collectionSlip', { ref, slipPrinted: printed });
  return { ok: true, collection: { ...c, slipPrinted: c.slipPrinted || printed } };
}

function hopperMovement(
  ctx: ActionContext,
  kind: 'refill' | 'count',
  yen: number,
  count: number,
): TechnicianAnswer<'hopperRefill'> {
  const { devices, journal } = ctx.deps;
  const level = devices.cash.levels().find((l) => l.yen === yen);
  if (!level) return fail('noHopper');
  journalTechnicianMovement(journal, {
    ref: `tech-${kind}-${ctx.now().getTime()}`,
    kind,
    device: `hopper.${yen}`,
    yen,
    count,
  });
  syncHopperLevels(ctx);
  const after = devices.cash.levels().find((l) => l.yen === yen)?.count ?? count;
  ctx.record(kind === 'refill' ? 'hopperRefill' : 'hopperCount', { yen, count, level: after });
  ctx.clearSticky(kind === 'refill' ? 'hopperRefill' : 'hopperCount');
  return { ok: true, levels: devices.cash.levels() };
}

export const cashActions: ActionTable = {
  cashCounts: {
    action: 'cashCounts',
    roles: OPERATOR,
    handler(ctx) {
      ctx.record('cashCounts');
      const { journal, devices } = ctx.deps;
      return {
        ok: true,
        cashBox: cashBoxCounts(journal),
        hoppers: devices.cash.levels(),
        devices: devices.cash.status(),
        collections: collections(journal),
      };
    },
  },
  cashCollect: { action: 'cashCollect', roles: OPERATOR, handler: collect },
  collectionSlip: {
    action: 'collectionSlip',
    roles: OPERATOR,
    handler: (ctx, req) => reprintSlip(ctx, req.ref),
  },
  hopperRefill: {
    action: 'hopperRefill',
    roles: OPERATOR,
    handler: (ctx, req) => hopperMovement(ctx, 'refill', req.yen, req.count),
  },
  hopperCount: {
    action: 'hopperCount',
    roles: OPERATOR,
    handler: (ctx, req) => hopperMovement(ctx, 'count', req.yen, req.count),
  },
  paperCounters: {
    action: 'paperCounters',
    roles: OPERATOR,
    handler(ctx) {
      ctx.record('paperCounters');
      const { journal, devices } = ctx.deps;
      return {
        ok: true,
        counters: paperCounters(journal),
        printers: [devices.printers.certificate.status(), devices.printers.receipt.status()],
      };
    },
  },
  paperRefill: {
    action: 'paperRefill',
    roles: OPERATOR,
    handler(ctx, req) {
      ctx.deps.journal.setState(`paper.${req.printer}.refilledAt`, ctx.now().toISOString());
      ctx.record('paperRefill', { printer: req.printer });
      return { ok: true, counters: paperCounters(ctx.deps.journal) };
    },
  },
};
