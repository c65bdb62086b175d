// Read-only views of the journal for the console: the journal by (Tokyo) day with filters, its
// CSV export, cash-box counts since the last collection, paper counters since the last refill, and
// the daily reconciliation report (日計表). Nothing here reads a resident hash or any personal field.
import type { Journal } from '../core/journal/journal.js';
import type { DailyReportView, JournalFilter, JournalRowView } from '../contract/technician.js';
import { CERTIFICATE_TITLES } from '../registry/document.js';
import { withoutPersonal } from '../privacy/policy.js';

/** [start, end) of a day in Asia/Tokyo as ISO strings (the journal stores UTC ISO timestamps). */
export function tokyoDayRange(day: string): [string, string] {
  const start = Date.parse(`${day}T00:00:00+09:00`);
  return [new Date(start).toISOString(), new Date(start + 86_400_000).toISOString()];
}
export const tokyoDay = (d: Date) => new Date(d.getTime() + 9 * 3600_000).toISOString().slice(0, 10);

export type JournalRow = JournalRowView;

export function journalRows(journal: Journal, filter: JournalFilter): JournalRow[] {
  const [from, to] = tokyoDayRange(filter.date);
  const db = journal.db;
  const rows: JournalRow[] = [];
  const want = (k: JournalRow['kind']) => filter.kind === 'all' || filter.kind === k;
  if (want('transaction'))
    for (const t of db
      .prepare(
        'SELECT id, started_at, status, municipality_code, certificate_type, copies, fee_yen, outcome FROM transactions WHERE started_at >= ? AND started_at < ? ORDER BY started_at',
      )
      .all(from, to) as Array<Record<string, string | number | null>>)
      rows.push({
        at: String(t.started_at),
        kind: 'transaction',
        ref: String(t.id),
        event: String(t.status),
        detail: [
          t.municipality_code,
          t.certificate_type,
          t.copies === null ? null : `×${t.copies}`,
          t.fee_yen === null ? null : `${t.fee_yen}円`,
          t.outcome,
        ]
          .filter((x) => x !== null && x !== '')
          .join(' '),
      });
  if (want('cash'))
    for (const c of db
      .prepare(
        'SELECT tx_id, kind, device, yen, count, phase, at FROM cash_movements WHERE at >= ? AND at < ? ORDER BY id',
      )
      .all(from, to) as Array<Record<string, string | number | null>>)
      rows.push({
        at: String(c.at),
        kind: 'cash',
        ref: String(c.tx_id ?? ''),
        event: `${c.kind}/${c.phase}`,
        detail: `${c.device} ${c.yen}円×${c.count}`,
      });
  if (want('print'))
    for (const p of db
      .prepare(
        'SELECT tx_id, kind, status, printer_job, created_at FROM print_jobs WHERE created_at >= ? AND created_at < ? ORDER BY id',
      )
      .all(from, to) as Array<Record<string, string | null>>)
      rows.push({
        at: String(p.created_at),
        kind: 'print',
        ref: String(p.tx_id ?? ''),
        event: `${p.kind}/${p.status}`,
        detail: String(p.printer_job ?? ''),
      });
  if (want('technician'))
    for (const a of db
      .prepare(
        'SELECT technician, role, action, detail, at FROM technician_actions WHERE at >= ? AND at < ? ORDER BY id',
      )
      .all(from, to) as Array<Record<string, string | null>>)
      rows.push({
        at: String(a.at),
        kind: 'technician',
        ref: String(a.technician),
        event: String(a.action),
        detail: `${a.role}${a.detail ? ' ' + a.detail : ''}`,
      });
  const text = filter.text.toLowerCase();
  return rows
    .filter((r) => !text || `${r.event} ${r.ref} ${r.detail}`.toLowerCase().includes(text))
    .sort((a, b) => a.at.localeCompare(b.at));
}

