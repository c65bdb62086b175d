import { useTranslation } from 'react-i18next';
import { MunicipalityName } from '../components/MunicipalityName.js';
import { PhoneMayLeave } from '../components/Phone.js';
import { T } from '../components/T.js';
import { RELATION_LABEL } from '../keys.js';
import { type ScreenProps, Layout, Cancel } from './parts.js';

export function Municipality({ snapshot, send }: ScreenProps<'municipality'>) {
  const v = snapshot.view;
  const { t } = useTranslation();
  return (
    <Layout
      heading={<T k="municipality.heading" />}
      lead={<T k="municipality.body" />}
      actions={<Cancel send={send} />}
    >
      <PhoneMayLeave show={v.phoneOnReader} />
      <ul className="choices">
        {v.municipalities.map((m, i) => (
          <li key={m.code}>
            <button
              type="button"
              className="choice"
              data-key={String(i + 1)}
              onClick={() => send({ type: 'SELECT_MUNICIPALITY', code: m.code })}
            >
              <span className="choice-number" aria-hidden="true">
                {i + 1}
              </span>
              <span className="choice-name">
                <MunicipalityName name={m.name} reading={m.reading} language={snapshot.language} />
              </span>
              <span className="choice-note">
                {m.relation.map((r) => t(RELATION_LABEL[r] ?? r)).join(' / ')}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
