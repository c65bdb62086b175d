import { T } from '../components/T.js';
import { type ScreenProps, Yen, Layout, Busy } from './parts.js';

export function ChangeScreen({ snapshot }: ScreenProps<'change'>) {
  const v = snapshot.view;
  return (
    <Layout heading={<T k="change.heading" />} lead={<T k="change.body" />}>
      {v.changeYen > 0 && (
        <p className="amount-line">
          <T k="change.amount" />{' '}
          <strong>
            <Yen amount={v.changeYen} language={snapshot.language} />
          </strong>
        </p>
      )}
      <Busy k="common.wait" />
    </Layout>
  );
}
