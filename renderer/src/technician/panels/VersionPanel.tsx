// Software, kiosk and runtime versions.
import { ErrorLine, useLoad, type PanelProps } from '../common.js';

export function VersionPanel({ t, run }: PanelProps) {
  const [d] = useLoad(run, { action: 'version' });
  if (!d) return null;
  if (!d.ok) return <ErrorLine t={t} r={d} />;
  return (
    <dl className="tech-version">
      <dt>{t('version.software')}</dt>
      <dd>{`Madoguchi ${d.version}`}</dd>
      <dt>{t('version.kiosk')}</dt>
      <dd>{d.kioskId}</dd>
      <dt>{t('version.node')}</dt>
      <dd>{d.node}</dd>
    </dl>
  );
}
