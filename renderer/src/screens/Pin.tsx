import { useCallback, useEffect, useRef, useState } from 'react';
import { PinPad } from '../components/PinPad.js';
import { T } from '../components/T.js';
import { type ScreenProps, Layout } from './parts.js';

export function Pin({ snapshot, ui, send, voice }: ScreenProps<'pin'>) {
  const v = snapshot.view;
  // A try spent while this screen shows is a wrong PIN: said aloud and announced (role=alert).
  const seen = useRef(v.triesLeft);
  const [wrong, setWrong] = useState(false);
  useEffect(() => {
    if (v.triesLeft !== null && seen.current !== null && v.triesLeft < seen.current) {
      setWrong(true);
      voice?.('pinWrong');
    }
    seen.current = v.triesLeft;
  }, [v.triesLeft, voice]);
  // Back from a phone that left mid-check with fewer tries: spoken as a wrong PIN too.
  useEffect(() => {
    if (!v.spentWhileAway) return;
    const t = setTimeout(() => voice?.('pinWrong'), 0);
    return () => clearTimeout(t);
  }, [v.spentWhileAway, voice]);
  const activity = useCallback(() => {
    setWrong(false);
    send({ type: 'ACTIVITY', kind: 'pinDigit' });
  }, [send]);
  return (
    <Layout
      heading={<T k="pin.heading" />}
      lead={
        <T k={v.form === 'phone' ? 'pin.bodyPhone' : v.cardType === 'juki' ? 'pin.bodyJuki' : 'pin.body'} />
      }
    >
      {v.form === 'phone' && (
        <p className="notice keep-phone" role="status">
          <T k="pin.keepPhone" />
        </p>
      )}
      {v.spentWhileAway && v.triesLeft !== null && (
        <p className="alert-box" role="alert">
          <T k="pin.spentWhileAway" values={{ count: v.triesLeft }} />
        </p>
      )}
      {wrong && v.triesLeft !== null && (
        <p className="alert-box" role="alert">
          <T k="pin.wrong" values={{ count: v.triesLeft }} />
        </p>
      )}
      {!wrong && v.triesLeft !== null && (
        <p className={v.triesLeft <= 1 ? 'tries warning' : 'tries'} role="status">
          <T k={v.triesLeft <= 1 ? 'pin.lastTry' : 'pin.triesLeft'} values={{ count: v.triesLeft }} />
        </p>
      )}
      <PinPad
        shuffle={ui.shufflePinPad}
        busy={v.busy}
        onSubmit={(pin) => send({ type: 'PIN_SUBMIT', pin })}
        onCancel={() => send({ type: 'CANCEL' })}
        onActivity={activity}
      />
    </Layout>
  );
}