/** RFC 4180 CSV; a cell starting like a formula is quoted with a leading apostrophe (CSV injection). */
export function toCsv(header: string[], rows: Array<Array<string | number>>): string {
  const cell = (v: string | number) => {
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export const journalCsv = (rows: JournalRow[]) =>
  toCsv(
    ['at', 'kind', 'ref', 'event', 'detail'],
    rows.map((r) => [r.at, r.kind, r.ref, r.event, r.detail]),
  );

/** The cash box since the last collection: coins and bills taken in, coins a hopper test paid into it. */
export function cashBoxCounts(journal: Journal): {
  counts: Array<{ yen: number; count: number }>;
  totalYen: number;
  sinceId: number;
} {
  const sinceId = journal.getState<number>('cash.lastCollectionId') ?? 0;
  const by = new Map<number, number>();
  for (const r of journal.db
    .prepare("SELECT kind, device, yen, count, tx_id FROM cash_movements WHERE id > ? AND phase = 'done'")
    .all(sinceId) as Array<{
    kind: string;
    device: string;
    yen: number;
    count: number;
    tx_id: string | null;
  }>) {
    const into =
      (r.kind === 'accept' && r.device === 'coin') ||
      r.kind === 'stack' ||
      (r.kind === 'payout' && (r.tx_id ?? '').startsWith('tech-hopper'));
    if (into) by.set(r.yen, (by.get(r.yen) ?? 0) + r.count);
  }
  const counts = [...by.entries()].sort((a, b) => a[0] - b[0]).map(([yen, count]) => ({ yen, count }));
  return { counts, totalYen: counts.reduce((s, c) => s + c.yen * c.count, 0), sinceId };
}

export { paperCounters } from './cash-counts.js';

export type DailyReport = DailyReportView;

/** The Japanese title of a certificate type (the code itself for one the kiosk does not know). */
export const certificateName = (c: string): string =>
  c in CERTIFICATE_TITLES ? CERTIFICATE_TITLES[c as keyof typeof CERTIFICATE_TITLES] : c;

export function localDailyReport(journal: Journal, date: string): Omit<DailyReport, 'registry'> {
  const [from, to] = tokyoDayRange(date);
  const txs = journal.db
    .prepare(
      'SELECT status, certificate_type, copies, fee_yen FROM transactions WHERE started_at >= ? AND started_at < ?',
    )
    .all(from, to) as Array<{
    status: string;
    certificate_type: string | null;
    copies: number | null;
    fee_yen: number | null;
  }>;
  const by = new Map<string, DailyReport['byCertificate'][number]>();
  for (const t of txs.filter((x) => x.status === 'completed')) {
    const c = t.certificate_type ?? '?';
    const b = by.get(c) ?? { certificate: c, name: certificateName(c), issuances: 0, copies: 0, feeYen: 0 };
    b.issuances += 1;
    b.copies += t.copies ?? 0;
    b.feeYen += t.fee_yen ?? 0;
    by.set(c, b);
  }
  const cash = { inYen: 0, changeYen: 0, refundYen: 0, collectedYen: 0, refilledYen: 0 };
  for (const r of journal.db
    .prepare(
      "SELECT kind, device, yen, count, tx_id FROM cash_movements WHERE at >= ? AND at < ? AND phase = 'done'",
    )
    .all(from, to) as Array<{
    kind: string;
    device: string;
    yen: number;
    count: number;
    tx_id: string | null;
  }>) {
    const yen = r.yen * r.count;
    if ((r.tx_id ?? '').startsWith('tech-') && r.kind !== 'collect' && r.kind !== 'refill') continue; // tests, not takings
    if ((r.kind === 'accept' && r.device === 'coin') || r.kind === 'stack') cash.inYen += yen;
    else if (r.kind === 'change') cash.changeYen += yen;
    else if (r.kind === 'refund') cash.refundYen += yen;
    else if (r.kind === 'collect') cash.collectedYen += yen;
    else if (r.kind === 'refill') cash.refilledYen += yen;
  }
  const byCertificate = [...by.values()].sort((a, b) => a.certificate.localeCompare(b.certificate));
  return {
    date,
    kioskId: journal.kioskId,
    byCertificate,
    issuances: byCertificate.reduce((s, b) => s + b.issuances, 0),
    feeYen: byCertificate.reduce((s, b) => s + b.feeYen, 0),
    cash,
    cancelled: txs.filter((t) => t.status === 'cancelled').length,
    failed: txs.filter((t) => t.status === 'failed' || t.status === 'recovered').length,
  };
}

export function dailyReportCsv(r: DailyReport): string {
  const rows: Array<Array<string | number>> = r.byCertificate.map((b) => [
    'certificate',
    b.certificate,
    b.issuances,
    b.copies,
    b.feeYen,
  ]);
  rows.push(['total', '', r.issuances, '', r.feeYen]);
  for (const [k, v] of Object.entries(r.cash)) rows.push(['cash', k, '', '', v]);
  rows.push(['transactions', 'cancelled', r.cancelled, '', ''], ['transactions', 'failed', r.failed, '', '']);
  if ('matches' in r.registry)
    rows.push(
      ['registry', 'finalized', r.registry.finalized, '', r.registry.finalizedFeeYen],
      ['registry', 'matches', r.registry.matches ? 'yes' : 'no', '', ''],
    );
  else rows.push(['registry', 'unavailable', '', '', '']);
  return toCsv(['section', 'item', 'count', 'copies', 'yen'], rows);
}

/** Exported log lines leave out what the privacy policy excludes from reports; digit runs that could be a My Number are masked. */
export function sanitizeLogLine(line: string): string | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  const mask = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(mask);
    if (x && typeof x === 'object')
      return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, mask(y)]));
    if (typeof x === 'string') return x.replace(/\d{12}/g, '[number]');
    return x;
  };
  return JSON.stringify(mask(withoutPersonal(v)));
}
