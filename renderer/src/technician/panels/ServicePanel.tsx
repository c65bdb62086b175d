// The out-of-service switch with the message residents see.
import { useState } from 'react';
import type { TechnicianAnswer } from '../../../../src/contract/index.js';
import { ErrorLine, useLoad, type PanelProps } from '../common.js';
import { KeyboardField } from '../OnScreenKeyboard.js';

export function ServicePanel({ t, run }: PanelProps) {
  const [d, reload] = useLoad(run, { action: 'status' });
  const [message, setMessage] = useState('');
  const [r, setR] = useState<TechnicianAnswer<'outOfService'> | TechnicianAnswer<'inService'> | null>(null);
  const current = d?.ok ? d.outOfService : null;
  return (
    <>
      {d?.ok && (
        <p className="tech-service-state">
          {t('service.now', {
            state: current ? t('service.outOfService', { message: current.message }) : t('service.inService'),
          })}
        </p>
      )}
      <KeyboardField
        label={t('service.message')}
        name="message"
        maxLength={200}
        value={message}
        onChange={setMessage}
      />
      <div className="tech-row">
        <button
          type="button"
          disabled={!message.trim()}
          onClick={async () => {
            setR(await run({ action: 'outOfService', on: true, message: message.trim() }));
            await reload();
          }}
        >
          {t('service.stop')}
        </button>
        <button
          type="button"
          onClick={async () => {
            setR(await run({ action: 'inService' }));
            await reload();
          }}
        >
          {t('service.resume')}
        </button>
      </div>
      <ErrorLine t={t} r={r ?? (d && !d.ok ? d : null)} />
    </>
  );
}
