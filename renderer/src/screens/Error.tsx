import { T } from '../components/T.js';
import { ERROR_MESSAGE } from '../keys.js';
import { type ScreenProps, Layout, Button, TakeYourCard, RefundAndOwed } from './parts.js';

export function ErrorScreen({ snapshot, send }: ScreenProps<'error'>) {
  const v = snapshot.view;
  return (
    <Layout
      heading={<T k="error.heading" />}
      lead={<T k={ERROR_MESSAGE[v.messageKey] ?? 'error.generic'} />}
      actions={<Button k="common.finish" primary onClick={() => send({ type: 'ACK' })} disabled={v.busy} />}
    >
      <RefundAndOwed refundedYen={v.refundedYen} owedYen={v.owedYen} language={snapshot.language} />
      <TakeYourCard present={v.cardPresent} />
      <p className="note">
        <T k="error.next" />
      </p>
    </Layout>
  );
}
