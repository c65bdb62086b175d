// Amounts and dates the way a resident reads them: yen with grouping, and every date in both the
// Japanese era (和暦) and the Western calendar (西暦).
import type { Language } from '../../src/contract/index.js';

const LOCALE: Record<Language, string> = {
  ja: 'ja-JP',
  'ja-easy': 'ja-JP',
  en: 'en-GB',
  zh: 'zh-CN',
  ko: 'ko-KR',
};

export function yenNumber(amount: number, language: Language): string {
  return new Intl.NumberFormat(LOCALE[language]).format(amount);
}

/** 令和8年11月26日 */
export function warekiDate(d: Date): string {
  return new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
    era: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'Asia/Tokyo',
  }).format(d);
}

/** 2026年11月26日 / 26 November 2026 / … */
export function westernDate(d: Date, language: Language): string {
  return new Intl.DateTimeFormat(LOCALE[language], {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'Asia/Tokyo',
  }).format(d);
}

/** 令和7年 for the fiscal year starting in April of `year`. */
export function warekiYear(year: number): string {
  return new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
    era: 'long',
    year: 'numeric',
    timeZone: 'Asia/Tokyo',
  }).format(new Date(Date.UTC(year, 3, 1, 3)));
}
