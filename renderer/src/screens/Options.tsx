import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogOptionView, OptionValue } from '../../../src/contract/index.js';
import { T } from '../components/T.js';
import { warekiYear } from '../format.js';
import { CHOICE_LABEL, OPTION_HELP, OPTION_LABEL } from '../keys.js';
import { type ScreenProps, Yen, Layout, Button, Cancel, certName, Busy } from './parts.js';

// Only what the catalog presets (e.g. the fiscal year) or the resident already chose: privacy
// choices (whole household, householder, 本籍) start unanswered and must be chosen.
function initialValues(
  options: CatalogOptionView[],
  current: Record<string, OptionValue>,
): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const o of options) {
    if (current[o.id] !== undefined) out[o.id] = current[o.id]!;
    else if (o.default !== undefined) out[o.id] = o.default;
  }
  return out;
}

function choiceLabel(
  t: (k: string, o?: Record<string, unknown>) => string,
  o: CatalogOptionView,
  c: string,
): string {
  if (o.kind === 'fiscalYear') return t('options.fiscalYearValue', { era: warekiYear(Number(c)), year: c });
  const key = CHOICE_LABEL[c];
  return key ? t(key) : c;
}

export function Options({ snapshot, send }: ScreenProps<'options'>) {
  const v = snapshot.view;
  const { t } = useTranslation();
  const cert = v.certificate;
  const [values, setValues] = useState(() => initialValues(cert?.options ?? [], v.options));
  const [copies, setCopies] = useState(() => Math.max(1, v.copies || 1));
  const editable = (cert?.options ?? []).filter((o) => o.kind !== 'members');
  const max = cert?.maxCopies ?? 1;
  const total = (cert?.feeYen ?? 0) * copies;
  const unanswered = editable.filter((o) => values[o.id] === undefined).length;
  // Every choice on the page gets a keypad number, 1–9 in reading order.
  let number = 0;
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
          <Button
            k="common.next"
            primary
            disabled={v.busy || unanswered > 0}
            onClick={() => send({ type: 'SET_OPTIONS', options: values, copies })}
          />
        </>
      }
    >
      <form className="options-form" onSubmit={(e) => e.preventDefault()}>
        {editable.map((o) => (
          <fieldset
            key={o.id}
            className="option"
            aria-describedby={OPTION_HELP[o.id] ? `help-${o.id}` : undefined}
          >
            <legend>
              <T k={OPTION_LABEL[o.id] ?? 'options.other'} />
            </legend>
            {OPTION_HELP[o.id] && (
              <p className="option-help" id={`help-${o.id}`}>
                <T k={OPTION_HELP[o.id]!} />
              </p>
            )}
            <div className="segmented">
              {(o.kind === 'boolean' ? ['true', 'false'] : (o.choices ?? [])).map((c) => {
                const value = o.kind === 'boolean' ? c === 'true' : c;
                const id = `opt-${o.id}-${c}`;
                const n = ++number;
                return (
                  <span key={c} className="segment">
                    <input
                      type="radio"
                      id={id}
                      name={o.id}
                      data-key={n <= 9 ? String(n) : undefined}
                      checked={values[o.id] === value}
                      onChange={() => {
                        setValues((s) => ({ ...s, [o.id]: value }));
                        send({ type: 'ACTIVITY', kind: 'option' });
                      }}
                    />
                    <label htmlFor={id}>
                      {n <= 9 && (
                        <span className="choice-number" aria-hidden="true">
                          {n}
                        </span>
                      )}
                      {o.kind === 'boolean' ? (
                        <T k={c === 'true' ? 'options.yes' : 'options.no'} />
                      ) : (
                        choiceLabel(t, o, c)
                      )}
                    </label>
                  </span>
                );
              })}
            </div>
          </fieldset>
        ))}
        <fieldset className="option">
          <legend>
            <T k="options.copies" />
          </legend>
          <div className="stepper">
            <button
              type="button"
              className="secondary"
              onClick={() => changeCopies(-1)}
              disabled={copies <= 1}
              aria-label={t('options.fewer')}
            >
              −
            </button>
            <output aria-live="polite" className="stepper-value">
              <T k="options.copiesValue" values={{ count: copies }} />
            </output>
            <button
              type="button"
              className="secondary"
              onClick={() => changeCopies(1)}
              disabled={copies >= max}
              aria-label={t('options.more')}
            >
              +
            </button>
          </div>
        </fieldset>
        {unanswered > 0 && (
          <p className="note" role="status">
            <T k="options.answerAll" values={{ count: unanswered }} />
          </p>
        )}
        <p className="total">
          <T k="options.total" />{' '}
          <strong>
            <Yen amount={total} language={snapshot.language} />
          </strong>
        </p>
      </form>
      {v.busy && <Busy k="options.checking" />}
    </Layout>
  );
}
