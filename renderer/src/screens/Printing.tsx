import { Illustration } from '../components/Illustration.js';
import { T } from '../components/T.js';
import { type ScreenProps, Layout } from './parts.js';

export function Printing({ snapshot, ui }: ScreenProps<'printing'>) {
  const v = snapshot.view;
  return (
    <Layout heading={<T k="printing.heading" />} lead={<T k="printing.body" />}>
      <p className="progress-text" role="status">
        <T k="printing.progress" values={{ printed: v.printed ?? 0, copies: v.copies }} />
      </p>
      <progress max={v.copies} value={v.printed ?? 0} aria-labelledby="screen-heading" />
      <Illustration kind="printing" layout={ui.layout} legend />
      <p className="alert-box">
        <T k="printing.stay" />
      </p>
    </Layout>
  );
}
