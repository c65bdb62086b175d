import { T } from '../components/T.js';
import { type ScreenProps, Layout, Button } from './parts.js';

export function Idle({ send }: ScreenProps<'idle'>) {
  return (
    <Layout
      heading={<T k="idle.heading" />}
      lead={<T k="idle.lead" />}
      actions={<Button k="idle.start" primary onClick={() => send({ type: 'START' })} />}
    >
      <ol className="how-to">
        <li>
          <T k="idle.how1" />
        </li>
        <li>
          <T k="idle.how2" />
        </li>
        <li>
          <T k="idle.how3" />
        </li>
      </ol>
    </Layout>
  );
}
