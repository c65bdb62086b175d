#!/usr/bin/env node
// Pre-renders the voice guidance: one WAV clip per screen and language from the voice.* keys of
// renderer/src/locales/*.json, with espeak-ng (Debian package `espeak-ng`). Run before `vite build`;
// the renderer bundles whatever clips exist (renderer/src/voice/<language>/<screen>.wav) and still
// records each screen's clip request when none were generated. Clips are not committed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LOCALES = join(ROOT, 'renderer/src/locales');
const OUT = join(ROOT, 'renderer/src/voice');
const VOICES = { ja: 'ja', 'ja-easy': 'ja', en: 'en-gb', zh: 'cmn', ko: 'ko' };
const force = process.argv.includes('--force');

let made = 0;
for (const [language, voice] of Object.entries(VOICES)) {
  const file = join(LOCALES, `${language}.json`);
  const strings = JSON.parse(readFileSync(file, 'utf8'));
  mkdirSync(join(OUT, language), { recursive: true });
  for (const [key, text] of Object.entries(strings)) {
    if (!key.startsWith('voice.')) continue;
    const out = join(OUT, language, `${key.slice('voice.'.length)}.wav`);
    if (!force && existsSync(out) && statSync(out).mtimeMs >= statSync(file).mtimeMs) continue;
    // Ruby (if any) is read by its reading; other markup is dropped.
    const plain = String(text)
      .replace(/<ruby>[^<]*<rt>([^<]*)<\/rt><\/ruby>/g, '$1')
      .replace(/<[^>]+>/g, '');
    execFileSync('espeak-ng', ['-v', voice, '-s', '150', '-w', out, plain]);
    made++;
  }
}
process.stdout.write(`voice clips: ${made} rendered into ${OUT}\n`);
