// A scanned page compared with what its seal says, without OCR. The sealed fields are drawn again
// exactly as the kiosk printed them (same layout, same font, no 地紋), the scan is registered onto
// that drawing — first from the corners of its QR code (whose place on the page is fixed), then
// refined by block matching over the whole page — and ink found in one but not near the same place
// in the other is grouped into blobs and reported by the printed cell it lies in.
import QRCode from 'qrcode';
import {
  A4,
  imageHash,
  NOTE_BOX,
  PAGE_NO_BOX,
  placePage,
  QR_BOX,
  type PlacedField,
  type Rect,
} from './layout.js';
import { drawPages } from './pdf.js';
import { rasterizePdfPage, type RgbaImage } from './raster.js';
import { gaussianBlurGray } from './scan-image.js';
import type { SealPayload } from './seal.js';

/** Resolution of the comparison (pixels per inch of paper), whatever the scan's own. */
export const COMPARE_DPI = 200;
const K = COMPARE_DPI / 72;
/** Both images are smoothed by this much first: it evens out scanner blur and noise, and the 地紋's dots. */
const SMOOTH_SIGMA = 1.4;
/**
 * Darkness (0–255, after smoothing) that is surely ink, and below which there is no ink: a pixel
 * that is ink in one image and not in the other differs (the 地紋's dots stay below both).
 */
const INK = 90;
const NEAR_INK = 45;
/**
 * A blob of this many differing pixels is a difference: on the simulated scans a one-digit change
 * of a 10.5 pt date (15日 → 16日) gives blobs of 24 or more, an untouched page none above 9.
 */
const MIN_BLOB = 15;

export interface ScanDifference {
  /** Field id as in the seal; '' for ink outside every printed cell. */
  fieldId: string;
  kind: 'extraInk' | 'missingInk' | 'noImage';
  /** Where on the page, in PDF points from the top left. */
  at: Rect;
  pixels: number;
}

export interface PagePoint {
  x: number;
  y: number;
}

interface Gray {
  w: number;
  h: number;
  v: Float32Array;
}

/** Least-squares affine map from `src` to `dst` points: [a, b, c, d, e, f] with x' = ax+by+c, y' = dx+ey+f. */
export function fitAffine(src: PagePoint[], dst: PagePoint[]): number[] {
  const m = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const bx = [0, 0, 0];
  const by = [0, 0, 0];
  src.forEach((p, i) => {
    const row = [p.x, p.y, 1];
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) m[r * 3 + c]! += row[r]! * row[c]!;
      bx[r]! += row[r]! * dst[i]!.x;
      by[r]! += row[r]! * dst[i]!.y;
    }
  });
  return [...solve3(m, bx), ...solve3(m, by)];
}

function solve3(m: number[], b: number[]): number[] {
  const det = (a: number[]) =>
    a[0]! * (a[4]! * a[8]! - a[5]! * a[7]!) -
    a[1]! * (a[3]! * a[8]! - a[5]! * a[6]!) +
    a[2]! * (a[3]! * a[7]! - a[4]! * a[6]!);
  const d = det(m);
  if (Math.abs(d) < 1e-12) throw new Error('degenerate point set');
  return [0, 1, 2].map((col) => det(m.map((v, i) => (i % 3 === col ? b[Math.floor(i / 3)]! : v))) / d);
}

const luma = (d: Uint8ClampedArray, p: number) => (d[p]! * 299 + d[p + 1]! * 587 + d[p + 2]! * 114) / 1000;

/** The scan as smoothed darkness relative to its paper (0 paper, 255 black), before registration. */
function scanDarkness(scan: RgbaImage): Gray {
  const lum = new Float32Array(scan.width * scan.height);
  const hist = new Uint32Array(256);
  for (let i = 0; i < lum.length; i++) {
    lum[i] = luma(scan.data, i * 4);
    hist[Math.min(255, Math.round(lum[i]!))]!++;
  }
  // The paper's level: most of a page is paper, so a high percentile of what was scanned.
  let paper = 255;
  for (let v = 255, acc = 0; v >= 0; v--) {
    acc += hist[v]!;
    if (acc >= lum.length * 0.1) {
      paper = Math.max(64, v);
      break;
    }
  }
  for (let i = 0; i < lum.length; i++) lum[i] = Math.max(0, Math.min(255, ((paper - lum[i]!) / paper) * 255));
  return { w: scan.width, h: scan.height, v: gaussianBlurGray(lum, scan.width, scan.height, SMOOTH_SIGMA) };
}

