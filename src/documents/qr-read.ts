// Reading QR codes from rendered pages and scans. ZXing (zxing-cpp as WebAssembly, `zxing-wasm`)
// is the decoder: on the generated scan set it reads far more degraded pages than jsQR (see
// docs/printing.md and `madoguchi bench print`). An image is tried as it is, then shrunk by area
// averaging (never nearest-neighbour, which breaks module edges), then deskewed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import jsQR from 'jsqr';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import type { RgbaImage } from './raster.js';
import { areaDownscale, deskew, estimateSkew } from './scan-image.js';

export interface FoundQr {
  text: string;
  /** Corners in the image's pixels: top-left, top-right, bottom-right, bottom-left. */
  corners: Array<{ x: number; y: number }>;
}
export type QrDecoder = (img: RgbaImage) => Promise<FoundQr[]>;

let ready: Promise<unknown> | undefined;
/** The WebAssembly module comes from node_modules (never fetched from a CDN). */
function zxingReady() {
  ready ??= (() => {
    const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
    return prepareZXingModule({
      overrides: {
        wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer,
      },
      fireImmediately: true,
    });
  })();
  return ready;
}

export const zxingDecoder: QrDecoder = async (img) => {
  await zxingReady();
  const found = await readBarcodes(
    { data: img.data, width: img.width, height: img.height, colorSpace: 'srgb' } as unknown as Parameters<
      typeof readBarcodes
    >[0],
    { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 8 },
  );
  return found
    .filter((r) => r.isValid)
    .map((r) => ({
      text: r.text,
      corners: [r.position.topLeft, r.position.topRight, r.position.bottomRight, r.position.bottomLeft],
    }));
};

/** jsQR finds one code per call: kept for the decoder comparison in the bench and tests. */
export const jsqrDecoder: QrDecoder = async (img) => {
  const r = jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' });
  if (!r) return [];
  const l = r.location;
  return [
    { text: r.data, corners: [l.topLeftCorner, l.topRightCorner, l.bottomRightCorner, l.bottomLeftCorner] },
  ];
};

const scaled = (q: FoundQr, f: number): FoundQr => ({
  text: q.text,
  corners: q.corners.map((c) => ({ x: c.x / f, y: c.y / f })),
});

/**
 * Every QR code the decoder finds in `img`: as it is, then at area-averaged smaller scales (a
 * 200-600 dpi scan has far more pixels per module than a decoder needs, and averaging also
 * cancels noise), then deskewed. Corners are always in `img`'s pixels.
 */
export async function readQrCodes(img: RgbaImage, decoder: QrDecoder = zxingDecoder): Promise<FoundQr[]> {
  const direct = await decoder(img);
  if (direct.length) return direct;
  for (const f of [0.75, 0.5, 0.35]) {
    if (Math.min(img.width, img.height) * f < 120) break;
    const found = await decoder(areaDownscale(img, f));
    if (found.length) return found.map((q) => scaled(q, f));
  }
  const angle = estimateSkew(img);
  if (Math.abs(angle) > 0.2) {
    const straight = deskew(img, angle);
    // Back from the straightened image: turn by +angle about the centre (deskew turned by −angle).
    const a = (angle * Math.PI) / 180;
    const [cx, cy, cos, sin] = [img.width / 2, img.height / 2, Math.cos(a), Math.sin(a)];
    const unturn = (c: { x: number; y: number }) => ({
      x: cos * (c.x - cx) - sin * (c.y - cy) + cx,
      y: sin * (c.x - cx) + cos * (c.y - cy) + cy,
    });
    for (const f of [1, 0.5]) {
      const found = await decoder(f === 1 ? straight : areaDownscale(straight, f));
      if (found.length)
        return found.map((q) => ({ text: q.text, corners: scaled(q, f).corners.map(unturn) }));
    }
  }
  return [];
}
