import { PinPad } from '../components/PinPad.js';
import { T } from '../components/T.js';
import { type ScreenProps, Layout } from './parts.js';

export function Pin({ snapshot, ui, send }: ScreenProps<'pin'>) {
  const v = snapshot.view;
  return (
    <Layout heading={<T k="pin.heading" />} lead={<T k={v.cardType === 'juki' ? 'pin.bodyJuki' : 'pin.body'} />}>
      {v.triesLeft !== null && (
        <p className={v.triesLeft <= 1 ? 'tries warning' : 'tries'} role="status">
          <T k={v.triesLeft <= 1 ? 'pin.lastTry' : 'pin.triesLeft'} values={{ count: v.triesLeft }} />
        </p>
      )}
      <PinPad
        shuffle={ui.shufflePinPad}
        busy={v.busy}
        onSubmit={(pin) => send({ type: 'PIN_SUBMIT', pin })}
        onCancel={() => send({ type: 'CANCEL' })}
      />
    </Layout>
  );
}
