// Text drawn as vector outlines, not as PDF text: the latent 複写 word and the seal's characters
// must not show up in text extraction (pdftotext, verify's text comparison).

/** The subset of fontkit's API we use; pdfkit exposes the parsed font as `doc._font.font`. */
export interface OutlineFont {
  unitsPerEm: number;
  layout(text: string): { glyphs: Array<{ path: OutlinePath }>; positions: Array<{ xAdvance: number }> };
}
interface OutlinePath {
  transform(a: number, b: number, c: number, d: number, e: number, f: number): OutlinePath;
  toSVG(): string;
}

/**
 * SVG path data (page coordinates, y down) of `text` set at `size` pt with its baseline origin at
 * (x, y), rotated by `deg` around that origin.
 */
export function textOutline(
  font: OutlineFont,
  text: string,
  x: number,
  y: number,
  size: number,
  deg = 0,
): string {
  const s = size / font.unitsPerEm;
  const cos = Math.cos((deg * Math.PI) / 180);
  const sin = Math.sin((deg * Math.PI) / 180);
  const run = font.layout(text);
  let pen = 0;
  const parts: string[] = [];
  run.glyphs.forEach((g, i) => {
    // (u, v) font units, y up → page: X = x + s·cos·(u+pen) + s·sin·v, Y = y + s·sin·(u+pen) − s·cos·v
    parts.push(
      g.path.transform(s * cos, s * sin, s * sin, -s * cos, x + s * cos * pen, y + s * sin * pen).toSVG(),
    );
    pen += run.positions[i]?.xAdvance ?? 0;
  });
  return parts.join(' ');
}

export function textAdvance(font: OutlineFont, text: string, size: number): number {
  return (font.layout(text).positions.reduce((a, p) => a + p.xAdvance, 0) * size) / font.unitsPerEm;
}
