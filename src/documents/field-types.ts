// How a printed field's value is written on the form. The seal carries dates, amounts and years
// as integers (a few bytes instead of a dozen of UTF-8) and the same functions turn them into the
// printed text for the renderer and for the verifier's comparison.

export type FieldType = 'text' | 'date' | 'yen' | 'nendo' | 'bunen';

const ERAS: Array<[start: number, name: string, base: number]> = [
  [20190501, '令和', 2018],
  [19890108, '平成', 1988],
  [19261225, '昭和', 1925],
  [19120730, '大正', 1911],
];

function era(ymd: number): [string, number] {
  const y = Math.floor(ymd / 10000);
  const e = ERAS.find(([start]) => ymd >= start) ?? ERAS.at(-1)!;
  return [e[1], y - e[2]];
}
const yearNo = (n: number) => (n === 1 ? '元' : String(n));

/** 2026-11-26 (or 20261126) → 令和8年11月26日 (dates on municipal forms are in the Japanese era). */
export function warekiDate(iso: string | number): string {
  const ymd =
    typeof iso === 'number'
      ? iso
      : /^\d{4}-\d{2}-\d{2}/.test(iso)
        ? Number(iso.slice(0, 10).replaceAll('-', ''))
        : NaN;
  if (!Number.isInteger(ymd) || ymd < 10000101) return String(iso);
  const [name, n] = era(ymd);
  return `${name}${yearNo(n)}年${Math.floor(ymd / 100) % 100}月${ymd % 100}日`;
}

/** A tax year as its era on 1 April (the fiscal year's start): 2026 → 令和8. */
function warekiYear(year: number, monthDay: number): string {
  const [name, n] = era(year * 10000 + monthDay);
  return `${name}${yearNo(n)}`;
}

export function displayValue(type: FieldType, raw: string | number): string {
  if (type === 'text' || typeof raw === 'string') return String(raw);
  switch (type) {
    case 'date':
      return warekiDate(raw);
    case 'yen':
      return `${raw.toLocaleString('ja-JP')}円`;
    case 'nendo':
      return `${warekiYear(raw, 401)}年度`;
    case 'bunen':
      return `${warekiYear(raw, 1231)}年分`;
  }
}
