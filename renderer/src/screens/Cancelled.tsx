import { T } from '../components/T.js';
import { CANCELLED_HEADING } from '../keys.js';
import { type ScreenProps, Yen, Layout, Button, TakeYourCard } from './parts.js';

export function Cancelled({ snapshot, send }: ScreenProps<'cancelled'>) {
  const v = snapshot.view;
  return (
    <Layout
      heading={<T k={CANCELLED_HEADING[v.ending] ?? 'cancelled.heading.cancelled'} />}
      lead={<T k="cancelled.body" />}
      actions={<Button k="common.finish" primary onClick={() => send({ type: 'ACK' })} disabled={v.busy} />}
    >
      {v.refundedYen > 0 && (
        <p className="amount-line">
          <T k="common.refunded" />{' '}
          <strong>
            <Yen amount={v.refundedYen} language={snapshot.language} />
          </strong>
        </p>
      )}
      {v.owedYen > 0 && (
        <p className="amount-line">
          <T k="common.owed" />{' '}
          <strong>
            <Yen amount={v.owedYen} language={snapshot.language} />
          </strong>
        </p>
      )}
      <TakeYourCard present={v.cardPresent} />
    </Layout>
  );
}
