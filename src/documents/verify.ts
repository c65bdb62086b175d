// Offline verification of a printed certificate. Each page's QR code is a seal signed by the
// registry (src/documents/seal.ts): it names the document, page n of m and every field printed on
// that page with its place. For a PDF the page's text is read by position and each field compared,
// and the page as drawn is compared with the sealed page drawn again; a scan, which has no text
// layer, is compared the same way (src/documents/scan-compare.ts). Any difference is reported by field.
import type { JWK } from 'jose';
import {
  fieldText,
  imageHash,
  NOTE_BOX,
  PAGE_NO_BOX,
  placePage,
  QR_BOX,
  type PageField,
  type PlacedField,
  type Rect,
} from './layout.js';
import { readQrCodes } from './qr-read.js';
import {
  openPdf,
  pdfTextRuns,
  rasterizePdfPage,
  rasterizePdfRegion,
  type PositionedText,
  type RgbaImage,
} from './raster.js';
import {
  COMPARE_DPI,
  compareScan,
  pageInImage,
  qrCornersOnPage,
  type ScanDifference,
} from './scan-compare.js';
import { SEAL_PREFIX, SealError, verifySeal, type SealFailure, type SealPayload } from './seal.js';

export type VerifyFailure =
  'noQrCode' | SealFailure | 'pageMismatch' | 'textMismatch' | 'sealImageMismatch' | 'unreadableFile';

export interface VerifyOptions {
  /**
   * The municipality's 公印 as configured: its hash must be the sealed one, and the printed 公印
   * must be it. Without it the 公印's place is only checked for the text under it.
   */
  officialSealPng?: Uint8Array;
}

export interface VerifiedPage {
  page: number;
  pageCount: number;
  fields: PageField[];
}

export interface FieldDifference {
  page: number;
  fieldId: string;
  /** What the reader sees: the row's label, or 表題 / 発行番号 / 証明文 … */
  name: string;
  printed: string;
  signed: string;
  /** A scan (or the PDF as drawn) differs from the sealed page drawn again: what and where (points). */
  image?: { kind: ScanDifference['kind']; at: Rect };
}

export type VerifyResult =
  | {
      ok: true;
      documentId: string;
      municipalityCode: string;
      kid: string;
      pages: VerifiedPage[];
      /** Every printed field compared with the sealed one (always, unless a scan's code had no corners). */
      textChecked: boolean;
      /** The printed 公印 compared with the configured one. */
      sealImageChecked: boolean;
    }
  | { ok: false; reason: VerifyFailure; message: string; differences?: FieldDifference[] };

const NAMES: Record<string, string> = {
  title: '表題',
  no: '発行番号',
  att: '証明文',
  date: '交付日',
  mayor: '市長名',
  koin: '公印',
  inei: '印影',
};
const squash = (s: string) => s.replace(/[\s\u3000]+/g, '');

function fail(reason: VerifyFailure, message: string, differences?: FieldDifference[]): VerifyResult {
  return { ok: false, reason, message, ...(differences ? { differences } : {}) };
}

