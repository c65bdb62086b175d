// `madoguchi bench print`: certificate PDF render time per page (with the 地紋), the thermal
// layout + raster time for a 576-dot head, and the bytes each printer receives.
import type { BenchArea, BenchRow } from '../src/bench/harness.js';
import { percentile, round } from '../src/bench/harness.js';
import { renderCertificatePdf } from '../src/documents/pdf.js';
import { rasterizePdfPage } from '../src/documents/raster.js';
import { SAMPLE_TYPES, sampleDocument } from '../src/documents/samples-index.js';
import { receiptEscPos, thermalCertificateEscPos, thermalCertificateRaster } from '../src/documents/thermal.js';

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
  const docs = await Promise.all(SAMPLE_TYPES.map((t) => sampleDocument(t)));
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
    rows.push({ metric: `pdf ${SAMPLE_TYPES[i]}`, value: round(med), unit: 'ms/page', note: `${pages} pages incl. back, ${pdfBytes.at(-1)} bytes` });
  }
  const juminhyo = docs[0]!;
  thermalCertificateRaster(juminhyo, 576); // warm: canvas font registration
  const rasterMs: number[] = [];
  for (let r = 0; r < runs; r++) rasterMs.push((await time(() => thermalCertificateRaster(juminhyo, 576)))[0]);
  const raster = thermalCertificateRaster(juminhyo, 576);
  rows.push({ metric: 'thermal layout+raster 576 dots', value: round(percentile(rasterMs, 50)), unit: 'ms', note: `${raster.width}x${raster.height} dots, native roll layout of the juminhyo` });
  // For comparison only: the A4 page itself shrunk to 576 dots (unreadable on paper, see docs).
  const { pdf } = await renderCertificatePdf(juminhyo);
  await rasterizePdfPage(pdf, 1, 576 / 595.28);
  const [a4ms] = await time(() => rasterizePdfPage(pdf, 1, 576 / 595.28));
  rows.push({ metric: 'A4 page rasterized to 576 dots', value: round(a4ms), unit: 'ms', note: 'pdfjs; comparison only' });
  const thermalBytes = thermalCertificateEscPos(juminhyo, 576).length;
  const receiptBytes = receiptEscPos({ municipality: '室蘭市', title: '領収書', kioskId: 'MRN-DEMO-01', transactionRef: 'T-1', at: new Date(), lines: [{ label: '住民票の写し 1通', amount: 200 }, { label: 'お預り', amount: 1000 }, { label: 'お釣り', amount: 800 }] }).length;
  const pageBytes = Math.round(pdfBytes.reduce((a, b) => a + b, 0) / pdfBytes.length);
  rows.push({ metric: 'bytes to page printer (PDF)', value: pageBytes, unit: 'bytes', note: 'mean per certificate' });
  rows.push({ metric: 'bytes to thermal (certificate)', value: thermalBytes, unit: 'bytes', note: 'ESC/POS GS v 0' });
  rows.push({ metric: 'bytes to thermal (receipt)', value: receiptBytes, unit: 'bytes', note: 'Kanji-mode text' });
  const pdfMsPerPage = round(Math.max(...perPage));
  rows.unshift({ metric: 'pdf worst type', value: pdfMsPerPage, unit: 'ms/page', note: 'target ≤ 150' });
  return { rows, figures: { pdfMsPerPage, thermalRasterMs: round(percentile(rasterMs, 50)), pageBytes, thermalBytes } };
};

export default bench;
