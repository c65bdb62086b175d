// One component per screen of the transaction machine. Each draws only its view fields (see
// src/core/view.ts) and sends resident input; the core decides what the input means.
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language, ResidentInput, Snapshot, UiConfig } from '../../../src/contract/index.js';
import { PinPad } from '../components/PinPad.js';
import { T } from '../components/T.js';
import { warekiYear, yenNumber } from '../format.js';
import { CANCELLED_HEADING, CERTIFICATE_NAME, CHOICE_LABEL, ERROR_MESSAGE, OPTION_LABEL, RELATION_LABEL } from '../keys.js';

export interface ScreenProps {
  snapshot: Snapshot;
  ui: UiConfig;
  send(input: ResidentInput): void;
}

type OptionValue = string | boolean | number | string[];
interface CatalogOption {
  id: string;
  kind: 'boolean' | 'choice' | 'members' | 'fiscalYear';
  choices?: string[];
  default?: string | boolean;
}

function Yen({ amount, language }: { amount: number; language: Language }) {
  return <T k="common.yen" values={{ amount: yenNumber(amount, language) }} />;
}

function Layout({ heading, lead, children, actions }: { heading: ReactNode; lead?: ReactNode; children?: ReactNode; actions?: ReactNode }) {
  return (
    <>
      <div className="screen-top">
        <h1 tabIndex={-1} id="screen-heading">{heading}</h1>
        {lead && <p className="lead">{lead}</p>}
      </div>
      <div className="screen-body">{children}</div>
      {actions && <div className="actions">{actions}</div>}
    </>
  );
}

function Button({ k, onClick, primary, dataKey, disabled }: { k: string; onClick(): void; primary?: boolean; dataKey?: string; disabled?: boolean }) {
  return (
    <button type="button" className={primary ? 'primary' : 'secondary'} data-primary={primary ? '' : undefined} data-key={dataKey} onClick={onClick} disabled={disabled}>
      <T k={k} />
    </button>
  );
}

const Cancel = ({ send }: { send: ScreenProps['send'] }) => <Button k="common.cancel" dataKey="cancel" onClick={() => send({ type: 'CANCEL' })} />;

function certName(t: (k: string) => string, type: string | undefined, fallback: string | undefined) {
  const key = type ? CERTIFICATE_NAME[type] : undefined;
  return key ? t(key) : (fallback ?? '');
}

function Busy({ k }: { k: string }) {
  return (
    <p className="busy" role="status">
      <span className="spinner" aria-hidden="true" />
      <T k={k} />
    </p>
  );
}

/* ───────── outside the session ───────── */

function Idle({ send }: ScreenProps) {
  return (
    <Layout heading={<T k="idle.heading" />} lead={<T k="idle.lead" />} actions={<Button k="idle.start" primary onClick={() => send({ type: 'START' })} />}>
      <ol className="how-to">
        <li><T k="idle.how1" /></li>
        <li><T k="idle.how2" /></li>
        <li><T k="idle.how3" /></li>
      </ol>
    </Layout>
  );
}

function OutOfService() {
  return <Layout heading={<T k="outOfService.heading" />} lead={<T k="outOfService.body" />} />;
}
function OutsideHours() {
  return <Layout heading={<T k="outsideHours.heading" />} lead={<T k="outsideHours.body" />} />;
}
function Technician() {
  return <Layout heading={<T k="technician.heading" />} lead={<T k="technician.body" />} />;
}

/* ───────── card and PIN ───────── */

function InsertCard({ send }: ScreenProps) {
  return (
    <Layout heading={<T k="insertCard.heading" />} lead={<T k="insertCard.body" />} actions={<Cancel send={send} />}>
      <div className="illustration card-slot" aria-hidden="true" />
    </Layout>
  );
}

function ReadingCard() {
  return (
    <Layout heading={<T k="readingCard.heading" />} lead={<T k="readingCard.body" />}>
      <Busy k="readingCard.wait" />
    </Layout>
  );
}

function Pin({ snapshot, ui, send }: ScreenProps) {
  const v = snapshot.view as { triesLeft: number; cardType: 'mynumber' | 'juki' | null; busy: boolean };
  return (
    <Layout heading={<T k="pin.heading" />} lead={<T k={v.cardType === 'juki' ? 'pin.bodyJuki' : 'pin.body'} />}>
      <p className={v.triesLeft <= 1 ? 'tries warning' : 'tries'} role="status">
        <T k={v.triesLeft <= 1 ? 'pin.lastTry' : 'pin.triesLeft'} values={{ count: v.triesLeft }} />
      </p>
      <PinPad
        shuffle={ui.shufflePinPad}
        busy={v.busy}
        onSubmit={(pin) => send({ type: 'PIN_SUBMIT', pin })}
        onCancel={() => send({ type: 'CANCEL' })}
      />
    </Layout>
  );
}