/** Checks the seals found on a set of pages: all verify, one document, every page n of m exactly once. */
export function checkSeals(
  texts: string[],
  keys: JWK[],
  expectPages?: number,
):
  | { ok: true; seals: Array<SealPayload & { kid: string; text: string }> }
  | Extract<VerifyResult, { ok: false }> {
  const sealTexts = texts.filter((t) => t.startsWith(SEAL_PREFIX));
  if (!texts.length) return fail('noQrCode', 'no QR code found') as Extract<VerifyResult, { ok: false }>;
  if (!sealTexts.length)
    return fail('malformedSeal', `none of the ${texts.length} QR code(s) is a certificate seal`) as Extract<
      VerifyResult,
      { ok: false }
    >;
  const seals: Array<SealPayload & { kid: string; text: string }> = [];
  for (const t of sealTexts) {
    try {
      seals.push({ ...verifySeal(t, keys), text: t });
    } catch (e) {
      if (e instanceof SealError) return fail(e.reason, e.message) as Extract<VerifyResult, { ok: false }>;
      throw e;
    }
  }
  const first = seals[0]!;
  const other = seals.find(
    (s) =>
      s.documentId !== first.documentId ||
      s.municipalityCode !== first.municipalityCode ||
      s.pageCount !== first.pageCount,
  );
  if (other)
    return fail(
      'pageMismatch',
      `pages of different certificates: ${first.documentId} and ${other.documentId} (page ${other.page} of ${other.pageCount})`,
    ) as Extract<VerifyResult, { ok: false }>;
  const seen = new Set<number>();
  for (const s of seals) {
    if (seen.has(s.page))
      return fail('pageMismatch', `page ${s.page} of ${s.documentId} appears twice`) as Extract<
        VerifyResult,
        { ok: false }
      >;
    seen.add(s.page);
  }
  if (expectPages !== undefined) {
    const missing = Array.from({ length: first.pageCount }, (_, i) => i + 1).filter((n) => !seen.has(n));
    if (missing.length)
      return fail(
        'pageMismatch',
        `${first.documentId} has ${first.pageCount} pages; page ${missing.join(', ')} is missing`,
      ) as Extract<VerifyResult, { ok: false }>;
    if (expectPages !== first.pageCount)
      return fail(
        'pageMismatch',
        `the file has ${expectPages} pages but the seals name ${first.pageCount}`,
      ) as Extract<VerifyResult, { ok: false }>;
  }
  return { ok: true, seals: seals.sort((a, b) => a.page - b.page) };
}

const inside = (r: Rect, x: number, y: number) =>
  x >= r.x - 1 && x <= r.x + r.w + 1 && y >= r.y - 1 && y <= r.y + r.h + 1;

function fieldName(p: PlacedField, placed: PlacedField[], part: 'label' | 'value'): string {
  const f = p.field;
  if (part === 'label') return `${f.label ?? ''} の見出し`;
  if (p.kind === 'heading') return `見出し ${fieldText(f)}`;
  if (p.kind !== 'row') return NAMES[f.id] ?? f.id;
  const label = f.label ?? f.id;
  // Several members have a 生年月日: name the group's heading too.
  const twins = placed.filter((q) => q.kind === 'row' && q.field.label === f.label);
  if (twins.length < 2) return label;
  const group = f.id.split('.')[0]!;
  const heading = placed.find((q) => q.kind === 'heading' && q.field.id === group);
  return `${label}（${heading ? fieldText(heading.field) : group}）`;
}

/**
 * Compares one page's text runs with its sealed fields, cell by cell: each run belongs to the
 * cell its start lies in; a cell's runs joined must equal the sealed text; a run in no cell is
 * printed text the seal does not cover.
 */
export function compareText(seal: SealPayload, runs: PositionedText[]): FieldDifference[] {
  const placed = placePage(seal.fields);
  const cells = placed.flatMap((p) => [
    ...(p.label && p.kind === 'row'
      ? [{ p, part: 'label' as const, rect: p.label, text: p.field.label ?? '' }]
      : []),
    ...(p.label && p.kind === 'image'
      ? [{ p, part: 'label' as const, rect: p.label, text: p.field.id === 'inei' ? '印影' : '' }]
      : []),
    ...(p.kind === 'image'
      ? []
      : [
          {
            p,
            part: 'value' as const,
            rect: p.value,
            text: p.kind === 'number' ? `発行番号${p.text}` : p.text,
          },
        ]),
  ]);
  const got = new Map<(typeof cells)[number], PositionedText[]>();
  const diffs: FieldDifference[] = [];
  let pageNo = '';
  for (const r of runs) {
    const x = r.x + Math.min(2, r.size * 0.2);
    const y = r.y - r.size * 0.35;
    if (inside(PAGE_NO_BOX, x, y)) {
      pageNo += r.str;
      continue;
    }
    if (inside(NOTE_BOX, x, y) || inside({ ...QR_BOX, w: QR_BOX.size, h: QR_BOX.size }, x, y)) continue;
    // The most specific cell: rows before the attestation/mayor areas they never overlap anyway.
    const cell = cells.find((c) => inside(c.rect, x, y));
    if (!cell) {
      diffs.push({
        page: seal.page,
        fieldId: '',
        name: `位置 (${Math.round(r.x)}, ${Math.round(r.y)}) の文字`,
        printed: r.str,
        signed: '(なし)',
      });
      continue;
    }
    got.set(cell, [...(got.get(cell) ?? []), r]);
  }
  if (squash(pageNo) !== `${seal.page}/${seal.pageCount}頁`)
    diffs.push({
      page: seal.page,
      fieldId: 'page',
      name: '頁番号',
      printed: pageNo.trim() || '(なし)',
      signed: `${seal.page} / ${seal.pageCount} 頁`,
    });
  for (const c of cells) {
    const printedRuns = (got.get(c) ?? []).sort((a, b) =>
      Math.abs(a.y - b.y) > a.size * 0.5 ? a.y - b.y : a.x - b.x,
    );
    const printed = printedRuns.map((r) => r.str).join('');
    if (squash(printed) !== squash(c.text))
      diffs.push({
        page: seal.page,
        fieldId: c.p.field.id,
        name: fieldName(c.p, placed, c.part),
        printed: printed.trim() || '(なし)',
        signed: c.text || '(なし)',
      });
  }
  return diffs;
}

