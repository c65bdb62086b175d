// The engineer's log export, without personal data.
import { useState } from 'react';
import type { TechnicianAnswer } from '../../../../src/contract/index.js';
import { download } from '../api.js';
import { ErrorLine, type PanelProps } from '../common.js';

export function LogsPanel({ t, run }: PanelProps) {
  const [d, setD] = useState<TechnicianAnswer<'logExport'> | null>(null);
  return (
    <>
      <button
        type="button"
        onClick={async () => {
          const r = await run({ action: 'logExport' });
          setD(r);
          if (r.ok) download(r.fileName, r.text, 'application/x-ndjson');
        }}
      >
        {t('logs.export')}
      </button>
      <ErrorLine t={t} r={d} />
      {d?.ok && (
        <p role="status" className="tech-done">
          {t('logs.exported', { n: d.lines })}
        </p>
      )}
    </>
  );
}