function Authenticating() {
  return (
    <Layout heading={<T k="authenticating.heading" />} lead={<T k="authenticating.body" />}>
      <Busy k="common.wait" />
    </Layout>
  );
}

/* ───────── choosing ───────── */

function Municipality({ snapshot, send }: ScreenProps) {
  const v = snapshot.view as { municipalities: { code: string; name: string; relation: string[] }[] };
  const { t } = useTranslation();
  return (
    <Layout heading={<T k="municipality.heading" />} lead={<T k="municipality.body" />} actions={<Cancel send={send} />}>
      <ul className="choices">
        {v.municipalities.map((m, i) => (
          <li key={m.code}>
            <button type="button" className="choice" data-key={String(i + 1)} onClick={() => send({ type: 'SELECT_MUNICIPALITY', code: m.code })}>
              <span className="choice-number" aria-hidden="true">{i + 1}</span>
              <span className="choice-name" lang="ja">{m.name}</span>
              <span className="choice-note">{m.relation.map((r) => t(RELATION_LABEL[r] ?? r)).join(' / ')}</span>
            </button>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

function Certificate({ snapshot, send }: ScreenProps) {
  const v = snapshot.view as { municipality: { name: string } | null; certificates: { type: string; name: string; feeYen: number }[]; canGoBack: boolean };
  const { t } = useTranslation();
  return (
    <Layout
      heading={<T k="certificate.heading" />}
      lead={<T k="certificate.body" values={{ municipality: v.municipality?.name ?? '' }} />}
      actions={
        <>
          <Cancel send={send} />
          {v.canGoBack && <Button k="common.back" dataKey="back" onClick={() => send({ type: 'BACK' })} />}
        </>
      }
    >
      <ul className="choices choices-grid">
        {v.certificates.map((c, i) => (
          <li key={c.type}>
            <button type="button" className="choice" data-key={String(i + 1)} onClick={() => send({ type: 'SELECT_CERTIFICATE', certificate: c.type })}>
              <span className="choice-number" aria-hidden="true">{i + 1}</span>
              <span className="choice-name">{certName(t, c.type, c.name)}</span>
              <span className="choice-note">
                <T k="certificate.fee" values={{ amount: t('common.yen', { amount: yenNumber(c.feeYen, snapshot.language) }) }} />
              </span>
            </button>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

function defaultsOf(options: CatalogOption[], current: Record<string, OptionValue>): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const o of options) {
    if (current[o.id] !== undefined) out[o.id] = current[o.id]!;
    else if (o.default !== undefined) out[o.id] = o.default;
    else if (o.kind === 'boolean') out[o.id] = false;
    else if (o.choices?.[0] !== undefined) out[o.id] = o.choices[0];
  }
  return out;
}

function choiceLabel(t: (k: string, o?: Record<string, unknown>) => string, o: CatalogOption, c: string): string {
  if (o.kind === 'fiscalYear') return t('options.fiscalYearValue', { era: warekiYear(Number(c)), year: c });
  const key = CHOICE_LABEL[c];
  return key ? t(key) : c;
}

function Options({ snapshot, send }: ScreenProps) {
  const v = snapshot.view as {
    certificate: { type: string; name: string; feeYen: number; maxCopies: number; options: CatalogOption[] } | null;
    options: Record<string, OptionValue>;
    copies: number;
    busy: boolean;
  };
  const { t } = useTranslation();
  const cert = v.certificate;
  const [values, setValues] = useState(() => defaultsOf(cert?.options ?? [], v.options));
  const [copies, setCopies] = useState(() => Math.max(1, v.copies || 1));
  const editable = (cert?.options ?? []).filter((o) => o.kind !== 'members');
  const max = cert?.maxCopies ?? 1;
  const total = (cert?.feeYen ?? 0) * copies;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || document.querySelector('dialog[open]')) return;
      if (e.key === '+') setCopies((c) => Math.min(max, c + 1));
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [max]);
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
                    <input type="radio" id={id} name={o.id} checked={values[o.id] === value} onChange={() => setValues((s) => ({ ...s, [o.id]: value }))} />
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
            <button type="button" className="secondary" onClick={() => setCopies((c) => Math.max(1, c - 1))} disabled={copies <= 1} aria-label={t('options.fewer')}>−</button>
            <output aria-live="polite" className="stepper-value">
              <T k="options.copiesValue" values={{ count: copies }} />
            </output>
            <button type="button" className="secondary" onClick={() => setCopies((c) => Math.min(max, c + 1))} disabled={copies >= max} aria-label={t('options.more')}>+</button>
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

/* ───────── confirm and request ───────── */

function Summary({ snapshot }: { snapshot: Snapshot }) {
  const v = snapshot.view as { municipality: { name: string } | null; certificate: { type: string; name: string } | null; options: Record<string, OptionValue>; copies: number; feeYen: number };
  const { t } = useTranslation();
  const optionText = (id: string, value: OptionValue) => {
    if (typeof value === 'boolean') return t(value ? 'options.yes' : 'options.no');
    if (id === 'fiscalYear') return t('options.fiscalYearValue', { era: warekiYear(Number(value)), year: value });
    if (typeof value === 'string') return CHOICE_LABEL[value] ? t(CHOICE_LABEL[value]!) : value;
    return String(value);
  };
  return (
    <dl className="summary">
      <div>
        <dt><T k="confirm.municipality" /></dt>
        <dd lang="ja">{v.municipality?.name}</dd>
      </div>
      <div>
        <dt><T k="confirm.certificate" /></dt>
        <dd>{certName(t, v.certificate?.type, v.certificate?.name)}</dd>
      </div>
      {Object.entries(v.options ?? {})
        .filter(([id]) => OPTION_LABEL[id])
        .map(([id, value]) => (
          <div key={id}>
            <dt><T k={OPTION_LABEL[id]!} /></dt>
            <dd>{optionText(id, value)}</dd>
          </div>
        ))}
      <div>
        <dt><T k="options.copies" /></dt>
        <dd><T k="options.copiesValue" values={{ count: v.copies }} /></dd>
      </div>
      <div className="summary-total">
        <dt><T k="confirm.fee" /></dt>
        <dd><Yen amount={v.feeYen} language={snapshot.language} /></dd>
      </div>
    </dl>
  );
}

function Confirm({ snapshot, send }: ScreenProps) {
  return (
    <Layout
      heading={<T k="confirm.heading" />}
      lead={<T k="confirm.body" />}
      actions={
        <>
          <Cancel send={send} />
          <Button k="common.back" dataKey="back" onClick={() => send({ type: 'BACK' })} />
          <Button k="confirm.submit" primary onClick={() => send({ type: 'CONFIRM' })} />
        </>
      }
    >
      <Summary snapshot={snapshot} />
    </Layout>
  );
}

function Requesting({ snapshot }: ScreenProps) {
  return (
    <Layout heading={<T k="requesting.heading" />} lead={<T k="requesting.body" />}>
      <Summary snapshot={snapshot} />
      <Busy k="common.wait" />
    </Layout>
  );
}

function TakeCard({ snapshot, send }: ScreenProps) {
  const v = snapshot.view as { feeYen: number };
  return (
    <Layout heading={<T k="takeCard.heading" />} lead={<T k="takeCard.body" />} actions={<Cancel send={send} />}>
      <div className="illustration card-out" aria-hidden="true" />
      <p className="amount-line">
        <T k="takeCard.next" /> <strong><Yen amount={v.feeYen} language={snapshot.language} /></strong>
      </p>
    </Layout>
  );
}

/* ───────── paying and printing ───────── */

function Payment({ snapshot, send }: ScreenProps) {
  const v = snapshot.view as { accepting: boolean; dueYen: number; insertedYen: number; remainingYen: number; noChangeFor: number | null; acceptedBills: number[] };
  const { t } = useTranslation();
  const lang = snapshot.language;
  const yen = (n: number) => t('common.yen', { amount: yenNumber(n, lang) });
  return (
    <Layout heading={<T k="payment.heading" />} lead={<T k={v.accepting ? 'payment.body' : 'payment.preparing'} />} actions={<Cancel send={send} />}>
      <dl className="money">
        <div>
          <dt><T k="payment.due" /></dt>
          <dd><Yen amount={v.dueYen} language={lang} /></dd>
        </div>
        <div>
          <dt><T k="payment.inserted" /></dt>
          <dd><Yen amount={v.insertedYen} language={lang} /></dd>
        </div>
        <div className="money-remaining">
          <dt><T k="payment.remaining" /></dt>
          <dd><Yen amount={v.remainingYen} language={lang} /></dd>
        </div>
      </dl>
      <p className="note">
        <T k="payment.coins" /> {[10, 50, 100, 500].map(yen).join('・')}
        {v.acceptedBills.length > 0 && (
          <>
            <br />
            <T k="payment.bills" /> {v.acceptedBills.map(yen).join('・')}
          </>
        )}
      </p>
      {v.noChangeFor !== null && (
        <p className="alert-box" role="alert">
          <T k="payment.noChange" values={{ amount: yen(v.noChangeFor) }} />
        </p>
      )}
    </Layout>
  );
}

function Printing({ snapshot }: ScreenProps) {
  const v = snapshot.view as { copies: number; printed: number };
  return (
    <Layout heading={<T k="printing.heading" />} lead={<T k="printing.body" />}>
      <p className="progress-text" role="status">
        <T k="printing.progress" values={{ printed: v.printed ?? 0, copies: v.copies }} />
      </p>
      <progress max={v.copies} value={v.printed ?? 0} aria-labelledby="screen-heading" />
    </Layout>
  );
}

function ChangeScreen({ snapshot }: ScreenProps) {
  const v = snapshot.view as { changeYen: number };
  return (
    <Layout heading={<T k="change.heading" />} lead={<T k="change.body" />}>
      {v.changeYen > 0 && (
        <p className="amount-line">
          <T k="change.amount" /> <strong><Yen amount={v.changeYen} language={snapshot.language} /></strong>
        </p>
      )}
      <Busy k="common.wait" />
    </Layout>
  );
}

function ThankYou({ snapshot, send }: ScreenProps) {
  const v = snapshot.view as { changeYen: number; shortYen: number; failure: string | null };
  return (
    <Layout heading={<T k="thankYou.heading" />} lead={<T k="thankYou.body" />} actions={<Button k="thankYou.done" primary onClick={() => send({ type: 'ACK' })} />}>
      {v.changeYen > 0 && (
        <p className="amount-line">
          <T k="thankYou.change" /> <strong><Yen amount={v.changeYen} language={snapshot.language} /></strong>
        </p>
      )}
      {(v.shortYen > 0 || v.failure) && (
        <p className="alert-box" role="alert">
          <T k="thankYou.short" values={{ amount: v.shortYen > 0 ? yenNumber(v.shortYen, snapshot.language) : '—' }} />
        </p>
      )}
    </Layout>
  );
}

/* ───────── endings ───────── */

function TakeYourCard({ present }: { present: boolean }) {
  if (!present) return null;
  return (
    <p className="alert-box" role="alert">
      <T k="common.takeCard" />
    </p>
  );
}

function Refused({ snapshot, send }: ScreenProps) {
  const v = snapshot.view as { reason: 'counter' | 'pinBlocked'; cardPresent: boolean; busy: boolean };
  // 支援措置 and every other refusal: the kiosk has no reason to give, only where to go.
  return (
    <Layout
      heading={<T k={v.reason === 'pinBlocked' ? 'refused.pinBlockedHeading' : 'refused.heading'} />}
      lead={<T k={v.reason === 'pinBlocked' ? 'refused.pinBlocked' : 'refused.counter'} />}
      actions={<Button k="common.finish" primary onClick={() => send({ type: 'ACK' })} disabled={v.busy} />}
    >
      <TakeYourCard present={v.cardPresent} />
    </Layout>
  );
}

function Cancelled({ snapshot, send }: ScreenProps) {
  const v = snapshot.view as { ending: string; cardPresent: boolean; refundedYen: number; busy: boolean };
  return (
    <Layout
      heading={<T k={CANCELLED_HEADING[v.ending] ?? 'cancelled.heading.cancelled'} />}
      lead={<T k="cancelled.body" />}
      actions={<Button k="common.finish" primary onClick={() => send({ type: 'ACK' })} disabled={v.busy} />}
    >
      {v.refundedYen > 0 && (
        <p className="amount-line">
          <T k="common.refunded" /> <strong><Yen amount={v.refundedYen} language={snapshot.language} /></strong>
        </p>
      )}
      <TakeYourCard present={v.cardPresent} />
    </Layout>
  );
}

function ErrorScreen({ snapshot, send }: ScreenProps) {
  const v = snapshot.view as { messageKey: string; cardPresent: boolean; refundedYen: number; busy: boolean };
  return (
    <Layout
      heading={<T k="error.heading" />}
      lead={<T k={ERROR_MESSAGE[v.messageKey] ?? 'error.generic'} />}
      actions={<Button k="common.finish" primary onClick={() => send({ type: 'ACK' })} disabled={v.busy} />}
    >
      {v.refundedYen > 0 && (
        <p className="amount-line">
          <T k="common.refunded" /> <strong><Yen amount={v.refundedYen} language={snapshot.language} /></strong>
        </p>
      )}
      <TakeYourCard present={v.cardPresent} />
      <p className="note"><T k="error.next" /></p>
    </Layout>
  );
}

export const SCREENS: Record<Snapshot['screen'], (p: ScreenProps) => ReactNode> = {
  idle: Idle,
  outOfService: OutOfService,
  outsideHours: OutsideHours,
  technician: Technician,
  insertCard: InsertCard,
  readingCard: ReadingCard,
  pin: Pin,
  authenticating: Authenticating,
  municipality: Municipality,
  certificate: Certificate,
  options: Options,
  confirm: Confirm,
  requesting: Requesting,
  takeCard: TakeCard,
  payment: Payment,
  printing: Printing,
  change: ChangeScreen,
  thankYou: ThankYou,
  refused: Refused,
  error: ErrorScreen,
  cancelled: Cancelled,
};
