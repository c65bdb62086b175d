import { T } from '../components/T.js';
import { type ScreenProps, Layout, Busy } from './parts.js';

export function ReadingCard({ snapshot }: ScreenProps<'readingCard'>) {
  return (
    <Layout
      heading={<T k="readingCard.heading" />}
      lead={<T k={snapshot.view.phone ? 'readingCard.bodyPhone' : 'readingCard.body'} />}
    >
      <Busy k="readingCard.wait" />
    </Layout>
  );
}
