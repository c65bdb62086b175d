// The console's own i18next namespace ("technician"), added to the renderer's instance so the
// resident screens' resource files stay untouched. Japanese and English only.
import i18next from 'i18next';
import ja from './locales/ja.json';
import en from './locales/en.json';

export const NS = 'technician';
const add = () => {
  for (const [lng, res] of [
    ['ja', ja],
    ['en', en],
    ['ja-easy', ja],
    ['zh', en],
    ['ko', en],
  ] as const)
    i18next.addResourceBundle(lng, NS, res, true, true);
};
if (i18next.isInitialized) add();
else i18next.on('initialized', add);

/** The console speaks Japanese, or English when the kiosk is set to English. */
export const consoleLanguage = (l: string) => (l === 'en' ? 'en' : 'ja');
