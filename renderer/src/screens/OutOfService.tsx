import { T } from '../components/T.js';
import { Layout } from './parts.js';

export function OutOfService() {
  return <Layout heading={<T k="outOfService.heading" />} lead={<T k="outOfService.body" />} />;
}
