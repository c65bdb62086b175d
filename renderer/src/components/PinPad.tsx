// The on-screen PIN pad. The digits live only in a ref (never React state, never a DOM attribute,
// never a log): the display shows one mask per digit entered. On submit the ref is emptied before
// the PIN goes out through the contract, so nothing of it stays in the renderer.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { keypadKey } from '../keypad.js';
import { T } from './T.js';

const PIN_LENGTH = 4;
const ORDER = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0];

function shuffled(): number[] {
  const a = [...ORDER];
  const r = new Uint32Array(a.length);
  crypto.getRandomValues(r);
  for (let i = a.length - 1; i > 0; i--) {
    const j = r[i]! % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

export function PinPad({
  shuffle,
  busy,
  onSubmit,
  onCancel,
  onActivity,
}: {
  shuffle: boolean;
  busy: boolean;
  onSubmit(pin: string): void;
  onCancel(): void;
  onActivity(): void;
}) {
  const { t } = useTranslation();
  const digits = useRef<number[]>([]);
  const [count, setCount] = useState(0);
  const layout = useMemo(() => (shuffle ? shuffled() : ORDER), [shuffle]);

  const press = useCallback(
    (d: number) => {
      if (busy || digits.current.length >= PIN_LENGTH) return;
      digits.current.push(d);
      setCount(digits.current.length);
      onActivity();
    },
    [busy, onActivity],
  );
  const erase = useCallback(() => {
    digits.current.pop();
    setCount(digits.current.length);
  }, []);
  const clear = useCallback(() => {
    digits.current.length = 0;
    setCount(0);
  }, []);
  const submit = useCallback(() => {
    if (busy || digits.current.length !== PIN_LENGTH) return;
    const pin = digits.current.join('');
    digits.current.fill(0);
    digits.current.length = 0;
    setCount(0);
    onSubmit(pin);
  }, [busy, onSubmit]);

  // Numeric keypad (by code, so NumLock does not matter) and keyboard: digits, "*" or Backspace
  // erases, "#"/Enter submits; Escape and "." cancel (App).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || document.querySelector('dialog[open]')) return;
      const key = keypadKey(e);
      if (/^[0-9]$/.test(key)) press(Number(key));
      else if (key === 'Backspace' || key === 'Delete' || key === '*') erase();
      else if ((key === 'Enter' || key === '#') && digits.current.length === PIN_LENGTH) submit();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [press, erase, submit]);

  // Leaving the screen forgets whatever was typed.
  useEffect(() => () => clear(), [clear]);

  return (
    <div className="pin">
      <div className="pin-display" role="status" aria-live="polite">
        <span className="pin-masks" aria-hidden="true">
          {Array.from({ length: PIN_LENGTH }, (_, i) => (
            <span key={i} className={i < count ? 'pin-mask filled' : 'pin-mask'}>
              {i < count ? '●' : ''}
            </span>
          ))}
        </span>
        <span className="visually-hidden">{t('pin.entered', { count, total: PIN_LENGTH })}</span>
      </div>
      <div className="pin-pad" role="group" aria-label={t('pin.padLabel')}>
        {layout.map((d, i) => (
          <button
            key={d}
            type="button"
            className={`pin-key${i === 9 ? ' pin-key-last' : ''}`}
            onClick={() => press(d)}
            disabled={busy}
          >
            {d}
          </button>
        ))}
        <button type="button" className="pin-key pin-erase" onClick={erase} disabled={busy || count === 0}>
          <T k="pin.erase" />
        </button>
        <button type="button" className="pin-key pin-clear" onClick={clear} disabled={busy || count === 0}>
          <T k="pin.clear" />
        </button>
      </div>
      <div className="actions">
        <button type="button" className="secondary" data-key="cancel" onClick={onCancel} disabled={busy}>
          <T k="common.cancel" />
        </button>
        <button
          type="button"
          className="primary"
          data-primary
          onClick={submit}
          disabled={busy || count !== PIN_LENGTH}
        >
          {busy ? <T k="pin.checking" /> : <T k="pin.submit" />}
        </button>
      </div>
    </div>
  );
}
