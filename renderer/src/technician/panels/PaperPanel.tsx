// Paper used since the last refill (sheets and jobs), and the refill itself.
import { ErrorLine, Table, useLoad, type PanelProps } from '../common.js';

export function PaperPanel({ t, run }: PanelProps) {
  const [d, reload] = useLoad(run, { action: 'paperCounters' });
  if (!d) return null;
  if (!d.ok) return <ErrorLine t={t} r={d} />;
  return (
    <>
      <Table
        label={t('tabs.paper')}
        head={[t('paper.printer'), t('paper.sheets'), t('paper.jobs'), t('paper.refilledAt')]}
        rows={d.counters.map((c) => [
          t(`paper.${c.printer}`),
          <span data-paper={c.printer}>{c.sheets}</span>,
          c.jobs,
          c.refilledAt ?? '—',
        ])}
      />
      {d.counters.map((c) => (
        <button
          key={c.printer}
          type="button"
          onClick={async () => {
            await run({ action: 'paperRefill', printer: c.printer });
            await reload();
          }}
        >
          {t('paper.refill', { printer: t(`paper.${c.printer}`) })}
        </button>
      ))}
    </>
  );
}
