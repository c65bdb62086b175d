import { T } from '../components/T.js';
import { type ScreenProps, Layout, Busy } from './parts.js';

export function Authenticating({ snapshot }: ScreenProps<'authenticating'>) {
  return (
    <Layout
      heading={<T k="authenticating.heading" />}
      lead={<T k={snapshot.view.phone ? 'authenticating.bodyPhone' : 'authenticating.body'} />}
    >
      <Busy k="common.wait" />
    </Layout>
  );
}
