import { Illustration } from '../components/Illustration.js';
import { T } from '../components/T.js';
import { type ScreenProps, Yen, Layout, Cancel } from './parts.js';

export function TakeCard({ snapshot, ui, send }: ScreenProps<'takeCard'>) {
  const v = snapshot.view;
  return (
    <Layout
      heading={<T k="takeCard.heading" />}
      lead={<T k="takeCard.body" />}
      actions={<Cancel send={send} />}
    >
      <Illustration kind="takeCard" layout={ui.layout} legend />
      <p className="amount-line">
        <T k="takeCard.next" />{' '}
        <strong>
          <Yen amount={v.feeYen} language={snapshot.language} />
        </strong>
      </p>
    </Layout>
  );
}
