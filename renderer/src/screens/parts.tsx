// Building blocks shared by the resident's screens.
import { type ReactNode, useEffect, useRef } from 'react';
import { T } from '../components/T.js';
import { yenNumber } from '../format.js';
import { CERTIFICATE_NAME } from '../keys.js';
import type { Language, ResidentInput, ScreenId, SnapshotOf, UiConfig } from '../../../src/contract/index.js';

export interface ScreenProps<S extends ScreenId = ScreenId> {
  snapshot: SnapshotOf<S>;
  ui: UiConfig;
  send(input: ResidentInput): void;
  /** Plays a voice clip by name (e.g. an alert spoken over the screen's own clip). */
  voice?: (clip: string) => void;
}

export function Yen({ amount, language }: { amount: number; language: Language }) {
  return <T k="common.yen" values={{ amount: yenNumber(amount, language) }} />;
}

/** Copies a session handed out and copies it still owes, each shown only when not zero. */
export function CopiesGivenAndOwed({ printed, owed }: { printed: number; owed: number }) {
  return (
    <>
      {printed > 0 && (
        <p className="amount-line">
          <T k="common.copiesGiven" values={{ count: printed }} />
        </p>
      )}
      {owed > 0 && (
        <p className="amount-line">
          <T k="common.copiesOwed" values={{ count: owed }} />
        </p>
      )}
    </>
  );
}

/** What an ending session gave back and what it still owes (an IOU), each shown only when not zero. */
export function RefundAndOwed({
  refundedYen,
  owedYen,
  language,
}: {
  refundedYen: number;
  owedYen: number;
  language: Language;
}) {
  return (
    <>
      {refundedYen > 0 && (
        <p className="amount-line">
          <T k="common.refunded" />{' '}
          <strong>
            <Yen amount={refundedYen} language={language} />
          </strong>
        </p>
      )}
      {owedYen > 0 && (
        <p className="amount-line">
          <T k="common.owed" />{' '}
          <strong>
            <Yen amount={owedYen} language={language} />
          </strong>
        </p>
      )}
    </>
  );
}

/** The body scrolls inside the screen when a long list does not fit; then it takes keyboard focus so
 *  a keyboard user can scroll it too (the action bar below it always stays in view). */
function useFocusableWhenScrolling() {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => {
      if (el.scrollHeight > el.clientHeight) el.tabIndex = 0;
      else el.removeAttribute('tabindex');
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(el);
    for (const child of Array.from(el.children)) observer.observe(child);
    return () => observer.disconnect();
  }, []);
  return ref;
}

export function Layout({
  heading,
  lead,
  children,
  actions,
}: {
  heading: ReactNode;
  lead?: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  const body = useFocusableWhenScrolling();
  return (
    <>
      <div className="screen-top">
        <h1 tabIndex={-1} id="screen-heading">
          {heading}
        </h1>
        {lead && <p className="lead">{lead}</p>}
      </div>
      <div className="screen-body" ref={body}>
        {children}
      </div>
      {actions && <div className="actions">{actions}</div>}
    </>
  );
}

export function Button({
  k,
  onClick,
  primary,
  dataKey,
  disabled,
}: {
  k: string;
  onClick(): void;
  primary?: boolean;
  dataKey?: string;
  disabled?: boolean;
}) {
  return (
    <button
      type="button"
      className={primary ? 'primary' : 'secondary'}
      data-primary={primary ? '' : undefined}
      data-key={dataKey}
      onClick={onClick}
      disabled={disabled}
    >
      <T k={k} />
    </button>
  );
}

export const Cancel = ({ send }: { send: ScreenProps['send'] }) => (
  <Button k="common.cancel" dataKey="cancel" onClick={() => send({ type: 'CANCEL' })} />
);

export function certName(t: (k: string) => string, type: string | undefined, fallback: string | undefined) {
  const key = type ? CERTIFICATE_NAME[type] : undefined;
  return key ? t(key) : (fallback ?? '');
}

export function Busy({ k }: { k: string }) {
  return (
    <p className="busy" role="status">
      <span className="spinner" aria-hidden="true" />
      <T k={k} />
    </p>
  );
}

export function TakeYourCard({ present }: { present: boolean }) {
  if (!present) return null;
  return (
    <p className="alert-box" role="alert">
      <T k="common.takeCard" />
    </p>
  );
}
