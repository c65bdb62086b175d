import { T } from '../components/T.js';
import { Layout } from './parts.js';

export function Technician() {
  return <Layout heading={<T k="technician.heading" />} lead={<T k="technician.body" />} />;
}
