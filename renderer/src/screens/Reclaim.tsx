import { T } from '../components/T.js';
import { Illustration } from '../components/Illustration.js';
import {
  type ScreenProps,
  Layout,
  Button,
  TakeYourCard,
  RefundAndOwed,
  CopiesGivenAndOwed,
} from './parts.js';

// After a restart: whoever was owed a certificate or money comes back with the same card and its PIN
// (the PIN screen is the usual one). This screen asks for the card, then says exactly what was given
// and what is still owed (a slip for it is printed); another card is told it is owed nothing here.
export function Reclaim({ snapshot, send }: ScreenProps<'reclaim'>) {
  const v = snapshot.view;
  if (v.phase === 'waiting')
    return (
      <Layout heading={<T k="reclaim.heading.waiting" />} lead={<T k="reclaim.body.waiting" />}>
        <Illustration kind="insertCard" />
        <p className="alert-box" role="status">
          <T k="reclaim.others" />
        </p>
      </Layout>
    );
  if (v.phase === 'delivering')
    return <Layout heading={<T k="reclaim.heading.delivering" />} lead={<T k="common.wait" />} />;
  if (v.phase === 'failed')
    return (
      <Layout
        heading={<T k="reclaim.heading.failed" />}
        lead={<T k="reclaim.body.failed" />}
        actions={<Button k="common.finish" primary onClick={() => send({ type: 'ACK' })} />}
      >
        <TakeYourCard present={v.cardPresent} />
      </Layout>
    );
  if (v.phase === 'notOwed')
    return (
      <Layout heading={<T k="reclaim.heading.notOwed" />} lead={<T k="reclaim.body.notOwed" />}>
        <TakeYourCard present={v.cardPresent} />
      </Layout>
    );
  const stillOwed = v.owedYen > 0 || v.copiesOwed > 0;
  return (
    <Layout
      heading={<T k={stillOwed ? 'reclaim.heading.partly' : 'reclaim.heading.delivered'} />}
      actions={<Button k="common.finish" primary onClick={() => send({ type: 'ACK' })} />}
    >
      <CopiesGivenAndOwed printed={v.copiesPrinted} owed={v.copiesOwed} />
      <RefundAndOwed refundedYen={v.refundedYen} owedYen={v.owedYen} language={snapshot.language} />
      {stillOwed && (
        <p className="alert-box" role="status">
          <T k="reclaim.slip" />
        </p>
      )}
      <TakeYourCard present={v.cardPresent} />
    </Layout>
  );
}
