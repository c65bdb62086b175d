import { Illustration } from '../components/Illustration.js';
import { T } from '../components/T.js';
import { yenNumber } from '../format.js';
import { type ScreenProps, Yen, Layout, Button } from './parts.js';

export function ThankYou({ snapshot, ui, send }: ScreenProps<'thankYou'>) {
  const v = snapshot.view;
  return (
    <Layout
      heading={<T k="thankYou.heading" />}
      lead={<T k="thankYou.body" />}
      actions={<Button k="thankYou.done" primary onClick={() => send({ type: 'ACK' })} />}
    >
      <Illustration kind={v.changeYen > 0 ? 'collectWithChange' : 'collect'} layout={ui.layout} legend />
      {v.changeYen > 0 && (
        <p className="amount-line">
          <T k="thankYou.change" />{' '}
          <strong>
            <Yen amount={v.changeYen} language={snapshot.language} />
          </strong>
        </p>
      )}
      {(v.shortYen > 0 || v.failure) && (
        <p className="alert-box" role="alert">
          <T
            k="thankYou.short"
            values={{ amount: v.shortYen > 0 ? yenNumber(v.shortYen, snapshot.language) : '—' }}
          />
        </p>
      )}
    </Layout>
  );
}
