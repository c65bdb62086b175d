import { Illustration } from '../components/Illustration.js';
import { T } from '../components/T.js';
import { type ScreenProps, Yen, Layout, Busy } from './parts.js';

export function ChangeScreen({ snapshot, ui }: ScreenProps<'change'>) {
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
      <Illustration kind="change" layout={ui.layout} legend />
      <Busy k="common.wait" />
    </Layout>
  );
}
