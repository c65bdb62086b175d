// What the resident asked for, shown on confirm and while the request runs.
import { useTranslation } from 'react-i18next';
import type { OptionValue, SnapshotOf } from '../../../src/contract/index.js';
import { MunicipalityName } from '../components/MunicipalityName.js';
import { T } from '../components/T.js';
import { warekiYear } from '../format.js';
import { CHOICE_LABEL, OPTION_LABEL } from '../keys.js';
import { Yen, certName } from './parts.js';

export function Summary({ snapshot }: { snapshot: SnapshotOf<'confirm' | 'requesting' | 'takeCard'> }) {
  const v = snapshot.view;
  const { t } = useTranslation();
  const optionText = (id: string, value: OptionValue) => {
    if (typeof value === 'boolean') return t(value ? 'options.yes' : 'options.no');
    if (id === 'fiscalYear')
      return t('options.fiscalYearValue', { era: warekiYear(Number(value)), year: value });
    if (Array.isArray(value)) return value.map((id) => v.names[id] ?? id).join('、');
    if (v.names[value as string]) return v.names[value as string]!;
    if (typeof value === 'string') return CHOICE_LABEL[value] ? t(CHOICE_LABEL[value]!) : value;
    return String(value);
  };
  return (
    <dl className="summary">
      <div>
        <dt>
          <T k="confirm.municipality" />
        </dt>
        <dd>
          <MunicipalityName
            name={v.municipality?.name ?? ''}
            reading={v.municipality?.reading}
            language={snapshot.language}
          />
        </dd>
      </div>
      <div>
        <dt>
          <T k="confirm.certificate" />
        </dt>
        <dd>{certName(t, v.certificate?.type, v.certificate?.name)}</dd>
      </div>
      {Object.entries(v.options ?? {})
        .filter(([id]) => OPTION_LABEL[id])
        .map(([id, value]) => (
          <div key={id}>
            <dt>
              <T k={OPTION_LABEL[id]!} />
            </dt>
            <dd>{optionText(id, value)}</dd>
          </div>
        ))}
      <div>
        <dt>
          <T k="options.copies" />
        </dt>
        <dd>
          <T k="options.copiesValue" values={{ count: v.copies }} />
        </dd>
      </div>
      <div className="summary-total">
        <dt>
          <T k="confirm.fee" />
        </dt>
        <dd>
          <Yen amount={v.feeYen} language={snapshot.language} />
        </dd>
      </div>
    </dl>
  );
}
