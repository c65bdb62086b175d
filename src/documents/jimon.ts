// 地紋 (anti-copy background) with 複写 as a latent image. Two tiling patterns of the same tone:
// a coarse dot screen around the word and a fine one inside it. To the eye the page is an even
// tint; a copier reproduces the coarse dots but drops the fine ones, so 複写 appears light on
// the copy. Each screen is one PDF tiling pattern (a few bytes, fast) rather than explicit dots.
import type PDFDocument from 'pdfkit';
import { textAdvance, textOutline, type OutlineFont } from './glyph-paths.js';

export const JIMON_TINT = '#9db4c8';
/** Coarse: 1.0 pt squares every 3.0 pt; fine: 0.33 pt squares every 1.0 pt. Both ≈ 11 % cover. */
const COARSE = { dot: 1.0, pitch: 3.0 };
const FINE = { dot: 0.33, pitch: 1.0 };
export const LATENT_WORD = '複写';

type Doc = InstanceType<typeof PDFDocument>;

function screen(doc: Doc, s: { dot: number; pitch: number }) {
  return doc.pattern([0, 0, s.pitch, s.pitch], s.pitch, s.pitch, `0 0 ${s.dot} ${s.dot} re f`);
}

/** Where the latent words sit: a staggered grid of large, slanted 複写. */
export function latentWordPath(font: OutlineFont, width: number, height: number): string {
  const size = 96;
  const deg = -25;
  const w = textAdvance(font, LATENT_WORD, size);
  const paths: string[] = [];
  for (let row = 0, y = 170; y < height + 40; row++, y += 230) {
    for (let x = row % 2 ? -60 : 40; x < width; x += w + 90)
      paths.push(textOutline(font, LATENT_WORD, x, y, size, deg));
  }
  return paths.join(' ');
}

/** Paints the 地紋 over the whole current page; call before any content. */
export function drawJimon(doc: Doc, font: OutlineFont): void {
  const { width, height } = doc.page;
  doc.save();
  doc.rect(0, 0, width, height).fill([screen(doc, COARSE), JIMON_TINT]);
  // Inside the word outlines: erase the coarse screen and lay the fine one.
  doc.path(latentWordPath(font, width, height)).clip('nonzero');
  doc.rect(0, 0, width, height).fill('#ffffff');
  doc.rect(0, 0, width, height).fill([screen(doc, FINE), JIMON_TINT]);
  doc.restore();
}
