import { T } from '../components/T.js';
import { Layout, Busy } from './parts.js';

export function ReadingCard() {
  return (
    <Layout heading={<T k="readingCard.heading" />} lead={<T k="readingCard.body" />}>
      <Busy k="readingCard.wait" />
    </Layout>
  );
}
