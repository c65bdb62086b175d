import { T } from '../components/T.js';
import { type ScreenProps, Layout, Button } from './parts.js';

/** The municipality's 利用規約: read, then agree (or decline, which ends the session). */
export function Terms({ snapshot, send }: ScreenProps<'terms'>) {
  return (
    <Layout
      heading={<T k="terms.heading" />}
      lead={<T k="terms.body" />}
      actions={
        <>
          <Button k="terms.decline" dataKey="back" onClick={() => send({ type: 'BACK' })} />
          <Button k="terms.agree" primary onClick={() => send({ type: 'AGREE' })} />
        </>
      }
    >
      <div
        className="terms-text"
        lang={snapshot.view.textLanguage === 'ja-easy' ? 'ja' : snapshot.view.textLanguage}
      >
        {snapshot.view.text.split(/\n{2,}/).map((p, i) => (
          <p key={i}>{p}</p>
        ))}
      </div>
    </Layout>
  );
}
