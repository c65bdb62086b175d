// An on-screen keyboard for the console's fields, so a touch-only kiosk needs no USB keyboard:
// it opens under a field when the field is touched, digits only for PINs and codes, digits,
// letters, '-' and '_' for ids and text. A physical keyboard keeps working.
import { useId, useState } from 'react';
import i18next from 'i18next';
import { NS } from './i18n.js';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];
const LETTERS = 'QWERTYUIOPASDFGHJKLZXCVBNM'.split('');

interface FieldProps {
  label: string;
  name: string;
  value: string;
  onChange(value: string): void;
  maxLength: number;
  /** Digits only (PINs, codes, counts). */
  digits?: boolean;
  /** Masked (PINs). */
  secret?: boolean;
  autoComplete?: string;
}

export function OnScreenKeyboard({
  digits,
  onKey,
  onBackspace,
  onClose,
}: {
  digits: boolean;
  onKey(k: string): void;
  onBackspace(): void;
  onClose(): void;
}) {
  const t = i18next.getFixedT(null, NS);
  const [upper, setUpper] = useState(true);
  const keys = digits ? DIGITS : [...DIGITS, ...LETTERS.map((l) => (upper ? l : l.toLowerCase())), '-', '_'];
  // Pressing a key must not take the focus away from the field it types into.
  const keep = (e: React.PointerEvent | React.MouseEvent) => e.preventDefault();
  return (
    <div
      className="tech-keyboard"
      role="group"
      aria-label={t('keyboard.label')}
      data-keyboard={digits ? 'digits' : 'text'}
    >
      {keys.map((k) => (
        <button
          key={k}
          type="button"
          data-key={k}
          onPointerDown={keep}
          onMouseDown={keep}
          onClick={() => onKey(k)}
        >
          {k}
        </button>
      ))}
      {!digits && (
        <button
          type="button"
          onPointerDown={keep}
          onMouseDown={keep}
          onClick={() => setUpper(!upper)}
          aria-pressed={upper}
        >
          {t('keyboard.shift')}
        </button>
      )}
      <button
        type="button"
        data-key="backspace"
        onPointerDown={keep}
        onMouseDown={keep}
        onClick={onBackspace}
      >
        {t('keyboard.backspace')}
      </button>
      <button type="button" data-key="close" onClick={onClose}>
        {t('keyboard.close')}
      </button>
    </div>
  );
}

/** A labelled input with the on-screen keyboard under it while it is being edited. */
export function KeyboardField({
  label,
  name,
  value,
  onChange,
  maxLength,
  digits = false,
  secret = false,
  autoComplete = 'off',
}: FieldProps) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const clean = (v: string) => (digits ? v.replace(/\D/g, '') : v).slice(0, maxLength);
  return (
    <div className="tech-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={secret ? 'password' : 'text'}
        inputMode={digits ? 'numeric' : 'text'}
        autoComplete={autoComplete}
        maxLength={maxLength}
        value={value}
        onFocus={() => setOpen(true)}
        onChange={(e) => onChange(clean(e.target.value))}
      />
      {open && (
        <OnScreenKeyboard
          digits={digits}
          onKey={(k) => onChange(clean(value + k))}
          onBackspace={() => onChange(value.slice(0, -1))}
          onClose={() => setOpen(false)}
        />
      )}
    </div>
  );
}