const mm = (pt: number) => Math.round((pt * 25.4) / 72);
const IMAGE_KIND = {
  extraInk: 'ink the signed content does not have',
  missingInk: 'ink of the signed content missing',
  noImage: 'no impression',
} as const;

export const describeDifference = (d: FieldDifference) =>
  d.image
    ? `${d.name} on page ${d.page}: ${IMAGE_KIND[d.image.kind]} at ${mm(d.image.at.x)}, ${mm(d.image.at.y)} mm` +
      (d.signed ? `, signed ${d.signed}` : '')
    : `${d.name} on page ${d.page}: printed ${d.printed}, signed ${d.signed}`;

/** The image differences of one page as field differences, one per field (its largest blob). */
function imageDifferences(seal: SealPayload, found: ScanDifference[]): FieldDifference[] {
  const placed = placePage(seal.fields);
  const byField = new Map<string, ScanDifference>();
  for (const d of found) {
    const key = d.fieldId || `@${Math.round(d.at.x)},${Math.round(d.at.y)}`;
    const had = byField.get(key);
    if (!had || d.pixels > had.pixels) byField.set(key, d);
  }
  return [...byField.values()].map((d) => {
    const p = placed.find((q) => q.field.id === d.fieldId);
    const name = p
      ? fieldName(p, placed, 'value')
      : d.fieldId === 'page'
        ? '頁番号'
        : `位置 (${mm(d.at.x)}, ${mm(d.at.y)} mm)`;
    const signed = p
      ? p.kind === 'image'
        ? ''
        : p.text
      : d.fieldId === 'page'
        ? `${seal.page} / ${seal.pageCount} 頁`
        : '';
    return {
      page: seal.page,
      fieldId: d.fieldId,
      name,
      printed: '',
      signed,
      image: { kind: d.kind, at: d.at },
    };
  });
}

/** The configured 公印 must be the one the registry sealed (its hash in the koin field). */
function sealImageCheck(seals: SealPayload[], png: Uint8Array | undefined): VerifyResult | undefined {
  if (!png) return undefined;
  const sealed = seals.flatMap((s) => s.fields.filter((f) => f.id === 'koin').map((f) => String(f.raw)));
  if (sealed.some((h) => h !== imageHash(png)))
    return fail('sealImageMismatch', 'the configured 公印 is not the one the registry sealed');
  return undefined;
}

function contentFailure(diffs: FieldDifference[]): VerifyResult {
  const textual = diffs.some((d) => d.fieldId !== 'koin' && d.fieldId !== 'inei');
  return fail(
    textual ? 'textMismatch' : 'sealImageMismatch',
    `${textual ? 'the printed text differs from the signed content' : 'the printed seal impression differs'}: ${diffs.map(describeDifference).join('; ')}`,
    diffs,
  );
}

