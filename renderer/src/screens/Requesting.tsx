import { T } from '../components/T.js';
import { type ScreenProps, Layout, Busy } from './parts.js';
import { Summary } from './Summary.js';

export function Requesting({ snapshot }: ScreenProps<'requesting'>) {
  return (
    <Layout heading={<T k="requesting.heading" />} lead={<T k="requesting.body" />}>
      <Summary snapshot={snapshot} />
      <Busy k="common.wait" />
    </Layout>
  );
}
