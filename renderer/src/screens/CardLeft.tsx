import { T } from '../components/T.js';
import { Illustration } from '../components/Illustration.js';
import { type ScreenProps, Layout } from './parts.js';

// A card is still in the reader after its session: nothing else can happen until it is taken.
// The reminder repeats aloud (App); after a while the technician is called.
export function CardLeft({ snapshot, ui }: ScreenProps<'cardLeft'>) {
  return (
    <Layout heading={<T k="cardLeft.heading" />} lead={<T k="cardLeft.body" />}>
      <div className="card-left">
        <Illustration kind="takeCard" layout={ui.layout} legend />
        {snapshot.view.abandoned && (
          <p className="alert-box" role="alert">
            <T k="cardLeft.abandoned" />
          </p>
        )}
      </div>
    </Layout>
  );
}
