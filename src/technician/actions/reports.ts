// Read-only views for both roles (journal by day, CSV, 日計表) and the engineer's log export.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TechnicianResultOf } from '../../contract/technician.js';
import { dataPaths } from '../../config/load.js';
import {
  dailyReportCsv,
  journalCsv,
  journalRows,
  localDailyReport,
  sanitizeLogLine,
  tokyoDay,
  type DailyReport,
} from '../reports.js';
import { BOTH, ENGINEER, type ActionContext, type ActionTable } from '../context.js';

/** The printed 日計表: certificates by name, takings, cash, cancelled and failed transactions, the registry's check. */
export function dailyReportSlip(report: DailyReport): Array<{ label: string; amount?: number }> {
  const reg = report.registry;
  return [
    { label: `対象日 ${report.date}` },
    ...report.byCertificate.map((b) => ({
      label: `${b.name} ${b.issuances}件 ${b.copies}通`,
      amount: b.feeYen,
    })),
    { label: `交付 計 ${report.issuances}件`, amount: report.feeYen },
    { label: `取消 ${report.cancelled}件` },
    { label: `失敗 ${report.failed}件` },
    { label: '現金 受入', amount: report.cash.inYen },
    { label: '釣銭 払出', amount: report.cash.changeYen },
    { label: '返金', amount: report.cash.refundYen },
    { label: '回収', amount: report.cash.collectedYen },
    { label: '補充', amount: report.cash.refilledYen },
    { label: 'matches' in reg ? `基幹照合 ${reg.matches ? '一致' : '不一致'}` : '基幹照合 不可' },
  ];
}

async function dailyReport(
  ctx: ActionContext,
  date: string,
  print: boolean,
): Promise<TechnicianResultOf<'dailyReport'>> {
  const { journal, devices } = ctx.deps;
  const local = localDailyReport(journal, date);
  let registry: DailyReport['registry'];
  try {
    const r = await devices.registry.reconciliation(date);
    registry = {
      finalized: r.finalized,
      finalizedFeeYen: r.finalizedFeeYen,
      matches: r.finalized === local.issuances && r.finalizedFeeYen === local.feeYen,
    };
  } catch (e) {
    registry = { unavailable: (e as { kind?: string }).kind ?? 'error' };
  }
  const report: DailyReport = { ...local, registry };
  const printed = print ? await ctx.printSlip('日計表', `DAY-${date}`, dailyReportSlip(report)) : false;
  // The row prune relies on: whether the day reconciled, and the last transaction it covered.
  const last = journal.db
    .prepare('SELECT MAX(started_at) AS m FROM transactions WHERE started_at < ?')
    .get(nextDayStart(date)) as { m: string | null };
  ctx.record('dailyReport', {
    date,
    printed,
    issuances: report.issuances,
    feeYen: report.feeYen,
    matches: 'matches' in registry ? registry.matches : null,
    lastTransactionAt: last.m,
  });
  return { ok: true, report, csv: dailyReportCsv(report), printed };
}

const nextDayStart = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00+09:00`) + 86_400_000).toISOString();

function logExport(ctx: ActionContext): TechnicianResultOf<'logExport'> {
  const { config } = ctx.deps;
  const dir = dataPaths(config).logDir;
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.startsWith('madoguchi') && f.includes('.log'))
        .sort()
    : [];
  const lines: string[] = [];
  for (const f of files)
    for (const l of readFileSync(join(dir, f), 'utf8').split('\n')) {
      const s = l.trim() && sanitizeLogLine(l);
      if (s) lines.push(s);
    }
  ctx.record('logExport', { files: files.length, lines: lines.length });
  return {
    ok: true,
    fileName: `madoguchi-${config.kiosk.id}-${tokyoDay(ctx.now())}.ndjson`,
    lines: lines.length,
    text: lines.join('\n') + (lines.length ? '\n' : ''),
  };
}

export const reportActions: ActionTable = {
  journal: {
    action: 'journal',
    roles: BOTH,
    handler(ctx, req) {
      ctx.record('journal', { date: req.filter.date, kind: req.filter.kind });
      return { ok: true, rows: journalRows(ctx.deps.journal, req.filter) };
    },
  },
  journalCsv: {
    action: 'journalCsv',
    roles: BOTH,
    handler(ctx, req) {
      const rows = journalRows(ctx.deps.journal, req.filter);
      ctx.record('journalCsv', { date: req.filter.date, kind: req.filter.kind, rows: rows.length });
      return {
        ok: true,
        fileName: `journal-${ctx.deps.config.kiosk.id}-${req.filter.date}.csv`,
        csv: journalCsv(rows),
      };
    },
  },
  dailyReport: {
    action: 'dailyReport',
    roles: BOTH,
    handler: (ctx, req) => dailyReport(ctx, req.date, req.print),
  },
  logExport: { action: 'logExport', roles: ENGINEER, handler: logExport },
};
