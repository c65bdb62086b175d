import { T } from '../components/T.js';
import { type ScreenProps, Layout, Button, TakeYourCard } from './parts.js';

export function Refused({ snapshot, send }: ScreenProps<'refused'>) {
  const v = snapshot.view;
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
