// i18next with one resource file per language. やさしい日本語 writes furigana as <ruby>…<rt>…</rt></ruby>
// in its resource file; <Trans> renders those tags as real ruby elements (no innerHTML).
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import ja from './locales/ja.json';
import en from './locales/en.json';
import zh from './locales/zh.json';
import ko from './locales/ko.json';
import jaEasy from './locales/ja-easy.json';

export const resources = {
  ja: { translation: ja },
  en: { translation: en },
  zh: { translation: zh },
  ko: { translation: ko },
  'ja-easy': { translation: jaEasy },
} as const;

/** The html lang attribute for each UI language. */
export const HTML_LANG: Record<keyof typeof resources, string> = {
  ja: 'ja',
  en: 'en',
  zh: 'zh-Hans',
  ko: 'ko',
  'ja-easy': 'ja',
};

export const LANGUAGE_NAMES: Record<keyof typeof resources, string> = {
  ja: '日本語',
  en: 'English',
  zh: '中文',
  ko: '한국어',
  'ja-easy': 'やさしい にほんご',
};

void i18next.use(initReactI18next).init({
  resources,
  lng: 'ja',
  fallbackLng: false,
  interpolation: { escapeValue: false },
  react: { transKeepBasicHtmlNodesFor: ['br', 'strong', 'ruby', 'rt'] },
  returnNull: false,
  // Keep 'ja-easy' as written: otherwise i18next reads it as ja + a script subtag and falls back to ja.
  lowerCaseLng: true,
});

export default i18next;
