// Seal images drawn by code (no binary assets): the municipality's 公印 for samples and the
// simulator, and a resident's registered seal impression. Small RGB PNGs so the signed content,
// which carries them, still fits the QR code on the back.
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { PNG } from 'pngjs';
import { FONT_PATHS } from './fonts.js';

export const CANVAS_FONT = 'MadoguchiGothic';
let registered = false;
/** Registers the certificate font with @napi-rs/canvas once per process. */
export function registerCanvasFont(): string {
  if (!registered) {
    GlobalFonts.registerFromPath(FONT_PATHS.gothic, CANVAS_FONT);
    registered = true;
  }
  return CANVAS_FONT;
}

function toRgbPng(rgba: Uint8ClampedArray | Uint8Array, w: number, h: number): Buffer {
  // Two colours only (ink or paper): anti-aliased edges would triple the PNG's size.
  const data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    const ink = (rgba[i * 4 + 1] ?? 255) < 160;
    data.set(ink ? [0xc8, 0x16, 0x1d, 255] : [255, 255, 255, 255], i * 4);
  }
  const png = new PNG({ width: w, height: h });
  png.data = data;
  return PNG.sync.write(png, { colorType: 2, inputColorType: 6, inputHasAlpha: true, deflateLevel: 9 });
}

/** Characters laid in columns read right to left, the way 公印 are cut. */
function drawSealChars(ctx: ReturnType<ReturnType<typeof createCanvas>['getContext']>, text: string, size: number, inset: number) {
  const chars = [...text];
  const rows = Math.ceil(Math.sqrt(chars.length));
  const cols = Math.ceil(chars.length / rows);
  const cell = Math.min((size - 2 * inset) / cols, (size - 2 * inset) / rows);
  ctx.font = `${Math.floor(cell * 0.95)}px ${registerCanvasFont()}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  chars.forEach((ch, i) => {
    const col = Math.floor(i / rows);
    const r = i % rows;
    ctx.fillText(ch, size - inset - (col + 0.5) * cell, inset + (r + 0.5) * cell);
  });
}

/** Square red 公印, e.g. 室蘭市長之印. */
export function officialSealPng(text: string, size = 64): Buffer {
  const c = createCanvas(size, size);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, size, size);
  ctx.strokeStyle = ctx.fillStyle = '#c8161d';
  ctx.lineWidth = size * 0.06;
  ctx.strokeRect(size * 0.04, size * 0.04, size * 0.92, size * 0.92);
  drawSealChars(ctx, text, size, size * 0.12);
  return toRgbPng(ctx.getImageData(0, 0, size, size).data, size, size);
}

/** Round red personal seal with the family name. */
export function personalSealPng(familyName: string, size = 56): Buffer {
  const c = createCanvas(size, size);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, size, size);
  ctx.strokeStyle = ctx.fillStyle = '#c8161d';
  ctx.lineWidth = size * 0.06;
  ctx.beginPath();
  ctx.arc(size / 2, size / 2, size * 0.45, 0, Math.PI * 2);
  ctx.stroke();
  drawSealChars(ctx, familyName, size, size * 0.2);
  return toRgbPng(ctx.getImageData(0, 0, size, size).data, size, size);
}