/** The scan's darkness resampled (bilinear) onto the drawing's pixel grid through `t`. */
function warp(src: Gray, t: number[], w: number, h: number): Gray {
  const out = new Float32Array(w * h);
  const { w: sw, h: sh, v } = src;
  const [a, b, c, d, e, f] = t as [number, number, number, number, number, number];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = a * x + b * y + c;
      const sy = d * x + e * y + f;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= sw || y0 + 1 >= sh) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * sw + x0;
      out[y * w + x] =
        (v[i]! * (1 - fx) + v[i + 1]! * fx) * (1 - fy) + (v[i + sw]! * (1 - fx) + v[i + sw + 1]! * fx) * fy;
    }
  }
  return { w, h, v: out };
}

function darkness(img: RgbaImage): Gray {
  const v = new Float32Array(img.width * img.height);
  for (let i = 0; i < v.length; i++) v[i] = 255 - luma(img.data, i * 4);
  return { w: img.width, h: img.height, v: gaussianBlurGray(v, img.width, img.height, SMOOTH_SIGMA) };
}

/** The sealed page drawn as printed, with the 公印 when it is known, as darkness at COMPARE_DPI. */
export async function referencePage(
  seal: SealPayload & { text: string },
  officialSealPng?: Uint8Array,
): Promise<RgbaImage> {
  const { pdf } = await drawPages(
    [{ fields: seal.fields, seal: seal.text }],
    { title: '', municipality: '', officialSealPng: Buffer.from(officialSealPng ?? []) },
    '',
    { jimon: false, numbering: { first: seal.page, count: seal.pageCount } },
  );
  return rasterizePdfPage(pdf, 1, K);
}

const references = new Map<string, Gray>();
/** The drawing of a sealed page as smoothed darkness; the last few are kept (a page is often checked again). */
async function cachedReference(seal: SealPayload & { text: string }, officialSealPng?: Uint8Array) {
  const key = `${seal.text}\u0000${officialSealPng ? imageHash(officialSealPng) : ''}`;
  let ref = references.get(key);
  if (!ref) {
    ref = darkness(await referencePage(seal, officialSealPng));
    if (references.size >= 2) references.delete(references.keys().next().value!);
    references.set(key, ref);
  }
  return ref;
}

/** The QR symbol's corners (without its quiet zone) on the drawing, in its pixels: TL, TR, BR, BL. */
export function qrCornersOnPage(sealText: string): PagePoint[] {
  const n = QRCode.create(sealText, { errorCorrectionLevel: 'M' }).modules.size;
  const quiet = (4 * QR_BOX.size) / (n + 8);
  const [x0, y0] = [QR_BOX.x + quiet, QR_BOX.y + quiet];
  const [x1, y1] = [QR_BOX.x + QR_BOX.size - quiet, QR_BOX.y + QR_BOX.size - quiet];
  return [
    { x: x0, y: y0 },
    { x: x1, y: y0 },
    { x: x1, y: y1 },
    { x: x0, y: y1 },
  ].map((p) => ({ x: p.x * K, y: p.y * K }));
}

/**
 * Whether the whole A4 page around the QR code at `corners` lies in the image (a scan of a page,
 * not of a thermal roll or a cut-out code), within a margin of 5 % of its size.
 */
export function pageInImage(img: RgbaImage, corners: PagePoint[], sealText: string): boolean {
  if (corners.length !== 4) return false;
  const t = fitAffine(qrCornersOnPage(sealText), corners);
  const [w, h] = [A4.w * K, A4.h * K];
  const scale = Math.hypot(t[0]!, t[3]!);
  const margin = 0.05 * h * scale;
  return [
    [0, 0],
    [w, 0],
    [w, h],
    [0, h],
  ].every(([x, y]) => {
    const sx = t[0]! * x! + t[1]! * y! + t[2]!;
    const sy = t[3]! * x! + t[4]! * y! + t[5]!;
    return sx >= -margin && sy >= -margin && sx <= img.width + margin && sy <= img.height + margin;
  });
}

