import { T } from '../components/T.js';
import { ERROR_MESSAGE } from '../keys.js';
import {
  type ScreenProps,
  Layout,
  Button,
  TakeYourCard,
  RefundAndOwed,
  CopiesGivenAndOwed,
  Yen,
} from './parts.js';

export function ErrorScreen({ snapshot, send }: ScreenProps<'error'>) {
  const v = snapshot.view;
  return (
    <Layout
      heading={<T k="error.heading" />}
      lead={<T k={ERROR_MESSAGE[v.messageKey] ?? 'error.generic'} />}
      actions={<Button k="common.finish" primary onClick={() => send({ type: 'ACK' })} disabled={v.busy} />}
    >
      <CopiesGivenAndOwed printed={v.copiesPrinted} owed={v.copiesOwed} />
      {v.changeYen > 0 && (
        <p className="amount-line">
          <T k="change.amount" />{' '}
          <strong>
            <Yen amount={v.changeYen} language={snapshot.language} />
          </strong>
        </p>
      )}
      <RefundAndOwed refundedYen={v.refundedYen} owedYen={v.owedYen} language={snapshot.language} />
      <TakeYourCard present={v.cardPresent} />
      <p className="note">
        <T k="error.next" />
      </p>
    </Layout>
  );
}
