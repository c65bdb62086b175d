// PDF pages to pixels with pdfjs-dist and @napi-rs/canvas (both pure npm installs). Used by the
// verifier (find the QR codes), by the tests (every glyph drawn?) and by the bench.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PNG } from 'pngjs';

export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;
const loadPdfJs = () => (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs'));

/**
 * pdfjs-dist uses its own (possibly nested) copy of @napi-rs/canvas for scratch canvases and
 * Path2D; the page canvas must come from that same copy or tiling patterns (the 地紋) fail.
 */
const pdfjsRequire = createRequire(createRequire(import.meta.url).resolve('pdfjs-dist/legacy/build/pdf.mjs'));
const createCanvas = (w: number, h: number) =>
  (pdfjsRequire('@napi-rs/canvas') as typeof import('@napi-rs/canvas')).createCanvas(w, h);

export async function openPdf(pdf: Uint8Array) {
  const lib = await loadPdfJs();
  return lib.getDocument({
    data: new Uint8Array(pdf),
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: 0,
  }).promise;
}

/** Renders page `pageNo` (1-based) at `scale` × 72 dpi on a white background. */
export async function rasterizePdfPage(pdf: Uint8Array, pageNo: number, scale: number): Promise<RgbaImage> {
  const doc = await openPdf(pdf);
  try {
    const page = await doc.getPage(pageNo);
    const vp = page.getViewport({ scale });
    return await renderOnWhite(page, vp, Math.ceil(vp.width), Math.ceil(vp.height));
  } finally {
    await doc.destroy();
  }
}

/** One run of text on a page: its string and where it starts (PDF points, y down from the top). */
export interface PositionedText {
  str: string;
  x: number;
  y: number;
  size: number;
}

/** Every page's text runs with their positions (pdfjs text layer), and the page sizes. */
export async function pdfTextRuns(
  pdf: Uint8Array,
): Promise<Array<{ width: number; height: number; runs: PositionedText[] }>> {
  const doc = await openPdf(pdf);
  try {
    const pages = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const [x0, y0, x1, y1] = page.view as [number, number, number, number];
      const tc = await page.getTextContent();
      const runs: PositionedText[] = [];
      for (const it of tc.items) {
        if (!('str' in it) || !it.str.trim()) continue;
        const [, , , d, e, f] = it.transform as [number, number, number, number, number, number];
        runs.push({ str: it.str, x: e - x0, y: y1 - f, size: Math.abs(d) });
      }
      pages.push({ width: x1 - x0, height: y1 - y0, runs });
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

/** Renders the part `rect` (PDF points, y down) of page `pageNo` at `scale` × 72 dpi. */
export async function rasterizePdfRegion(
  pdf: Uint8Array,
  pageNo: number,
  scale: number,
  rect: { x: number; y: number; w: number; h: number },
): Promise<RgbaImage> {
  const doc = await openPdf(pdf);
  try {
    const page = await doc.getPage(pageNo);
    const vp = page.getViewport({ scale, offsetX: -rect.x * scale, offsetY: -rect.y * scale });
    return await renderOnWhite(page, vp, Math.ceil(rect.w * scale), Math.ceil(rect.h * scale));
  } finally {
    await doc.destroy();
  }
}

/** The text of every page, joined (pdfjs text layer). */
export async function pdfText(pdf: Uint8Array): Promise<{ pages: number; text: string }> {
  const doc = await openPdf(pdf);
  try {
    const parts: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const tc = await (await doc.getPage(i)).getTextContent();
      parts.push(tc.items.map((it) => ('str' in it ? it.str : '')).join(''));
    }
    return { pages: doc.numPages, text: parts.join('\n') };
  } finally {
    await doc.destroy();
  }
}

export function readPng(file: string): RgbaImage {
  const png = PNG.sync.read(readFileSync(file));
  return {
    width: png.width,
    height: png.height,
    data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
  };
}

export function writePng(img: RgbaImage): Buffer {
  const png = new PNG({ width: img.width, height: img.height });
  png.data = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length);
  return PNG.sync.write(png);
}

type PdfPage = Awaited<ReturnType<Awaited<ReturnType<typeof openPdf>>['getPage']>>;

/** Draws `page` through viewport `vp` onto a white canvas of width × height pixels. */
async function renderOnWhite(
  page: PdfPage,
  vp: ReturnType<PdfPage['getViewport']>,
  width: number,
  height: number,
): Promise<RgbaImage> {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  // pdfjs types its canvas as a DOM one; @napi-rs/canvas stands in for it under Node.
  type RenderParams = Parameters<typeof page.render>[0];
  await page.render({
    canvas: canvas as unknown as RenderParams['canvas'],
    canvasContext: ctx as unknown as RenderParams['canvasContext'],
    viewport: vp,
  }).promise;
  const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return { width: img.width, height: img.height, data: img.data };
}
