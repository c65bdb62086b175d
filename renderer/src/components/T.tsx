// One translated string, rendered through <Trans> so やさしい日本語's <ruby> markup becomes real
// ruby elements (never innerHTML).
import { Trans } from 'react-i18next';

export function T({ k, values }: { k: string; values?: Record<string, string | number> }) {
  return <Trans i18nKey={k} values={values} />;
}
