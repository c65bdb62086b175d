// Engineer diagnostics: card reader, test prints, acceptors and a one-coin hopper payout.
import { useState } from 'react';
import type { TechnicianAnswer } from '../../../../src/contract/index.js';
import type { RequestFor } from '../api.js';
import { asCoin, ErrorLine, useLoad, type Coin, type PanelProps } from '../common.js';
import { KeyboardField } from '../OnScreenKeyboard.js';

function SelfTestResult({ t, r }: Pick<PanelProps, 't'> & { r: TechnicianAnswer<'selfTest'> | null }) {
  if (!r) return null;
  if (!r.ok) return <ErrorLine t={t} r={r} />;
  const { ok: _ok, ...rest } = r;
  return (
    <output className="tech-result" aria-label={t('selfTest.result')}>
      <pre tabIndex={0}>{JSON.stringify(rest, null, 1)}</pre>
    </output>
  );
}

export function SelfTestPanel({ t, run }: PanelProps) {
  const [r, setR] = useState<TechnicianAnswer<'selfTest'> | null>(null);
  const [cardInfoPin, setCardInfoPin] = useState('');
  const [running, setRunning] = useState(false);
  const [st] = useLoad(run, { action: 'status' });
  const hopperYen = st?.ok ? st.hoppers.map((x) => asCoin(x.yen)).filter((y): y is Coin => y !== null) : [];
  const go = async (req: RequestFor<'selfTest'>) => {
    const x = await run(req);
    setR(x);
    if (req.test === 'acceptorStart') setRunning(x.ok);
    if (req.test === 'acceptorStop') setRunning(false);
    setCardInfoPin('');
  };
  return (
    <>
      <div className="tech-row">
        <KeyboardField
          label={t('selfTest.cardInfoPin')}
          name="cardInfoPin"
          secret
          digits
          maxLength={4}
          value={cardInfoPin}
          onChange={setCardInfoPin}
        />
        <button
          type="button"
          onClick={() =>
            void go({
              action: 'selfTest',
              test: 'cardReader',
              ...(cardInfoPin.length === 4 ? { cardInfoPin } : {}),
            })
          }
        >
          {t('selfTest.cardReader')}
        </button>
      </div>
      <div className="tech-row">
        <button
          type="button"
          onClick={() => void go({ action: 'selfTest', test: 'printer', printer: 'certificate' })}
        >
          {t('selfTest.printCertificate')}
        </button>
        <button
          type="button"
          onClick={() => void go({ action: 'selfTest', test: 'printer', printer: 'receipt' })}
        >
          {t('selfTest.printReceipt')}
        </button>
      </div>
      <div className="tech-row">
        {!running ? (
          <button type="button" onClick={() => void go({ action: 'selfTest', test: 'acceptorStart' })}>
            {t('selfTest.acceptorStart')}
          </button>
        ) : (
          <button type="button" onClick={() => void go({ action: 'selfTest', test: 'acceptorStop' })}>
            {t('selfTest.acceptorStop')}
          </button>
        )}
        {hopperYen.map((y) => (
          <button
            key={y}
            type="button"
            onClick={() => void go({ action: 'selfTest', test: 'hopper', yen: y })}
          >
            {t('selfTest.hopper', { yen: y })}
          </button>
        ))}
      </div>
      <SelfTestResult t={t} r={r} />
    </>
  );
}
