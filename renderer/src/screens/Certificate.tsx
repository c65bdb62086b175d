import { useTranslation } from 'react-i18next';
import { PhoneMayLeave } from '../components/Phone.js';
import { T } from '../components/T.js';
import { yenNumber } from '../format.js';
import { type ScreenProps, Layout, Button, Cancel, certName } from './parts.js';

export function Certificate({ snapshot, send }: ScreenProps<'certificate'>) {
  const v = snapshot.view;
  const { t } = useTranslation();
  return (
    <Layout
      heading={<T k="certificate.heading" />}
      lead={<T k="certificate.body" values={{ municipality: v.municipality?.name ?? '' }} />}
      actions={
        <>
          <Cancel send={send} />
          {v.canGoBack && <Button k="common.back" dataKey="back" onClick={() => send({ type: 'BACK' })} />}
        </>
      }
    >
      <PhoneMayLeave show={v.phoneOnReader} />
      <ul className="choices choices-grid">
        {v.certificates.map((c, i) => (
          <li key={c.type}>
            <button
              type="button"
              className="choice"
              data-key={String(i + 1)}
              onClick={() => send({ type: 'SELECT_CERTIFICATE', certificate: c.type })}
            >
              <span className="choice-number" aria-hidden="true">
                {i + 1}
              </span>
              <span className="choice-name">{certName(t, c.type, c.name)}</span>
              <span className="choice-note">
                <T
                  k="certificate.fee"
                  values={{ amount: t('common.yen', { amount: yenNumber(c.feeYen, snapshot.language) }) }}
                />
              </span>
            </button>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
