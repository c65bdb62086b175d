import { T } from '../components/T.js';
import { ERROR_MESSAGE } from '../keys.js';
import { type ScreenProps, Yen, Layout, Button, TakeYourCard } from './parts.js';

export function ErrorScreen({ snapshot, send }: ScreenProps<'error'>) {
  const v = snapshot.view;
  return (
    <Layout
      heading={<T k="error.heading" />}
      lead={<T k={ERROR_MESSAGE[v.messageKey] ?? 'error.generic'} />}
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
      <p className="note">
        <T k="error.next" />
      </p>
    </Layout>
  );
}
