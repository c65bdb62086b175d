// Tests that run under Japanese need the locale generated; without it every program silently
// falls back to C and the test would prove nothing. Fails loudly with the command that fixes it.
import { execFileSync } from 'node:child_process';

export const JA_LOCALE = 'ja_JP.UTF-8';
export const LOCALE_FIX =
  "apt-get install -y locales && sed -i 's/^# *ja_JP.UTF-8/ja_JP.UTF-8/' /etc/locale.gen && locale-gen (or ./scripts/install-system-deps.sh)";

export function requireJapaneseLocale(): void {
  const have = execFileSync('locale', ['-a'], { encoding: 'utf8' })
    .split('\n')
    .some((l) => /^ja_JP\.utf-?8$/i.test(l.trim()));
  if (!have) throw new Error(`the ${JA_LOCALE} locale is not installed: ${LOCALE_FIX}`);
}
