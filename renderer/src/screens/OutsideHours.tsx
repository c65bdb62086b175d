import { T } from '../components/T.js';
import { Layout } from './parts.js';

export function OutsideHours() {
  return <Layout heading={<T k="outsideHours.heading" />} lead={<T k="outsideHours.body" />} />;
}
