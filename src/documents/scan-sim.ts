// Simulated scans of printed pages, for the verifier's tests and `madoguchi bench print`: a page
// rendered at 200 dpi, then scaled, turned, blurred, tinted like paper and given sensor noise, each
// from a seeded generator so a failing scan can be reproduced.
import { rasterizePdfPage, type RgbaImage } from './raster.js';
import { areaDownscale, gaussianBlurGray } from './scan-image.js';

export interface ScanDefects {
  rotationDeg: number;
  blurSigma: number;
  noiseSigma: number;
  /** Relative scale, e.g. 1.02. */
  scale: number;
  /** Paper colour the white is multiplied to. */
  tint: [number, number, number];
}

/** Mild: ±1.5°, blur σ ≤ 0.7 px, noise σ ≤ 8, ±1 %; moderate: ±3°, σ ≤ 1.2 px, noise σ ≤ 15, ±2 %. */
export const SCAN_GRADES = {
  mild: { rotationDeg: 1.5, blurSigma: 0.7, noiseSigma: 8, scale: 0.01 },
  moderate: { rotationDeg: 3, blurSigma: 1.2, noiseSigma: 15, scale: 0.02 },
} as const;

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Defects drawn uniformly within a grade's limits (rotation and scale in both directions). */
export function randomDefects(grade: keyof typeof SCAN_GRADES, seed: number): ScanDefects {
  const g = SCAN_GRADES[grade];
  const r = mulberry32(seed);
  const sym = (m: number) => (r() * 2 - 1) * m;
  const tints: Array<[number, number, number]> = [
    [252, 250, 242],
    [246, 243, 232],
    [240, 240, 236],
    [250, 246, 236],
  ];
  return {
    rotationDeg: sym(g.rotationDeg),
    blurSigma: r() * g.blurSigma,
    noiseSigma: g.noiseSigma * (0.5 + r() / 2),
    scale: 1 + sym(g.scale),
    tint: tints[Math.floor(r() * tints.length)]!,
  };
}

function bilinearScale(img: RgbaImage, f: number): RgbaImage {
  const w = Math.round(img.width * f);
  const h = Math.round(img.height * f);
  const out = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(img.height - 1.001, (y + 0.5) / f - 0.5);
    const y0 = Math.max(0, Math.floor(sy));
    const fy = sy - y0;
    for (let x = 0; x < w; x++) {
      const sx = Math.min(img.width - 1.001, (x + 0.5) / f - 0.5);
      const x0 = Math.max(0, Math.floor(sx));
      const fx = sx - x0;
      const i = (y0 * img.width + x0) * 4;
      const p = (y * w + x) * 4;
      for (let c = 0; c < 3; c++) {
        const top = img.data[i + c]! * (1 - fx) + img.data[i + 4 + c]! * fx;
        const bot = img.data[i + img.width * 4 + c]! * (1 - fx) + img.data[i + img.width * 4 + 4 + c]! * fx;
        out[p + c] = top * (1 - fy) + bot * fy;
      }
      out[p + 3] = 255;
    }
  }
  return { width: w, height: h, data: out };
}

/** Turns a grey image by `deg` (clockwise on screen) about its centre, bilinear; outside is paper white. */
function rotateGray(g: Float32Array, w: number, h: number, deg: number): Float32Array {
  const out = new Float32Array(w * h).fill(255);
  const a = (deg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = w / 2;
  const cy = h / 2;
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    for (let x = 0; x < w; x++) {
      const dx = x - cx;
      const sx = cos * dx + sin * dy + cx;
      const sy = -sin * dx + cos * dy + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * w + x0;
      out[y * w + x] =
        (g[i]! * (1 - fx) + g[i + 1]! * fx) * (1 - fy) + (g[i + w]! * (1 - fx) + g[i + w + 1]! * fx) * fy;
    }
  }
  return out;
}

/** Applies the defects to a clean page image; `seed` drives the noise. */
export function degrade(img: RgbaImage, d: ScanDefects, seed: number): RgbaImage {
  const scaled = d.scale < 1 ? areaDownscale(img, d.scale) : d.scale > 1 ? bilinearScale(img, d.scale) : img;
  const { width: w, height: h } = scaled;
  const gray = new Float32Array(w * h);
  for (let i = 0, p = 0; i < gray.length; i++, p += 4)
    gray[i] = (scaled.data[p]! * 299 + scaled.data[p + 1]! * 587 + scaled.data[p + 2]! * 114) / 1000;
  const blurred = gaussianBlurGray(rotateGray(gray, w, h, d.rotationDeg), w, h, d.blurSigma);
  const rnd = mulberry32(seed ^ 0x9e3779b9);
  const data = new Uint8ClampedArray(w * h * 4);
  for (let i = 0, p = 0; i < blurred.length; i++, p += 4) {
    // Box-Muller: one normal sample per pixel, the same on all three channels (sensor luminance noise).
    const n = Math.sqrt(-2 * Math.log(rnd() || 1e-12)) * Math.cos(2 * Math.PI * rnd()) * d.noiseSigma;
    for (let c = 0; c < 3; c++) data[p + c] = (blurred[i]! * d.tint[c]!) / 255 + n;
    data[p + 3] = 255;
  }
  return { width: w, height: h, data };
}

/** A page of a PDF as a clean 200 dpi scan. */
export const scanPage = (pdf: Uint8Array, page: number, dpi = 200) => rasterizePdfPage(pdf, page, dpi / 72);
