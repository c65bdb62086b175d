import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogOptionView, OptionValue } from '../../../src/contract/index.js';
import { T } from '../components/T.js';
import { warekiYear } from '../format.js';
import { CHOICE_LABEL, OPTION_LABEL } from '../keys.js';
import { type ScreenProps, Yen, Layout, Button, Cancel, certName, Busy } from './parts.js';

function defaultsOf(options: CatalogOptionView[], current: Record<string, OptionValue>): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const o of options) {
    if (current[o.id] !== undefined) out[o.id] = current[o.id]!;
    else if (o.default !== undefined) out[o.id] = o.default;
    else if (o.kind === 'boolean') out[o.id] = false;
    else if (o.choices?.[0] !== undefined) out[o.id] = o.choices[0];
  }
  return out;
}

function choiceLabel(t: (k: string, o?: Record<string, unknown>) => string, o: CatalogOptionView, c: string): string {
  if (o.kind === 'fiscalYear') return t('options.fiscalYearValue', { era: warekiYear(Number(c)), year: c });
  const key = CHOICE_LABEL[c];
  return key ? t(key) : c;
}

export function Options({ snapshot, send }: ScreenProps<'options'>) {
  const v = snapshot.view;
  const { t } = useTranslation();
  const cert = v.certificate;
  const [values, setValues] = useState(() => defaultsOf(cert?.options ?? [], v.options));
  const [copies, setCopies] = useState(() => Math.max(1, v.copies || 1));
  const editable = (cert?.options ?? []).filter((o) => o.kind !== 'members');
  const max = cert?.maxCopies ?? 1;
  const total = (cert?.feeYen ?? 0) * copies;
  const changeCopies = useCallback(
    (by: number) => {
      setCopies((c) => Math.min(max, Math.max(1, c + by)));
      send({ type: 'ACTIVITY', kind: 'copies' });
    },
    [max, send],
  );
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || document.querySelector('dialog[open]')) return;
      if (e.key === '+') changeCopies(1);
      else if (e.key === '-' && e.code === 'NumpadSubtract') changeCopies(-1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [changeCopies]);
  return (
    <Layout
      heading={<T k="options.heading" />}
      lead={<T k="options.body" values={{ certificate: certName(t, cert?.type, cert?.name) }} />}
      actions={
        <>
          <Cancel send={send} />
          <Button k="common.back" dataKey="back" onClick={() => send({ type: 'BACK' })} disabled={v.busy} />
          <Button k="common.next" primary disabled={v.busy} onClick={() => send({ type: 'SET_OPTIONS', options: values, copies })} />
        </>
      }
    >
      <form className="options-form" onSubmit={(e) => e.preventDefault()}>
        {editable.map((o) => (
          <fieldset key={o.id} className="option">
            <legend><T k={OPTION_LABEL[o.id] ?? 'options.other'} /></legend>
            <div className="segmented">
              {(o.kind === 'boolean' ? ['true', 'false'] : (o.choices ?? [])).map((c) => {
                const value = o.kind === 'boolean' ? c === 'true' : c;
                const id = `opt-${o.id}-${c}`;
                return (
                  <span key={c} className="segment">
                    <input type="radio" id={id} name={o.id} checked={values[o.id] === value} onChange={() => {
                        setValues((s) => ({ ...s, [o.id]: value }));
                        send({ type: 'ACTIVITY', kind: 'option' });
                      }} />
                    <label htmlFor={id}>{o.kind === 'boolean' ? <T k={c === 'true' ? 'options.yes' : 'options.no'} /> : choiceLabel(t, o, c)}</label>
                  </span>
                );
              })}
            </div>
          </fieldset>
        ))}
        <fieldset className="option">
          <legend><T k="options.copies" /></legend>
          <div className="stepper">
            <button type="button" className="secondary" onClick={() => changeCopies(-1)} disabled={copies <= 1} aria-label={t('options.fewer')}>−</button>
            <output aria-live="polite" className="stepper-value">
              <T k="options.copiesValue" values={{ count: copies }} />
            </output>
            <button type="button" className="secondary" onClick={() => changeCopies(1)} disabled={copies >= max} aria-label={t('options.more')}>+</button>
          </div>
        </fieldset>
        <p className="total">
          <T k="options.total" /> <strong><Yen amount={total} language={snapshot.language} /></strong>
        </p>
      </form>
      {v.busy && <Busy k="options.checking" />}
    </Layout>
  );
}