/**
 * Best shift (integer px, within ±`range`) of the scan's tile at (x, y, size) onto the drawing's,
 * by normalized cross-correlation on every other pixel; undefined for a tile with too little ink.
 */
function tileShift(
  ref: Gray,
  scan: Gray,
  x: number,
  y: number,
  size: number,
  range: number,
): { dx: number; dy: number; score: number } | undefined {
  let refInk = 0;
  let refE = 0;
  for (let j = y; j < y + size; j += 2)
    for (let i = x; i < x + size; i += 2) {
      const r = ref.v[j * ref.w + i]!;
      if (r > INK) refInk++;
      refE += r * r;
    }
  if (refInk < 12) return undefined;
  let best: { dx: number; dy: number; score: number } | undefined;
  for (let dy = -range; dy <= range; dy++)
    for (let dx = -range; dx <= range; dx++) {
      let sr = 0;
      let ss = 0;
      for (let j = y; j < y + size; j += 2) {
        const sj = j + dy;
        if (sj < 0 || sj >= scan.h) continue;
        for (let i = x; i < x + size; i += 2) {
          const si = i + dx;
          if (si < 0 || si >= scan.w) continue;
          const s = scan.v[sj * scan.w + si]!;
          sr += s * ref.v[j * ref.w + i]!;
          ss += s * s;
        }
      }
      const score = ss > 0 ? sr / Math.sqrt(ss * refE) : 0;
      if (!best || score > best.score) best = { dx, dy, score };
    }
  return best;
}

/** Half the size, each pixel the mean of four. */
function half(g: Gray): Gray {
  const w = g.w >> 1;
  const h = g.h >> 1;
  const v = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = 2 * y * g.w + 2 * x;
      v[y * w + x] = (g.v[i]! + g.v[i + 1]! + g.v[i + g.w]! + g.v[i + g.w + 1]!) / 4;
    }
  return { w, h, v };
}

/**
 * Shifts of every inked tile, a robust affine fit of them, and the map `t` composed with it.
 * `unit` is the size of a pixel of `ref` and `scan` in the drawing's pixels (2 at half size).
 */
function refine(ref: Gray, scan: Gray, t: number[], size: number, range: number, unit = 1): number[] {
  const pts: PagePoint[] = [];
  const moved: PagePoint[] = [];
  for (let y = 0; y + size <= ref.h; y += size)
    for (let x = 0; x + size <= ref.w; x += size) {
      const s = tileShift(ref, scan, x, y, size, range);
      if (!s || s.score < 0.6) continue;
      pts.push({ x: x + size / 2, y: y + size / 2 });
      moved.push({ x: x + size / 2 + s.dx, y: y + size / 2 + s.dy });
    }
  if (pts.length < 6) return t;
  let keep = pts.map((_, i) => i);
  let fit = fitAffine(pts, moved);
  for (let round = 0; round < 2; round++) {
    const res = keep.map((i) => {
      const p = pts[i]!;
      return Math.hypot(
        fit[0]! * p.x + fit[1]! * p.y + fit[2]! - moved[i]!.x,
        fit[3]! * p.x + fit[4]! * p.y + fit[5]! - moved[i]!.y,
      );
    });
    const next = keep.filter((_, k) => res[k]! <= 1.5);
    if (next.length < 6 || next.length === keep.length) break;
    keep = next;
    fit = fitAffine(
      keep.map((i) => pts[i]!),
      keep.map((i) => moved[i]!),
    );
  }
  // scan(p) = t(fit(p)): compose the two affine maps.
  const [a, b, c, d, e, f] = t as [number, number, number, number, number, number];
  const [g, h, i0, j, k, l0] = fit as [number, number, number, number, number, number];
  const [i, l] = [i0 * unit, l0 * unit];
  return [a * g + b * j, a * h + b * k, a * i + b * l + c, d * g + e * j, d * h + e * k, d * i + e * l + f];
}

