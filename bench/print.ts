// `madoguchi bench print`: certificate PDF render time per page (with the 地紋), the thermal
// layout + raster time for a 576-dot head, the bytes each printer receives, the size of the page
// seals, and how many simulated 200 dpi scans of every page of every type verify (mild and
// moderate defects: seal and every field compared), how many one-character forgeries of those
// scans are missed, with jsQR read on the same moderate scans for comparison.
import type { BenchArea, BenchRow } from '../src/bench/harness.js';
import { percentile, round } from '../src/bench/harness.js';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import QRCode from 'qrcode';
import { sealDocument } from '../src/documents/issue-seals.js';
import { toForm } from '../src/documents/form.js';
import type { PageField } from '../src/documents/layout.js';
import {
  defaultVerificationNote,
  drawPages,
  renderCertificatePdf,
  sealedPages,
} from '../src/documents/pdf.js';
import { jsqrDecoder, readQrCodes } from '../src/documents/qr-read.js';
import { degrade, randomDefects, scanPage, SCAN_GRADES } from '../src/documents/scan-sim.js';
import { verifyImage } from '../src/documents/verify.js';
import { signDocument, type SignedDocument, type SigningKey } from '../src/registry/document.js';
import { rasterizePdfPage } from '../src/documents/raster.js';
import { SAMPLE_TYPES, sampleDocument } from '../src/documents/samples-index.js';
import {
  receiptEscPos,
  thermalCertificateEscPos,
  thermalCertificateRaster,
} from '../src/documents/thermal.js';

/** One character changed: the last of a text (一 ↔ 二), a day of a date, a digit of an amount or year. */
function oneCharacterEdit(f: PageField): PageField {
  if (typeof f.raw === 'string') {
    const chars = [...f.raw];
    chars[chars.length - 1] = chars.at(-1) === '一' ? '二' : '一';
    return { ...f, raw: chars.join('') };
  }
  if (f.type === 'date') return { ...f, raw: f.raw % 100 >= 28 ? f.raw - 1 : f.raw + 1 };
  if (f.type === 'yen' && f.raw >= 20000)
    return { ...f, raw: f.raw + (Math.floor(f.raw / 10000) % 10 === 9 ? -10000 : 10000) };
  return { ...f, raw: f.raw + 1 };
}

const time = async <T>(fn: () => Promise<T> | T): Promise<[number, T]> => {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v];
};

