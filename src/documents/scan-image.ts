// Image operations for reading scans: area-averaging downscale, skew estimate and deskew. Pure
// functions over RGBA pixels.
import type { RgbaImage } from './raster.js';

/**
 * Shrinks by `f` (0 < f ≤ 1) averaging every source pixel into the output pixels it overlaps,
 * weighted by the overlap (a box filter with fractional edges), separably: rows, then columns.
 */
export function areaDownscale(img: RgbaImage, f: number): RgbaImage {
  const w = Math.max(1, Math.round(img.width * f));
  const h = Math.max(1, Math.round(img.height * f));
  const sx = img.width / w;
  const sy = img.height / h;
  // Horizontal pass into a float buffer (w × img.height, 3 channels).
  const tmp = new Float32Array(w * img.height * 3);
  for (let x = 0; x < w; x++) {
    const a = x * sx;
    const b = a + sx;
    for (let s = Math.floor(a); s < Math.ceil(b) && s < img.width; s++) {
      const wgt = (Math.min(b, s + 1) - Math.max(a, s)) / sx;
      if (wgt <= 0) continue;
      for (let y = 0; y < img.height; y++) {
        const p = (y * img.width + s) * 4;
        const q = (y * w + x) * 3;
        tmp[q]! += img.data[p]! * wgt;
        tmp[q + 1]! += img.data[p + 1]! * wgt;
        tmp[q + 2]! += img.data[p + 2]! * wgt;
      }
    }
  }
  const out = new Uint8ClampedArray(w * h * 4);
  const acc = new Float32Array(w * 3);
  for (let y = 0; y < h; y++) {
    acc.fill(0);
    const a = y * sy;
    const b = a + sy;
    for (let s = Math.floor(a); s < Math.ceil(b) && s < img.height; s++) {
      const wgt = (Math.min(b, s + 1) - Math.max(a, s)) / sy;
      if (wgt <= 0) continue;
      const row = s * w * 3;
      for (let i = 0; i < w * 3; i++) acc[i]! += tmp[row + i]! * wgt;
    }
    for (let x = 0; x < w; x++) {
      const p = (y * w + x) * 4;
      out[p] = acc[x * 3]!;
      out[p + 1] = acc[x * 3 + 1]!;
      out[p + 2] = acc[x * 3 + 2]!;
      out[p + 3] = 255;
    }
  }
  return { width: w, height: h, data: out };
}

const luma = (d: Uint8ClampedArray, p: number) => (d[p]! * 299 + d[p + 1]! * 587 + d[p + 2]! * 114) / 1000;

/**
 * The page's skew in degrees (positive = content turned clockwise), from the ruled lines and text
 * rows: the angle whose horizontal projection of dark pixels is the most peaked.
 */
export function estimateSkew(img: RgbaImage, maxDeg = 4, stepDeg = 0.1): number {
  const small = img.width > 800 ? areaDownscale(img, 800 / img.width) : img;
  const dark: Array<[number, number]> = [];
  for (let y = 0; y < small.height; y++)
    for (let x = 0; x < small.width; x++)
      if (luma(small.data, (y * small.width + x) * 4) < 110) dark.push([x, y]);
  if (dark.length < 50) return 0;
  let best = 0;
  let bestScore = -1;
  const bins = new Float64Array(small.height + small.width);
  for (let deg = -maxDeg; deg <= maxDeg + 1e-9; deg += stepDeg) {
    const t = Math.tan((deg * Math.PI) / 180);
    bins.fill(0);
    const off = small.width;
    for (const [x, y] of dark) {
      const b = Math.round(y - x * t) + off;
      if (b >= 0 && b < bins.length) bins[b]! += 1;
    }
    let score = 0;
    for (const v of bins) score += v * v;
    if (score > bestScore) {
      bestScore = score;
      best = deg;
    }
  }
  return Math.round(best * 100) / 100;
}

/** Rotates by −`deg` about the centre (bilinear), undoing a skew of `deg`; the corners fill white. */
export function deskew(img: RgbaImage, deg: number): RgbaImage {
  return rotate(img, -deg);
}

/** Rotation by `deg` (clockwise on screen) about the centre with bilinear sampling; outside is white. */
export function rotate(
  img: RgbaImage,
  deg: number,
  background: [number, number, number] = [255, 255, 255],
): RgbaImage {
  const { width: w, height: h } = img;
  const out = new Uint8ClampedArray(w * h * 4);
  const a = (deg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = w / 2;
  const cy = h / 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Inverse map: where in the source this output pixel comes from.
      const dx = x - cx;
      const dy = y - cy;
      const sx = cos * dx + sin * dy + cx;
      const sy = -sin * dx + cos * dy + cy;
      const p = (y * w + x) * 4;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
        out[p] = background[0];
        out[p + 1] = background[1];
        out[p + 2] = background[2];
        out[p + 3] = 255;
        continue;
      }
      const fx = sx - x0;
      const fy = sy - y0;
      const i00 = (y0 * w + x0) * 4;
      const i10 = i00 + 4;
      const i01 = i00 + w * 4;
      const i11 = i01 + 4;
      for (let c = 0; c < 3; c++) {
        const top = img.data[i00 + c]! * (1 - fx) + img.data[i10 + c]! * fx;
        const bot = img.data[i01 + c]! * (1 - fx) + img.data[i11 + c]! * fx;
        out[p + c] = top * (1 - fy) + bot * fy;
      }
      out[p + 3] = 255;
    }
  }
  return { width: w, height: h, data: out };
}

/** Separable Gaussian blur of the luminance (a scan of black on white is grey: one channel suffices). */
export function gaussianBlurGray(gray: Float32Array, w: number, h: number, sigma: number): Float32Array {
  if (sigma < 0.1) return gray;
  const r = Math.ceil(sigma * 3);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  const kernel = Float32Array.from(k.map((v) => v / sum));
  const tmp = new Float32Array(gray.length);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let a = 0;
      for (let i = -r; i <= r; i++) a += gray[row + Math.min(w - 1, Math.max(0, x + i))]! * kernel[i + r]!;
      tmp[row + x] = a;
    }
  }
  const out = new Float32Array(gray.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let a = 0;
      for (let i = -r; i <= r; i++) a += tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x]! * kernel[i + r]!;
      out[y * w + x] = a;
    }
  }
  return out;
}