/**
 * Verifies a certificate PDF: every page's seal, every field of every page against its text, and
 * each page as drawn against the sealed page drawn again (what the text layer says is not always
 * what the glyphs show).
 */
export async function verifyPdf(
  pdf: Uint8Array,
  keys: JWK[],
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  let pageCount: number;
  try {
    const doc = await openPdf(pdf);
    pageCount = doc.numPages;
    await doc.destroy();
  } catch (e) {
    return fail('unreadableFile', `not a readable PDF: ${(e as Error).message}`);
  }
  const texts: string[] = [];
  const pageOfSeal = new Map<string, number>();
  for (let n = 1; n <= pageCount; n++) {
    const pad = 12;
    const found = await readQrCodes(
      await rasterizePdfRegion(pdf, n, 3, {
        x: QR_BOX.x - pad,
        y: QR_BOX.y - pad,
        w: QR_BOX.size + 2 * pad,
        h: QR_BOX.size + 2 * pad,
      }),
    );
    if (!found.length) return fail('noQrCode', `no seal QR code on page ${n}`);
    for (const q of found) {
      texts.push(q.text);
      pageOfSeal.set(q.text, n);
    }
  }
  const checked = checkSeals(texts, keys, pageCount);
  if (!checked.ok) return checked;
  const wrongSeal = sealImageCheck(checked.seals, options.officialSealPng);
  if (wrongSeal) return wrongSeal;
  const runs = await pdfTextRuns(pdf);
  const diffs: FieldDifference[] = [];
  for (const s of checked.seals) {
    const at = pageOfSeal.get(s.text)!;
    if (at !== s.page) return fail('pageMismatch', `the seal of page ${s.page} is printed on page ${at}`);
    const textDiffs = compareText(s, runs[at - 1]!.runs);
    diffs.push(...textDiffs);
    // The drawing: a field the text layer already reports is not reported twice.
    const page = await rasterizePdfPage(pdf, at, COMPARE_DPI / 72);
    const corners = qrCornersOnPage(s.text);
    const drawn = imageDifferences(s, await compareScan(page, corners, s, options.officialSealPng));
    diffs.push(...drawn.filter((d) => !textDiffs.some((t) => t.fieldId === d.fieldId)));
  }
  if (diffs.length) return contentFailure(diffs);
  const first = checked.seals[0]!;
  return {
    ok: true,
    documentId: first.documentId,
    municipalityCode: first.municipalityCode,
    kid: first.kid,
    pages: checked.seals.map((s) => ({ page: s.page, pageCount: s.pageCount, fields: s.fields })),
    textChecked: true,
    sealImageChecked: options.officialSealPng !== undefined,
  };
}

/**
 * Verifies a scanned page (or several pages, or a thermal roll): its seals, and every page whose
 * code was located against the sealed page drawn again, field by field.
 */
export async function verifyImage(
  img: RgbaImage,
  keys: JWK[],
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const found = await readQrCodes(img);
  const checked = checkSeals(
    found.map((q) => q.text),
    keys,
  );
  if (!checked.ok) return checked;
  const wrongSeal = sealImageCheck(checked.seals, options.officialSealPng);
  if (wrongSeal) return wrongSeal;
  const diffs: FieldDifference[] = [];
  let compared = 0;
  for (const s of checked.seals) {
    const corners = found.find((q) => q.text === s.text)?.corners ?? [];
    // A4 pages only: a seal on a thermal roll has no fixed place on a page.
    if (!pageInImage(img, corners, s.text)) continue;
    diffs.push(...imageDifferences(s, await compareScan(img, corners, s, options.officialSealPng)));
    compared++;
  }
  if (diffs.length) return contentFailure(diffs);
  const first = checked.seals[0]!;
  return {
    ok: true,
    documentId: first.documentId,
    municipalityCode: first.municipalityCode,
    kid: first.kid,
    pages: checked.seals.map((s) => ({ page: s.page, pageCount: s.pageCount, fields: s.fields })),
    textChecked: compared === checked.seals.length,
    sealImageChecked: compared === checked.seals.length && options.officialSealPng !== undefined,
  };
}
