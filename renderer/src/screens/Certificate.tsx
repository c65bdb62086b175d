import { useTranslation } from 'react-i18next';
import { municipalityText } from '../components/MunicipalityName.js';
import { PhoneMayLeave } from '../components/Phone.js';
import { T } from '../components/T.js';
import { yenNumber } from '../format.js';
import { DAY_LABEL } from '../keys.js';
import { type ScreenProps, Layout, Button, Cancel, certName } from './parts.js';

/** "weekdays" for Monday to Friday, else the days one by one. */
function daysText(t: (k: string) => string, days: string[]): string {
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'];
  if (days.length === 5 && weekdays.every((d) => days.includes(d))) return t(DAY_LABEL.weekdays!);
  return days.map((d) => t(DAY_LABEL[d] ?? d)).join(t('certificate.day.separator'));
}

export function Certificate({ snapshot, send }: ScreenProps<'certificate'>) {
  const v = snapshot.view;
  const { t } = useTranslation();
  return (
    <Layout
      heading={<T k="certificate.heading" />}
      lead={
        <T
          k="certificate.body"
          values={{ municipality: municipalityText(t, v.municipality, snapshot.language) }}
        />
      }
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
              disabled={!c.available}
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
                {c.hours && (
                  <span className={c.available ? 'choice-hours' : 'choice-hours choice-closed'}>
                    <T
                      k="certificate.hours"
                      values={{
                        days: daysText(t, c.hours.days),
                        opens: c.hours.opens,
                        closes: c.hours.closes,
                      }}
                    />
                  </span>
                )}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
