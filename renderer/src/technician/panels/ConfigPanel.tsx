// The configuration file, secrets shown as a placeholder; saved only after validation and a dry run.
import { useState } from 'react';
import type { TechnicianAnswer } from '../../../../src/contract/index.js';
import { ErrorLine, useLoad, type PanelProps } from '../common.js';

export function ConfigPanel({ t, run }: PanelProps) {
  const [d] = useLoad(run, { action: 'configView' });
  const [text, setText] = useState<string | null>(null);
  const [saved, setSaved] = useState<TechnicianAnswer<'configEdit'> | null>(null);
  if (!d) return null;
  if (!d.ok) return <ErrorLine t={t} r={d} />;
  const value = text ?? d.text;
  return (
    <>
      <p>
        {t('config.file')}: <code>{d.file ?? '—'}</code>
      </p>
      <label className="tech-config">
        {t('tabs.config')}
        <textarea
          name="config"
          spellCheck={false}
          rows={18}
          value={value}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <button type="button" onClick={async () => setSaved(await run({ action: 'configEdit', yaml: value }))}>
        {t('config.edit')}
      </button>
      <ErrorLine t={t} r={saved} />
      {saved && !saved.ok && saved.problems && (
        <ul aria-label={t('config.problems')} className="tech-problems">
          {saved.problems.map((p) => (
            <li key={p.key}>{`${p.key}: ${p.message}`}</li>
          ))}
        </ul>
      )}
      {saved?.ok && (
        <p role="status" className="tech-done">
          {saved.restart === 'restarting'
            ? t('config.saved')
            : saved.restart === 'unchanged'
              ? t('config.unchanged')
              : t('config.requested')}
        </p>
      )}
    </>
  );
}
