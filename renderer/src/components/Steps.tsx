import { useTranslation } from 'react-i18next';
import { STEP_LABEL } from '../keys.js';
import { T } from './T.js';

/** The steps of the flow, the current one marked for sight and for screen readers. */
export function Steps({ step }: { step: { index: number; total: number } | null }) {
  const { t } = useTranslation();
  if (!step) return null;
  return (
    <nav className="steps" aria-label={t('steps.label')}>
      <ol>
        {STEP_LABEL.slice(0, step.total).map((key, i) => {
          const n = i + 1;
          const state = n < step.index ? 'done' : n === step.index ? 'current' : 'todo';
          return (
            <li
              key={key}
              className={`step step-${state}`}
              aria-current={n === step.index ? 'step' : undefined}
            >
              <span className="step-number" aria-hidden="true">
                {n}
              </span>
              <span className="step-label">
                <T k={key} />
              </span>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