interface Region {
  fieldId: string;
  rect: Rect;
  /** Only ink the drawing has and the scan lacks counts here (under a 公印 nobody configured). */
  missingOnly?: boolean;
}

const grow = (r: Rect, d: number): Rect => ({ x: r.x - d, y: r.y - d, w: r.w + 2 * d, h: r.h + 2 * d });
const px = (r: Rect): Rect => ({ x: r.x * K, y: r.y * K, w: r.w * K, h: r.h * K });
const within = (r: Rect, x: number, y: number) => x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
const overlaps = (a: Rect, b: Rect) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const contains = (r: Rect, b: Rect) =>
  b.x >= r.x && b.y >= r.y && b.x + b.w <= r.x + r.w && b.y + b.h <= r.y + r.h;

/** The printed cells of a page in the drawing's pixels, most specific first. */
function regions(placed: PlacedField[], koinKnown: boolean): Region[] {
  const out: Region[] = [];
  for (const p of placed) {
    if (p.field.id === 'koin') {
      // Padded: a stamped image's edge, smoothed and resampled, reaches a pixel or two past its box.
      out.unshift({
        fieldId: 'koin',
        rect: px(grow(p.value, 3)),
        ...(koinKnown ? {} : { missingOnly: true }),
      });
      continue;
    }
    if (p.field.id === 'inei') {
      // The registered impression is not in the seal (only its hash): its frame must be there.
      out.push({ fieldId: 'inei', rect: px(grow(p.value, 3)), missingOnly: true });
      if (p.label) out.push({ fieldId: 'inei', rect: px(p.label) });
      continue;
    }
    if (p.label) out.push({ fieldId: p.field.id, rect: px(p.label) });
    out.push({ fieldId: p.field.id, rect: px(p.value) });
  }
  out.push({ fieldId: 'page', rect: px(PAGE_NO_BOX) });
  return out;
}

/** Rectangles not compared: the QR code (checked by decoding it) and the unsealed verification note. */
const IGNORED = [
  { x: QR_BOX.x - 6, y: QR_BOX.y - 6, w: QR_BOX.size + 12, h: QR_BOX.size + 12 },
  { x: NOTE_BOX.x - 4, y: NOTE_BOX.y - 4, w: NOTE_BOX.w + 8, h: NOTE_BOX.h + 8 },
].map(px);

/**
 * Compares a scan with the sealed page it carries the QR code of. `corners` are that code's
 * corners in the scan (TL, TR, BR, BL); `officialSealPng` the municipality's 公印 as configured
 * (without it, the 公印's place is only checked for the text under it).
 */
