import { useTranslation } from 'react-i18next';
import { Illustration } from '../components/Illustration.js';
import { T } from '../components/T.js';
import { yenNumber } from '../format.js';
import { type ScreenProps, Yen, Layout, Cancel } from './parts.js';

export function Payment({ snapshot, ui, send }: ScreenProps<'payment'>) {
  const v = snapshot.view;
  const { t } = useTranslation();
  const lang = snapshot.language;
  const yen = (n: number) => t('common.yen', { amount: yenNumber(n, lang) });
  return (
    <Layout
      heading={<T k="payment.heading" />}
      lead={<T k={v.accepting ? 'payment.body' : 'payment.preparing'} />}
      actions={<Cancel send={send} />}
    >
      <dl className="money">
        <div>
          <dt>
            <T k="payment.due" />
          </dt>
          <dd>
            <Yen amount={v.dueYen} language={lang} />
          </dd>
        </div>
        <div>
          <dt>
            <T k="payment.inserted" />
          </dt>
          <dd>
            <Yen amount={v.insertedYen} language={lang} />
          </dd>
        </div>
        <div className="money-remaining">
          <dt>
            <T k="payment.remaining" />
          </dt>
          <dd>
            <Yen amount={v.remainingYen} language={lang} />
          </dd>
        </div>
      </dl>
      <Illustration kind="pay" layout={ui.layout} legend />
      <p className="note">
        <T k="payment.coins" /> {[10, 50, 100, 500].map(yen).join('・')}
        {v.acceptedBills.length > 0 && (
          <>
            <br />
            <T k="payment.bills" /> {v.acceptedBills.map(yen).join('・')}
          </>
        )}
      </p>
      {v.noChangeFor !== null && (
        <p className="alert-box" role="alert">
          <T k="payment.noChange" values={{ amount: yen(v.noChangeFor) }} />
          {(v.noChangeWorks?.length ?? 0) > 0 && (
            <>
              <br />
              <T k="payment.noChangeWorks" values={{ list: v.noChangeWorks!.map(yen).join('・') }} />
            </>
          )}
        </p>
      )}
    </Layout>
  );
}
