// Fonts come from npm packages so a fresh machine needs nothing else. Both cover JIS X 0208
// in full (髙﨑齋邉 included). pdfkit embeds them as subsets; the thermal canvas registers them.
import { GlobalFonts } from '@napi-rs/canvas';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const FONT_PATHS = {
  /** Body text of certificates and receipts: a universal-design gothic, legible small. */
  gothic: require.resolve('@expo-google-fonts/biz-udpgothic/400Regular/BIZUDPGothic_400Regular.ttf'),
  gothicBold: require.resolve('@expo-google-fonts/biz-udpgothic/700Bold/BIZUDPGothic_700Bold.ttf'),
} as const;

let gothic: Buffer | undefined;
/** The font file, read once per process (pdfkit parses it per document). */
export function gothicFont(): Buffer {
  gothic ??= readFileSync(FONT_PATHS.gothic);
  return gothic;
}

export const CANVAS_FONT = 'MadoguchiGothic';
let registered = false;
/** Registers the certificate font with @napi-rs/canvas once per process; returns its family name. */
export function registerCanvasFont(): string {
  if (!registered) {
    GlobalFonts.registerFromPath(FONT_PATHS.gothic, CANVAS_FONT);
    registered = true;
  }
  return CANVAS_FONT;
}
