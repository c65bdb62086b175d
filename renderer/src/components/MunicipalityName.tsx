// A municipality's name as residents read it: the kanji, and beside it, for those who read other
// languages, its reading (romaji and kana) from the kiosk's configuration.
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../src/contract/index.js';

/** Languages whose readers get the reading beside the kanji. */
const WITH_READING: ReadonlySet<Language> = new Set(['en', 'zh', 'ko']);

export function MunicipalityName({
  name,
  reading,
  language,
}: {
  name: string;
  reading: { kana: string; romaji: string } | null | undefined;
  language: Language;
}) {
  const { t } = useTranslation();
  if (!reading || !WITH_READING.has(language)) return <span lang="ja">{name}</span>;
  return (
    <span className="municipality-name">
      <span lang="ja">{name}</span>{' '}
      <span className="municipality-reading">
        {t('municipality.reading', { romaji: reading.romaji, kana: reading.kana })}
      </span>
    </span>
  );
}

/** The same as plain text, for places that take a string (a sentence with the name in it). */
export function municipalityText(
  t: (k: string, o?: Record<string, unknown>) => string,
  m: { name: string; reading?: { kana: string; romaji: string } | null } | null | undefined,
  language: Language,
): string {
  if (!m) return '';
  if (!m.reading || !WITH_READING.has(language)) return m.name;
  return `${m.name} ${t('municipality.reading', { romaji: m.reading.romaji, kana: m.reading.kana })}`;
}
