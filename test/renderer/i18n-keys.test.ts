// (renderer/src/technician has its own resources and test.)
// Every locale has exactly the keys the renderer uses: a missing key (in any language) or a key no
// source file uses fails. Keys are written out in full in the sources (dynamic ones in keys.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/contract/index.js';

const SRC = 'renderer/src';
const locale = (l: string) =>
  JSON.parse(readFileSync(join(SRC, 'locales', `${l}.json`), 'utf8')) as Record<string, string>;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory())
      return e.name === 'locales' || e.name === 'voice' || e.name === 'technician' ? [] : sources(p);
    return /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

/** Keys the code asks for: t('…'), k="…", i18nKey="…", and every 'ns.key' literal in keys.ts. */
function usedKeys(): Set<string> {
  const used = new Set<string>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g)) used.add(m[1]!);
    for (const m of text.matchAll(/\b(?:k|i18nKey)=["']([^"']+)["']/g)) used.add(m[1]!);
    for (const m of text.matchAll(/\bk=\{\s*[^}]*?'([a-zA-Z]+\.[^']+)'/g)) used.add(m[1]!);
    for (const m of text.matchAll(/'([a-zA-Z]+\.[a-zA-Z0-9.-]+)'\s*[:?]/g)) used.add(m[1]!);
    for (const m of text.matchAll(/[?:]\s*'([a-zA-Z]+\.[a-zA-Z0-9.-]+)'/g)) used.add(m[1]!);
    if (file.endsWith('keys.ts'))
      for (const m of text.matchAll(/'([a-zA-Z]+\.[a-zA-Z0-9.-]+)'/g)) used.add(m[1]!);
  }
  return used;
}

describe('translation keys', () => {
  const ja = locale('ja');
  const used = usedKeys();

  it('finds the keys the renderer uses', () => {
    expect(used.size).toBeGreaterThan(100);
    expect(used).toContain('idle.heading');
    expect(used).toContain('certificates.shotoku-kazei');
  });

  it.each(LANGUAGES.map((l) => [l]))('%s has every used key and no unused one', (language) => {
    const keys = Object.keys(locale(language));
    const missing = [...used].filter((k) => !keys.includes(k));
    const unused = keys.filter((k) => !used.has(k));
    expect(missing, `missing in ${language}`).toEqual([]);
    expect(unused, `unused in ${language}`).toEqual([]);
    expect(keys.sort()).toEqual(Object.keys(ja).sort());
    for (const k of keys) expect(locale(language)[k], `${language} ${k}`).not.toBe('');
  });

  it('keeps interpolation placeholders the same in every language', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const l of LANGUAGES)
      for (const [k, v] of Object.entries(locale(l))) expect(vars(v), `${l} ${k}`).toEqual(vars(ja[k]!));
  });

  it('やさしい日本語 writes ruby only where <Trans> renders it, never in strings used as plain text', () => {
    const easy = locale('ja-easy');
    const plain = [...used].filter((k) =>
      /^(certificates|options\.choice|municipality\.relation|common\.yen|demo\.(coin|bill)|voice)\b|\.label$|Label$|^pin\.entered$|^options\.(fewer|more|fiscalYearValue|yes|no)$/.test(
        k,
      ),
    );
    for (const k of plain) expect(easy[k], k).not.toMatch(/</);
    for (const [k, v] of Object.entries(easy)) {
      const stripped = v.replace(/<ruby>[^<]+<rt>[^<]+<\/rt><\/ruby>/g, '');
      expect(stripped, `${k}: only well-formed <ruby>…<rt>…</rt></ruby>`).not.toMatch(/<|>/);
    }
  });

  it('each screen has a voice message in every language', async () => {
    const { ALERT_VOICE_KEY, VOICE_KEY } = await import('../../renderer/src/keys.js');
    const { ScreenId } = await import('../../src/contract/index.js');
    expect(Object.keys(VOICE_KEY).sort()).toEqual([...ScreenId.options].sort());
    for (const l of LANGUAGES)
      for (const key of [...Object.values(VOICE_KEY), ...Object.values(ALERT_VOICE_KEY)])
        expect(locale(l)[key], `${l} ${key}`).toBeTruthy();
  });
});