const bench: BenchArea = async ({ quick }) => {
  const runs = quick ? 2 : 6;
  const rows: BenchRow[] = [];
  const perPage: number[] = [];
  const pdfBytes: number[] = [];
  // The samples re-issued under a key made for this run, whose public half the scans verify against.
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const key: SigningKey = {
    kid: 'bench-registry',
    privateJwk: { ...(await exportJWK(privateKey)), kid: 'bench-registry' },
  };
  const keys: JWK[] = [{ ...(await exportJWK(publicKey)), kid: 'bench-registry' }];
  const reissue = async (d: SignedDocument) => {
    const { signature: _s, seals: _x, ...content } = d;
    return sealDocument(await signDocument(content, key), key);
  };
  const docs = await Promise.all(SAMPLE_TYPES.map(async (t) => reissue(await sampleDocument(t))));
  for (const d of docs) await renderCertificatePdf(d); // warm: font parse, JIT, every layout path
  for (const [i, doc] of docs.entries()) {
    const samples: number[] = [];
    let pages = 1;
    for (let r = 0; r < runs; r++) {
      const [ms, out] = await time(() => renderCertificatePdf(doc));
      samples.push(ms / out.pages);
      pages = out.pages;
      if (r === 0) pdfBytes.push(out.pdf.length);
    }
    const med = percentile(samples, 50);
    perPage.push(med);
    rows.push({
      metric: `pdf ${SAMPLE_TYPES[i]}`,
      value: round(med),
      unit: 'ms/page',
      note: `${pages} page(s), ${pdfBytes.at(-1)} bytes`,
    });
  }
  const juminhyo = docs[0]!;
  thermalCertificateRaster(juminhyo, 576); // warm: canvas font registration
  const rasterMs: number[] = [];
  for (let r = 0; r < runs; r++)
    rasterMs.push((await time(() => thermalCertificateRaster(juminhyo, 576)))[0]);
  const raster = thermalCertificateRaster(juminhyo, 576);
  rows.push({
    metric: 'thermal layout+raster 576 dots',
    value: round(percentile(rasterMs, 50)),
    unit: 'ms',
    note: `${raster.width}x${raster.height} dots, native roll layout of the juminhyo`,
  });
  // For comparison only: the A4 page itself shrunk to 576 dots (unreadable on paper, see docs).
  const { pdf } = await renderCertificatePdf(juminhyo);
  await rasterizePdfPage(pdf, 1, 576 / 595.28);
  const [a4ms] = await time(() => rasterizePdfPage(pdf, 1, 576 / 595.28));
  rows.push({
    metric: 'A4 page rasterized to 576 dots',
    value: round(a4ms),
    unit: 'ms',
    note: 'pdfjs; comparison only',
  });
  const thermalBytes = thermalCertificateEscPos(juminhyo, 576).length;
  const receiptBytes = receiptEscPos({
    municipality: '室蘭市',
    title: '領収書',
    kioskId: 'MRN-DEMO-01',
    transactionRef: 'T-1',
    at: new Date(),
    lines: [
      { label: '住民票の写し 1通', amount: 200 },
      { label: 'お預り', amount: 1000 },
      { label: 'お釣り', amount: 800 },
    ],
  }).length;
  const pageBytes = Math.round(pdfBytes.reduce((a, b) => a + b, 0) / pdfBytes.length);
  rows.push({
    metric: 'bytes to page printer (PDF)',
    value: pageBytes,
    unit: 'bytes',
    note: 'mean per certificate',
  });
  rows.push({
    metric: 'bytes to thermal (certificate)',
    value: thermalBytes,
    unit: 'bytes',
    note: 'ESC/POS GS v 0',
  });
  rows.push({
    metric: 'bytes to thermal (receipt)',
    value: receiptBytes,
    unit: 'bytes',
    note: 'Kanji-mode text',
  });
  // Seals: the largest payload and QR version over every page of every type.
  const seals = docs.flatMap((d) => d.seals ?? []);
  const sealBytes = Math.max(...seals.map((t) => t.length));
  const qrVersionMax = Math.max(...seals.map((t) => QRCode.create(t, { errorCorrectionLevel: 'M' }).version));
  rows.push({
    metric: 'page seal, largest',
    value: sealBytes,
    unit: 'chars',
    note: `Base45 text, QR version ${qrVersionMax}-M (alphanumeric)`,
  });
  // Scans: every page of every type, `perGrade` seeded variants per grade. A scan verifies when its
  // seal does and the page matches the sealed page drawn again (no false alarm). The same defects
  // on a forgery of that page (one character of one field changed, a different field each time)
  // must be refused with that field named.
  const perGrade = quick ? 2 : 4;
  const tally = { mild: [0, 0], moderate: [0, 0], jsqrModerate: [0, 0] };
  const caught = { mild: [0, 0], moderate: [0, 0] };
  for (const [i, doc] of docs.entries()) {
    const { pdf, pages } = await renderCertificatePdf(doc);
    const form = toForm(doc);
    const sealed = sealedPages(doc, form);
    const options = { officialSealPng: form.officialSealPng };
    for (let page = 1; page <= pages; page++) {
      const clean = await scanPage(pdf, page);
      const editable = sealed[page - 1]!.fields.filter((f) => f.id !== 'koin' && f.id !== 'inei');
      for (const grade of Object.keys(SCAN_GRADES) as Array<keyof typeof SCAN_GRADES>) {
        for (let k = 0; k < perGrade; k++) {
          const seed = (i + 1) * 1000 + page * 100 + k;
          const scan = degrade(clean, randomDefects(grade, seed), seed);
          const r = await verifyImage(scan, keys, options);
          tally[grade][0]! +=
            r.ok && r.textChecked && r.pages.length === 1 && r.pages[0]!.page === page ? 1 : 0;
          tally[grade][1]! += 1;
          if (grade === 'moderate') {
            tally.jsqrModerate[0]! += (await readQrCodes(scan, jsqrDecoder)).length > 0 ? 1 : 0;
            tally.jsqrModerate[1]! += 1;
          }
          const target = editable[(seed * 7 + k) % editable.length]!;
          const forged = sealed.map((p, j) =>
            j === page - 1
              ? { ...p, fields: p.fields.map((f) => (f.id === target.id ? oneCharacterEdit(f) : f)) }
              : p,
          );
          const forgedPdf = (await drawPages(forged, form, defaultVerificationNote(form.municipality))).pdf;
          const fr = await verifyImage(
            degrade(await scanPage(forgedPdf, page), randomDefects(grade, seed), seed),
            keys,
            options,
          );
          caught[grade][0]! += !fr.ok && fr.differences?.some((d) => d.fieldId === target.id) ? 1 : 0;
          caught[grade][1]! += 1;
        }
      }
    }
  }
  const pct = ([ok, n]: number[]) => round((100 * ok!) / n!, 1);
  const verifyScanMildPct = pct(tally.mild);
  const verifyScanModeratePct = pct(tally.moderate);
  rows.push({
    metric: 'scans verified, mild',
    value: verifyScanMildPct,
    unit: '%',
    note: `${tally.mild[0]}/${tally.mild[1]} at 200 dpi: ±1.5°, blur σ ≤ 0.7 px, noise σ ≤ 8, tint, ±1 %; seal and every field; target ≥ 95`,
  });
  rows.push({
    metric: 'scans verified, moderate',
    value: verifyScanModeratePct,
    unit: '%',
    note: `${tally.moderate[0]}/${tally.moderate[1]}: ±3°, blur σ ≤ 1.2 px, noise σ ≤ 15, tint, ±2 %; seal and every field; target ≥ 80`,
  });
  for (const grade of ['mild', 'moderate'] as const) {
    rows.push({
      metric: `scans falsely refused, ${grade}`,
      value: round(100 - pct(tally[grade]), 1),
      unit: '%',
      note: 'untouched pages not verified (false positives)',
    });
    rows.push({
      metric: `one-character forgeries missed, ${grade}`,
      value: round(100 - pct(caught[grade]), 1),
      unit: '%',
      note: `${caught[grade][1]! - caught[grade][0]!}/${caught[grade][1]} scanned forgeries not refused with the edited field named (false negatives)`,
    });
  }
  rows.push({
    metric: 'moderate scans read by jsQR',
    value: pct(tally.jsqrModerate),
    unit: '%',
    note: 'comparison only: the verifier uses ZXing (zxing-wasm)',
  });
  const pdfMsPerPage = round(Math.max(...perPage));
  rows.unshift({ metric: 'pdf worst type', value: pdfMsPerPage, unit: 'ms/page', note: 'target ≤ 150' });
  return {
    rows,
    figures: {
      pdfMsPerPage,
      thermalRasterMs: round(percentile(rasterMs, 50)),
      pageBytes,
      thermalBytes,
      verifyScanMildPct,
      verifyScanModeratePct,
      qrVersionMax,
      sealBytes,
    },
  };
};

export default bench;
