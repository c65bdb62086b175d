// The login: technician card + its PIN, or technician id + PIN + one-time code. Any failure shows
// the same line; a back-off of the screen's fallback form is shown with its end time.
import { useState, type FormEvent } from 'react';
import type { TechnicianAnswer, TechnicianView } from '../../../src/contract/index.js';
import { ErrorLine, type PanelProps } from './common.js';
import { KeyboardField } from './OnScreenKeyboard.js';

export function Login({ t, run, view }: PanelProps & { view: TechnicianView }) {
  const [cardPin, setCardPin] = useState('');
  const [id, setId] = useState('');
  const [pin, setPin] = useState('');
  const [totp, setTotp] = useState('');
  const [result, setResult] = useState<TechnicianAnswer<'loginCard'> | TechnicianAnswer<'loginPin'> | null>(
    null,
  );
  const submit = (kind: 'card' | 'pin') => async (e: FormEvent) => {
    e.preventDefault();
    const r =
      kind === 'card'
        ? await run({ action: 'loginCard', pin: cardPin })
        : await run({ action: 'loginPin', technicianId: id, pin, totp });
    // PINs never stay in the page's state after an attempt.
    setCardPin('');
    setPin('');
    setTotp('');
    setResult(r);
  };
  return (
    <section className="tech-login" aria-labelledby="screen-heading">
      <h1 id="screen-heading" tabIndex={-1}>
        {t('login.heading')}
      </h1>
      <ErrorLine t={t} r={result} />
      {view.lockedUntil && (
        <p className="tech-error">
          {t('login.locked', { until: new Date(view.lockedUntil).toLocaleTimeString() })}
        </p>
      )}
      <div className="tech-columns">
        <form className="tech-card-login" onSubmit={submit('card')}>
          <h2>{t('login.card')}</h2>
          <p data-card={view.cardPresent ? 'present' : 'absent'}>
            {view.cardPresent ? t('login.cardPresent') : t('login.cardAbsent')}
          </p>
          <KeyboardField
            label={t('login.cardPin')}
            name="cardPin"
            secret
            digits
            maxLength={4}
            value={cardPin}
            onChange={setCardPin}
          />
          <button type="submit" disabled={cardPin.length !== 4}>
            {t('login.submit')}
          </button>
        </form>
        <form className="tech-pin-login" onSubmit={submit('pin')}>
          <h2>{t('login.fallback')}</h2>
          <KeyboardField
            label={t('login.technicianId')}
            name="technicianId"
            maxLength={32}
            value={id}
            onChange={(v) => setId(v.trim())}
          />
          <KeyboardField
            label={t('login.pin')}
            name="pin"
            secret
            digits
            maxLength={8}
            value={pin}
            onChange={setPin}
          />
          <KeyboardField
            label={t('login.totp')}
            name="totp"
            digits
            maxLength={6}
            autoComplete="one-time-code"
            value={totp}
            onChange={setTotp}
          />
          <button type="submit" disabled={!id || pin.length < 4 || totp.length !== 6}>
            {t('login.submit')}
          </button>
        </form>
      </div>
    </section>
  );
}
