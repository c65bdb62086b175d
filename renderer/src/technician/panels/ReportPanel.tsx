// The daily reconciliation report (日計表): shown, printed or exported.
import { useState } from 'react';
import type { TechnicianAnswer } from '../../../../src/contract/index.js';
import { download, tokyoToday } from '../api.js';
import { ErrorLine, Table, yen, type PanelProps } from '../common.js';

export function ReportPanel({ t, run }: PanelProps) {
  const [date, setDate] = useState(tokyoToday());
  const [d, setD] = useState<TechnicianAnswer<'dailyReport'> | null>(null);
  const go = async (print: boolean) => setD(await run({ action: 'dailyReport', date, print }));
  const rep = d?.ok ? d.report : null;
  return (
    <>
      <div className="tech-row">
        <label>
          {t('journal.date')}
          <input name="reportDate" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <button type="button" onClick={() => void go(false)}>
          {t('report.show')}
        </button>
        <button type="button" onClick={() => void go(true)}>
          {t('report.print')}
        </button>
        {d?.ok && (
          <button type="button" onClick={() => download(`nikkei-${date}.csv`, d.csv, 'text/csv')}>
            {t('report.csv')}
          </button>
        )}
      </div>
      <ErrorLine t={t} r={d} />
      {d?.ok && d.printed && (
        <p role="status" className="tech-done">
          {t('report.printed')}
        </p>
      )}
      {rep && (
        <>
          <Table
            label={t('tabs.report')}
            head={[t('report.certificate'), t('report.issuances'), t('report.copies'), t('report.fee')]}
            rows={[
              ...rep.byCertificate.map((b) => [b.name, b.issuances, b.copies, yen(b.feeYen)]),
              [t('cash.total'), rep.issuances, '', yen(rep.feeYen)],
            ]}
          />
          <p className="tech-counts">
            {t('report.cancelled', { n: rep.cancelled })} {t('report.failed', { n: rep.failed })}
          </p>
          <Table
            label={t('tabs.cash')}
            head={[
              t('report.cashIn'),
              t('report.change'),
              t('report.refund'),
              t('report.collected'),
              t('report.refilled'),
            ]}
            rows={[
              [
                yen(rep.cash.inYen),
                yen(rep.cash.changeYen),
                yen(rep.cash.refundYen),
                yen(rep.cash.collectedYen),
                yen(rep.cash.refilledYen),
              ],
            ]}
          />
          <p>
            {t('report.registry')}:{' '}
            {'matches' in rep.registry
              ? rep.registry.matches
                ? t('report.matches')
                : t('report.differs')
              : t('report.unavailable')}
          </p>
        </>
      )}
    </>
  );
}
