import { useEffect } from 'react';
import { Illustration } from '../components/Illustration.js';
import { HoldPhone } from '../components/Phone.js';
import { T } from '../components/T.js';
import { type ScreenProps, Layout, Cancel } from './parts.js';

export function InsertCard({ snapshot, ui, send, voice }: ScreenProps<'insertCard'>) {
  const phone = snapshot.view.phoneAccepted;
  // Where phones are accepted the spoken guidance names both ways (after the screen's own clip starts).
  useEffect(() => {
    if (!phone) return;
    const t = setTimeout(() => voice?.('insertCardPhone'), 0);
    return () => clearTimeout(t);
  }, [phone, voice]);
  if (!phone) {
    return (
      <Layout
        heading={<T k="insertCard.heading" />}
        lead={<T k="insertCard.body" />}
        actions={<Cancel send={send} />}
      >
        <Illustration kind="insertCard" layout={ui.layout} legend />
      </Layout>
    );
  }
  return (
    <Layout
      heading={<T k="insertCard.headingPhone" />}
      lead={<T k="insertCard.bodyPhone" />}
      actions={<Cancel send={send} />}
    >
      <div className="token-ways">
        <figure className="token-way">
          <Illustration kind="insertCard" layout={ui.layout} />
          <figcaption>
            <T k="insertCard.wayCard" />
          </figcaption>
        </figure>
        <figure className="token-way">
          <HoldPhone />
          <figcaption>
            <T k="insertCard.wayPhone" />
          </figcaption>
        </figure>
      </div>
    </Layout>
  );
}
