// Every certificate type: the PDF's text extracts correctly (poppler), its font is an embedded
// subset, every glyph of the names and addresses is actually drawn (rasterized, since text
// extraction alone misses dropped glyphs), and every page's seal verifies.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { gothicFont } from '../../src/documents/fonts.js';
import { certifiedStrings } from '../../src/documents/form.js';
import type { OutlineFont } from '../../src/documents/glyph-paths.js';
import { renderCertificatePdf } from '../../src/documents/pdf.js';
import { openPdf } from '../../src/documents/raster.js';
import { rasterizePdfPage } from '../../src/documents/raster.js';
import { SAMPLE_TYPES, sampleDocument } from '../../src/documents/samples-index.js';
import { verifyPdf } from '../../src/documents/verify.js';
import { sealDocument } from '../../src/documents/issue-seals.js';
import { signDocument, type SignedDocument } from '../../src/registry/document.js';
import { sampleSigningKey, signingPublicJwk } from '../../fixtures/registry/signing-key.js';

const dir = mkdtempSync(join(tmpdir(), 'madoguchi-pdf-test-'));
const squash = (s: string) => s.replace(/\s+/g, '');

/** fontkit's view of the certificate font, for the x offset of each character in a text run. */
function fontMetrics(): OutlineFont {
  const doc = new PDFDocument();
  doc.registerFont('g', gothicFont());
  doc.font('g');
  return (doc as unknown as { _font: { font: OutlineFont } })._font.font;
}

/**
 * For every text run on page 1 that holds one of `strings`, checks that each non-space character's
 * cell has ink. A glyph missing from the subset leaves its cell blank.
 */
async function blankGlyphCells(pdf: Buffer, strings: string[]): Promise<string[]> {
  const scale = 3;
  const img = await rasterizePdfPage(pdf, 1, scale);
  const doc = await openPdf(pdf);
  const page = await doc.getPage(1);
  const vp = page.getViewport({ scale });
  const items = (await page.getTextContent()).items.filter(
    (it): it is typeof it & { str: string; transform: number[] } =>
      'str' in it && strings.some((s) => squash(it.str).length > 0 && squash(s).includes(squash(it.str))),
  );
  const font = fontMetrics();
  const blank: string[] = [];
  for (const it of items) {
    const [, , , size, ex, ey] = it.transform as [number, number, number, number, number, number];
    const run = font.layout(it.str);
    let pen = 0;
    [...it.str].forEach((ch, i) => {
      const adv = ((run.positions[i]?.xAdvance ?? 0) * size) / font.unitsPerEm;
      if (ch.trim()) {
        const [x0, y0] = vp.convertToViewportPoint(ex + pen + adv * 0.1, ey + size * 0.85) as [
          number,
          number,
        ];
        const [x1, y1] = vp.convertToViewportPoint(ex + pen + adv * 0.9, ey - size * 0.1) as [number, number];
        let ink = 0;
        for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
          for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
            const p = (y * img.width + x) * 4;
            if (img.data[p]! + img.data[p + 1]! + img.data[p + 2]! < 3 * 90) ink++;
          }
        }
        if (ink < 4) blank.push(`${ch} in "${it.str}"`);
      }
      pen += adv;
    });
  }
  await doc.destroy();
  expect(items.length).toBeGreaterThan(0);
  return blank;
}

describe.each(SAMPLE_TYPES)('certificate %s', (type) => {
  let doc: SignedDocument;
  let pdf: Buffer;
  let file: string;
  beforeAll(async () => {
    doc = await sampleDocument(type);
    pdf = (await renderCertificatePdf(doc)).pdf;
    file = join(dir, `${type}.pdf`);
    writeFileSync(file, pdf);
  });

  it('pdftotext extracts the Japanese names, addresses and issuance number', () => {
    const text = squash(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8'));
    for (const s of certifiedStrings(doc)) expect(text).toContain(squash(s));
    expect(text).toContain(squash(doc.title));
    expect(text).toContain(squash(doc.municipality.mayorName));
    // The latent 複写 and the seals are drawn as outlines and images, not text.
    expect(text).not.toContain('複写');
  });

  it('pdffonts shows the font embedded as a subset', () => {
    const rows = execFileSync('pdffonts', [file]).toString().split('\n').slice(2).filter(Boolean);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toMatch(/^[A-Z]{6}\+BIZUDPGothic/);
      expect(row).toMatch(/CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    }
  });

  it('draws every glyph of the certified names and addresses', async () => {
    expect(await blankGlyphCells(pdf, certifiedStrings(doc))).toEqual([]);
  });

  it('carries page seals that verify against the registry key', async () => {
    const r = await verifyPdf(pdf, [signingPublicJwk(sampleSigningKey())]);
    expect(r).toMatchObject({ ok: true, textChecked: true });
    if (r.ok) expect(r.documentId).toBe(doc.issuanceNumber);
  });
});

describe('rare characters', () => {
  it('draws 髙﨑齋邉 (the full-coverage font, subset intact)', async () => {
    const base = await sampleDocument('juminhyo');
    if (base.body.kind !== 'juminhyo') throw new Error('juminhyo expected');
    const {
      signature: _s,
      seals: _seals,
      ...content
    } = {
      ...base,
      body: {
        ...base.body,
        members: base.body.members.map((m, i) => (i === 0 ? { ...m, name: '髙﨑 齋邉' } : m)),
      },
    };
    const doc = sealDocument(await signDocument(content, sampleSigningKey()), sampleSigningKey());
    const pdf = (await renderCertificatePdf(doc)).pdf;
    const file = join(dir, 'rare.pdf');
    writeFileSync(file, pdf);
    expect(squash(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8'))).toContain(
      '髙﨑齋邉',
    );
    expect(await blankGlyphCells(pdf, ['髙﨑 齋邉'])).toEqual([]);
  });
});

describe('the glyph check itself', () => {
  it('notices glyphs that extract as text but are not drawn', async () => {
    // 山田 drawn normally; 太郎 in render mode 3 (invisible): pdftotext would still return it,
    // which is how a subset that lost glyphs looks to text-only checks.
    const d = new PDFDocument({ size: 'A4', margin: 0 });
    const chunks: Buffer[] = [];
    d.on('data', (c: Buffer) => chunks.push(c));
    const end = new Promise((r) => d.on('end', r));
    d.registerFont('g', gothicFont());
    d.font('g').fontSize(12).text('山田', 100, 100, { lineBreak: false });
    d.addContent('3 Tr');
    d.text('太郎', 100, 130, { lineBreak: false });
    d.end();
    await end;
    const pdf = Buffer.concat(chunks);
    expect(await blankGlyphCells(pdf, ['山田', '太郎'])).toEqual(['太 in "太郎"', '郎 in "太郎"']);
  });
});
