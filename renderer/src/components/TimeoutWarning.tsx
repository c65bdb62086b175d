// The accessible timeout warning (after GOV.UK's pattern): a modal dialog that counts down and
// lets the resident ask for more time. It reuses the native <dialog>, which traps focus.
import { useEffect, useRef, type ReactNode } from 'react';
import { T } from './T.js';

export function TimeoutWarning({
  secondsLeft,
  onExtend,
  onOpen,
  due,
}: {
  secondsLeft: number | null;
  onExtend(): void;
  onOpen(): void;
  due?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const open = secondsLeft !== null;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      onOpen();
    }
    if (!open && d.open) d.close();
  }, [open, onOpen]);
  return (
    <dialog
      ref={ref}
      className="timeout-warning"
      aria-labelledby="timeout-heading"
      aria-describedby="timeout-body"
      onCancel={(e) => {
        e.preventDefault();
        onExtend();
      }}
    >
      <h2 id="timeout-heading">
        <T k="timeout.heading" />
      </h2>
      <p id="timeout-body" className="lead">
        <T k="timeout.body" values={{ seconds: secondsLeft ?? 0 }} />
      </p>
      <p className="countdown" aria-hidden="true">
        {secondsLeft ?? ''}
      </p>
      {due && <p className="amount-line">{due}</p>}
      <div className="actions">
        <button type="button" className="primary" autoFocus onClick={onExtend}>
          <T k="timeout.extend" />
        </button>
      </div>
    </dialog>
  );
}