export async function compareScan(
  scan: RgbaImage,
  corners: PagePoint[],
  seal: SealPayload & { text: string },
  officialSealPng?: Uint8Array,
): Promise<ScanDifference[]> {
  const ref = await cachedReference(seal, officialSealPng);
  const src = scanDarkness(scan);
  let t = fitAffine(qrCornersOnPage(seal.text), corners);
  let warped = warp(src, t, ref.w, ref.h);
  t = refine(half(ref), half(warped), t, 48, 4, 2);
  warped = warp(src, t, ref.w, ref.h);
  t = refine(ref, warped, t, 64, 3);
  warped = warp(src, t, ref.w, ref.h);

  // What remains is local: each 64 px tile takes its own best shift (±2 px) before comparing.
  const T = 64;
  const { w, h } = ref;
  const shifted = new Float32Array(w * h);
  for (let ty = 0; ty < h; ty += T)
    for (let tx = 0; tx < w; tx += T) {
      const s = tx + T <= w && ty + T <= h ? tileShift(ref, warped, tx, ty, T, 2) : undefined;
      const [dx, dy] = s && s.score > 0.5 ? [s.dx, s.dy] : [0, 0];
      for (let y = ty; y < Math.min(h, ty + T); y++)
        for (let x = tx; x < Math.min(w, tx + T); x++) {
          const sx = Math.min(w - 1, Math.max(0, x + dx));
          const sy = Math.min(h - 1, Math.max(0, y + dy));
          shifted[y * w + x] = warped.v[sy * w + sx]!;
        }
    }

  const placed = placePage(seal.fields);
  const regs = regions(placed, officialSealPng !== undefined && officialSealPng.length > 0);
  // Which region each pixel belongs to (index + 1; 0 none, -1 ignored): painted last to first so the first wins.
  const owner = new Int16Array(w * h);
  const paint = (r: Rect, v: number) => {
    for (let y = Math.max(0, Math.floor(r.y)); y < Math.min(h, Math.ceil(r.y + r.h)); y++)
      owner.fill(v, y * w + Math.max(0, Math.floor(r.x)), y * w + Math.min(w, Math.ceil(r.x + r.w)));
  };
  for (let k = regs.length - 1; k >= 0; k--) paint(regs[k]!.rect, k + 1);
  for (const r of IGNORED) paint(r, -1);
  const flag = new Uint8Array(w * h); // 1 extra ink, 2 missing ink
  for (let i = 0; i < flag.length; i++) {
    const o = owner[i]!;
    if (o < 0) continue;
    if (shifted[i]! > INK && ref.v[i]! < NEAR_INK && !(o > 0 && regs[o - 1]!.missingOnly)) flag[i] = 1;
    else if (ref.v[i]! > INK && shifted[i]! < NEAR_INK) flag[i] = 2;
  }
  const diffs: ScanDifference[] = [];
  const seen = new Uint8Array(w * h);
  const stack: number[] = [];
  for (let start = 0; start < flag.length; start++) {
    if (!flag[start] || seen[start]) continue;
    // One blob: 8-connected pixels of the same kind.
    let [n, x0, y0, x1, y1] = [0, w, h, 0, 0];
    const kind = flag[start]!;
    stack.push(start);
    seen[start] = 1;
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % w;
      const y = (i - x) / w;
      n++;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const j = ny * w + nx;
          if (flag[j] === kind && !seen[j]) {
            seen[j] = 1;
            stack.push(j);
          }
        }
    }
    if (n < MIN_BLOB) continue;
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    // A blob wholly inside a line of text belongs to it (the mayor's line runs under the 公印).
    const box = { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
    const reg =
      regs.find((r) => r.fieldId !== 'koin' && !r.missingOnly && contains(r.rect, box)) ??
      regs.find((r) => within(r.rect, cx, cy));
    diffs.push({
      fieldId: reg?.fieldId ?? '',
      kind: kind === 1 ? 'extraInk' : 'missingInk',
      at: { x: x0 / K, y: y0 / K, w: (x1 - x0 + 1) / K, h: (y1 - y0 + 1) / K },
      pixels: n,
    });
  }
  // The mayor's line runs under the 公印: when the 公印 itself differs, what differs where the two
  // overlap is the 公印's.
  const koin = regs.find((r) => r.fieldId === 'koin');
  if (koin && diffs.some((d) => d.fieldId === 'koin'))
    for (const d of diffs) if (d.fieldId === 'mayor' && overlaps(px(d.at), koin.rect)) d.fieldId = 'koin';
  diffs.push(...impressionMissing(placed, { w, h, v: shifted }));
  return diffs;
}

/** A 印影 cell with (almost) no ink inside its frame: the impression is missing. */
function impressionMissing(placed: PlacedField[], scan: Gray): ScanDifference[] {
  const p = placed.find((q) => q.field.id === 'inei');
  if (!p) return [];
  const inner = px({ x: p.value.x + 10, y: p.value.y + 10, w: p.value.w - 20, h: p.value.h - 20 });
  let ink = 0;
  for (let y = Math.floor(inner.y); y < inner.y + inner.h; y++)
    for (let x = Math.floor(inner.x); x < inner.x + inner.w; x++) if (scan.v[y * scan.w + x]! > INK) ink++;
  return ink < inner.w * inner.h * 0.02 ? [{ fieldId: 'inei', kind: 'noImage', at: p.value, pixels: 0 }] : [];
}
