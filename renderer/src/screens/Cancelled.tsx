import { T } from '../components/T.js';
import { CANCELLED_HEADING } from '../keys.js';
import { type ScreenProps, Layout, Button, TakeYourCard, RefundAndOwed } from './parts.js';

export function Cancelled({ snapshot, send }: ScreenProps<'cancelled'>) {
  const v = snapshot.view;
  return (
    <Layout
      heading={<T k={CANCELLED_HEADING[v.ending] ?? 'cancelled.heading.cancelled'} />}
      lead={<T k="cancelled.body" />}
      actions={<Button k="common.finish" primary onClick={() => send({ type: 'ACK' })} disabled={v.busy} />}
    >
      <RefundAndOwed refundedYen={v.refundedYen} owedYen={v.owedYen} language={snapshot.language} />
      <TakeYourCard present={v.cardPresent} />
    </Layout>
  );
}
