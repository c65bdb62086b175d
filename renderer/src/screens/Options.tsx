import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogOptionView, OptionValue } from '../../../src/contract/index.js';
import { T } from '../components/T.js';
import { warekiYear } from '../format.js';
import { CHOICE_LABEL, OPTION_HELP, OPTION_LABEL } from '../keys.js';
import { type ScreenProps, Yen, Layout, Button, Cancel, certName, Busy } from './parts.js';

/** Keypad numbers go from 1 to 9. */
const KEYS = 9;

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

/** Asked now: an option with `when` only while the other option has that value. */
const asked = (o: CatalogOptionView, values: Record<string, OptionValue>) =>
  o.kind !== 'counterOnly' && (!o.when || values[o.when.option] === o.when.equals);

/** The values one can pick for an option: yes/no, its choices, or the people's ids. */
function choicesOf(o: CatalogOptionView): string[] {
  if (o.kind === 'boolean') return ['true', 'false'];
  if (o.kind === 'members' || o.kind === 'person') return (o.people ?? []).map((p) => p.id);
  return o.choices ?? [];
}

function isChosen(o: CatalogOptionView, v: OptionValue | undefined, c: string): boolean {
  if (o.kind === 'members') return Array.isArray(v) && v.includes(c);
  if (o.kind === 'boolean') return v === (c === 'true');
  return v !== undefined && String(v) === c;
}

function answered(o: CatalogOptionView, v: OptionValue | undefined): boolean {
  return o.kind === 'members' ? Array.isArray(v) && v.length > 0 : v !== undefined;
}

/** Picking `c`: members are ticked on and off, every other option takes the one value. */
function picked(o: CatalogOptionView, v: OptionValue | undefined, c: string): OptionValue | undefined {
  if (o.kind === 'members') {
    const list = Array.isArray(v) ? v : [];
    const next = list.includes(c) ? list.filter((x) => x !== c) : [...list, c];
    return next.length ? next : undefined;
  }
  return o.kind === 'boolean' ? c === 'true' : c;
}

/**
 * Keypad pages: every choice of the page numbered 1–9 when they all fit; else one question at a
 * time (a long list of people nine at a time), "0" moving on to the next and "*" back.
 */
function keypadPages(questions: CatalogOptionView[]): Array<Array<{ option: string; choice: string }>> {
  const all = questions.flatMap((o) => choicesOf(o).map((c) => ({ option: o.id, choice: c })));
  if (all.length <= KEYS) return [all];
  return questions.flatMap((o) => {
    const list = choicesOf(o).map((c) => ({ option: o.id, choice: c }));
    const pages = [];
    for (let i = 0; i < list.length; i += KEYS) pages.push(list.slice(i, i + KEYS));
    return pages;
  });
}

export function Options({ snapshot, send }: ScreenProps<'options'>) {
  const v = snapshot.view;
  const { t } = useTranslation();
  const cert = v.certificate;
  const all = cert?.options ?? [];
  const [values, setValues] = useState(() => initialValues(all, v.options));
  const [copies, setCopies] = useState(() => Math.max(1, v.copies || 1));
  const [page, setPage] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  const questions = all.filter((o) => asked(o, values));
  const counterOnly = all.filter((o) => o.kind === 'counterOnly');
  const max = cert?.maxCopies ?? 1;
  const total = (cert?.feeYen ?? 0) * copies;
  const unanswered = questions.filter((o) => !answered(o, values[o.id])).length;
  const pages = keypadPages(questions);
  const current = Math.min(page, pages.length - 1);
  const numberOf = (option: string, choice: string) => {
    const i = pages[current]!.findIndex((x) => x.option === option && x.choice === choice);
    return i < 0 ? null : i + 1;
  };
  const paged = pages.length > 1;
  const activeOption = paged ? pages[current]![0]?.option : undefined;
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
  // The question the keypad numbers is kept in view.
  useEffect(() => {
    if (activeOption)
      form.current?.querySelector(`[data-option="${activeOption}"]`)?.scrollIntoView?.({ block: 'nearest' });
  }, [activeOption, current]);
  const choose = (o: CatalogOptionView, c: string) => {
    setValues((s) => {
      const next = { ...s };
      const value = picked(o, s[o.id], c);
      if (value === undefined) delete next[o.id];
      else next[o.id] = value;
      return next;
    });
    send({ type: 'ACTIVITY', kind: 'option' });
  };
  const label = (o: CatalogOptionView, c: string) => {
    if (o.kind === 'boolean') return <T k={c === 'true' ? 'options.yes' : 'options.no'} />;
    if (o.kind === 'fiscalYear') return t('options.fiscalYearValue', { era: warekiYear(Number(c)), year: c });
    if (o.kind === 'members' || o.kind === 'person')
      return <span lang="ja">{o.people?.find((p) => p.id === c)?.name ?? c}</span>;
    const key = CHOICE_LABEL[c];
    return key ? t(key) : c;
  };
  // Only the questions still asked are sent (members left behind by a change of scope are not).
  const answers = () =>
    Object.fromEntries(questions.flatMap((o) => (values[o.id] === undefined ? [] : [[o.id, values[o.id]!]])));
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
            onClick={() => send({ type: 'SET_OPTIONS', options: answers(), copies })}
          />
        </>
      }
    >
      <form className="options-form" ref={form} onSubmit={(e) => e.preventDefault()}>
        {questions.map((o) => (
          <fieldset
            key={o.id}
            data-option={o.id}
            className={o.id === activeOption ? 'option keypad-active' : 'option'}
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
            <div className={o.kind === 'members' ? 'segmented segmented-people' : 'segmented'}>
              {choicesOf(o).map((c) => {
                const id = `opt-${o.id}-${c}`;
                const n = numberOf(o.id, c);
                return (
                  <span key={c} className="segment">
                    <input
                      type={o.kind === 'members' ? 'checkbox' : 'radio'}
                      id={id}
                      name={o.id}
                      data-key={n === null ? undefined : String(n)}
                      checked={isChosen(o, values[o.id], c)}
                      onChange={() => choose(o, c)}
                    />
                    <label htmlFor={id}>
                      {n !== null && (
                        <span className="choice-number" aria-hidden="true">
                          {n}
                        </span>
                      )}
                      {label(o, c)}
                    </label>
                  </span>
                );
              })}
            </div>
          </fieldset>
        ))}
        {paged && (
          <div className="keypad-paging">
            {current > 0 && (
              <button
                type="button"
                className="secondary"
                data-key="back"
                onClick={() => setPage(current - 1)}
              >
                <T k="options.previousQuestion" />
              </button>
            )}
            {current < pages.length - 1 && (
              <button
                type="button"
                className="secondary"
                data-key="next"
                onClick={() => setPage(current + 1)}
              >
                <T k="options.nextQuestion" />
              </button>
            )}
          </div>
        )}
        {counterOnly.map((o) => (
          <fieldset key={o.id} className="option option-counter-only" aria-describedby={`help-${o.id}`}>
            <legend>
              <T k={OPTION_LABEL[o.id] ?? 'options.other'} />
            </legend>
            <p className="option-help" id={`help-${o.id}`}>
              <T k={OPTION_HELP[o.id] ?? 'options.help.counterOnly'} />
            </p>
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
