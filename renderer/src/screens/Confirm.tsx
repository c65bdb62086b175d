import { T } from '../components/T.js';
import { type ScreenProps, Layout, Button, Cancel } from './parts.js';
import { Summary } from './Summary.js';

export function Confirm({ snapshot, send }: ScreenProps<'confirm'>) {
  return (
    <Layout
      heading={<T k="confirm.heading" />}
      lead={<T k="confirm.body" />}
      actions={
        <>
          <Cancel send={send} />
          <Button k="common.back" dataKey="back" onClick={() => send({ type: 'BACK' })} />
          <Button k="confirm.submit" primary onClick={() => send({ type: 'CONFIRM' })} />
        </>
      }
    >
      <Summary snapshot={snapshot} />
    </Layout>
  );
}
