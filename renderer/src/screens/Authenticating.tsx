import { T } from '../components/T.js';
import { Layout, Busy } from './parts.js';

export function Authenticating() {
  return (
    <Layout heading={<T k="authenticating.heading" />} lead={<T k="authenticating.body" />}>
      <Busy k="common.wait" />
    </Layout>
  );
}
