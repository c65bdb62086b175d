// Device states, media, last errors and why the kiosk is out of service.
import { ErrorLine, Table, useLoad, type PanelProps } from '../common.js';

export function StatusPanel({ t, run }: PanelProps) {
  const [d, reload] = useLoad(run, { action: 'status' });
  if (!d) return null;
  if (!d.ok) return <ErrorLine t={t} r={d} />;
  return (
    <>
      <button type="button" onClick={() => void reload()}>
        {t('refresh')}
      </button>
      <Table
        label={t('tabs.status')}
        head={[t('status.device'), t('status.state'), t('status.media'), t('status.lastError')]}
        rows={d.devices.map((x) => [
          x.id,
          <span data-state={x.state}>{x.state}</span>,
          Object.entries(x.media)
            .map(([k, v]) => `${k}: ${v}`)
            .join(', '),
          x.lastError ? `${x.lastError.kind} ${x.lastError.at}` : '—',
        ])}
      />
      <p>
        {t('status.reasons')}:{' '}
        <span className="tech-reasons">{d.reasons.join(', ') || t('status.none')}</span>
      </p>
    </>
  );
}
