import { T } from '../components/T.js';
import { type ScreenProps, Layout, Cancel } from './parts.js';

export function InsertCard({ send }: ScreenProps<'insertCard'>) {
  return (
    <Layout heading={<T k="insertCard.heading" />} lead={<T k="insertCard.body" />} actions={<Cancel send={send} />}>
      <div className="illustration card-slot" aria-hidden="true" />
    </Layout>
  );
}
