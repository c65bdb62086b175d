import { HoldPhone } from '../components/Phone.js';
import { T } from '../components/T.js';
import { type ScreenProps, Layout, Cancel } from './parts.js';

/** The phone left the reader before the resident was authenticated: hold it again, or cancel. */
export function PhoneAway({ send }: ScreenProps<'phoneAway'>) {
  return (
    <Layout
      heading={<T k="phoneAway.heading" />}
      lead={<T k="phoneAway.body" />}
      actions={<Cancel send={send} />}
    >
      <HoldPhone />
    </Layout>
  );
}
