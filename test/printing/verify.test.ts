// Offline verification of printed certificates: every page's seal against the registry's keys,
// and every printed field against its seal. Forged, re-signed and foreign-key seals, swapped and
// dropped pages, and a one-character change of any field on any certificate type all fail, each
// with its own reason and the field named.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { toForm } from '../../src/documents/form.js';
import type { PageField } from '../../src/documents/layout.js';
import { drawPages, renderCertificatePdf, sealedPages } from '../../src/documents/pdf.js';
import { degrade, randomDefects, scanPage } from '../../src/documents/scan-sim.js';
import { writePng } from '../../src/documents/raster.js';
import { describeDifference, verifyImage, verifyPdf } from '../../src/documents/verify.js';
import { CertificateType, type SignedDocument, type SigningKey } from '../../src/registry/document.js';
import type { JWK } from 'jose';
import { sealPng } from '../../fixtures/registry/content.js';
import { issue, sample, testKey } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'madoguchi-verify-test-'));
let key: SigningKey;
let keys: JWK[];
beforeAll(async () => {
  const k = await testKey();
  key = k.key;
  keys = [k.publicJwk];
});

/** One character changed: the last one of a text, one digit of a number. */
function oneCharEdit(f: PageField): PageField {
  if (typeof f.raw === 'string') {
    const chars = [...f.raw];
    const last = chars.at(-1)!;
    chars[chars.length - 1] = last === '一' ? '二' : '一';
    return { ...f, raw: chars.join('') };
  }
  switch (f.type) {
    case 'date':
      return { ...f, raw: f.raw % 100 >= 28 ? f.raw - 1 : f.raw + 1 };
    case 'yen':
      return {
        ...f,
        raw: f.raw >= 20000 ? f.raw + (Math.floor(f.raw / 10000) % 10 === 9 ? -10000 : 10000) : f.raw + 1,
      };
    default:
      return { ...f, raw: f.raw + 1 };
  }
}
const TEXT_FIELDS = (f: PageField) => f.id !== 'koin' && f.id !== 'inei';

describe('verify a PDF', () => {
  it('accepts the untouched certificate of every type and returns the sealed fields', async () => {
    for (const type of CertificateType.options) {
      const doc = await sample(type, key);
      const r = await verifyPdf((await renderCertificatePdf(doc)).pdf, keys);
      expect(r, type).toMatchObject({ ok: true, textChecked: true, documentId: doc.issuanceNumber });
    }
  }, 120_000);

  it('reports by field a one-character change of the birth date', async () => {
    const doc = await sample('shotoku-kazei', key);
    const pages = sealedPages(doc).map((p) => ({
      ...p,
      fields: p.fields.map((f) => (f.id === 'h.birth' ? oneCharEdit(f) : f)),
    }));
    const r = await verifyPdf((await drawPages(pages, toForm(doc), 'note')).pdf, keys);
    expect(r).toMatchObject({ ok: false, reason: 'textMismatch' });
    if (!r.ok)
      expect(r.differences!.map(describeDifference)).toEqual([
        '生年月日 on page 1: printed 昭和47年4月16日, signed 昭和47年4月15日',
      ]);
  }, 60_000);

  // Every field of every page edited at once, values and labels: each must be reported on its own.
  it.each(CertificateType.options)(
    'catches a one-character change of every printed field of %s',
    async (type) => {
      const doc = await sample(type, key);
      const form = toForm(doc);
      const sealed = sealedPages(doc, form);
      for (const [i, page] of sealed.entries()) {
        const edited = page.fields.map((f) => (TEXT_FIELDS(f) ? oneCharEdit(f) : f));
        const pages = sealed.map((p, j) => (j === i ? { ...p, fields: edited } : p));
        const r = await verifyPdf((await drawPages(pages, form, 'note')).pdf, keys);
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.reason).toBe('textMismatch');
        const reported = new Set(r.differences!.filter((d) => d.page === i + 1).map((d) => d.fieldId));
        expect(
          [...page.fields.filter(TEXT_FIELDS).map((f) => f.id)].filter((id) => !reported.has(id)),
        ).toEqual([]);
        // …and the labels of the rows.
        const relabelled = page.fields.map((f) =>
          f.label ? { ...f, label: `${f.label.slice(0, -1)}${f.label.endsWith('欄') ? '枠' : '欄'}` } : f,
        );
        const r2 = await verifyPdf(
          (
            await drawPages(
              sealed.map((p, j) => (j === i ? { ...p, fields: relabelled } : p)),
              form,
              'note',
            )
          ).pdf,
          keys,
        );
        expect(r2.ok).toBe(false);
        if (!r2.ok)
          expect(new Set(r2.differences!.map((d) => d.fieldId))).toEqual(
            new Set(page.fields.filter((f) => f.label).map((f) => f.id)),
          );
      }
    },
    120_000,
  );

  it('refuses a page swapped in from another certificate, a dropped page and a page moved', async () => {
    const a = await sample('juminhyo', key);
    const { signature: _s, seals: _x, ...content } = a;
    const b = await issue({ ...content, issuanceNumber: '012050-2026-0000099' }, key);
    const pa = sealedPages(a);
    const pb = sealedPages(b);
    expect(pa.length).toBeGreaterThan(1);
    const swapped = await verifyPdf((await drawPages([pa[0]!, pb[1]!], toForm(a), 'note')).pdf, keys);
    expect(swapped).toMatchObject({ ok: false, reason: 'pageMismatch' });
    const dropped = await verifyPdf((await drawPages([pa[0]!], toForm(a), 'note')).pdf, keys);
    expect(dropped).toMatchObject({ ok: false, reason: 'pageMismatch' });
    const moved = await verifyPdf((await drawPages([pa[1]!, pa[0]!], toForm(a), 'note')).pdf, keys);
    expect(moved).toMatchObject({ ok: false, reason: 'pageMismatch' });
  }, 60_000);

  it('refuses seals of a key that is not trusted, or not the registry’s', async () => {
    const doc = await sample('inkan', key);
    const pdf = (await renderCertificatePdf(doc)).pdf;
    const other = await testKey('someone-else');
    expect(await verifyPdf(pdf, [other.publicJwk])).toMatchObject({ ok: false, reason: 'unknownKey' });
    // The same kid, another key: the signature does not verify.
    const impostor = await testKey('test-registry');
    expect(await verifyPdf(pdf, [impostor.publicJwk])).toMatchObject({ ok: false, reason: 'badSignature' });
  }, 60_000);

  it('says so for a file that is not a PDF', async () => {
    expect(await verifyPdf(Buffer.from('%PDF-1.7 broken'), keys)).toMatchObject({
      ok: false,
      reason: 'unreadableFile',
    });
  });
});

describe('verify a scan', () => {
  let doc: SignedDocument;
  let pdf: Buffer;
  beforeAll(async () => {
    doc = await sample('koseki-zenbu', key);
    pdf = (await renderCertificatePdf(doc)).pdf;
  });

  it('verifies a moderately degraded 200 dpi scan of each page and returns its sealed fields', async () => {
    const pages = sealedPages(doc);
    for (let n = 1; n <= pages.length; n++) {
      const scan = degrade(await scanPage(pdf, n), randomDefects('moderate', 40 + n), n);
      const r = await verifyImage(scan, keys);
      expect(r).toMatchObject({ ok: true, textChecked: true, sealImageChecked: false });
      if (r.ok) expect(r.pages).toEqual([{ page: n, pageCount: pages.length, fields: pages[n - 1]!.fields }]);
    }
  }, 60_000);

  // The scan has no text layer: the page is compared with the sealed page drawn again. Every field
  // of a page edited by one character must be reported on its own, and the untouched page pass.
  it.each(CertificateType.options)(
    'catches a one-character change of every field on mild and moderate scans of %s',
    async (type) => {
      const d = await sample(type, key);
      const form = toForm(d);
      const sealed = sealedPages(d, form);
      const clean = (await renderCertificatePdf(d)).pdf;
      for (const [i, page] of sealed.entries()) {
        const edited = page.fields.map((f) => (TEXT_FIELDS(f) ? oneCharEdit(f) : f));
        const forged = (
          await drawPages(
            sealed.map((p, j) => (j === i ? { ...p, fields: edited } : p)),
            form,
            'note',
          )
        ).pdf;
        for (const [k, grade] of (['mild', 'moderate'] as const).entries()) {
          const defects = randomDefects(grade, 100 * i + k + 7);
          const good = await verifyImage(degrade(await scanPage(clean, i + 1), defects, i), keys, {
            officialSealPng: form.officialSealPng,
          });
          expect(good, `${type} page ${i + 1} ${grade}`).toMatchObject({
            ok: true,
            textChecked: true,
            sealImageChecked: true,
          });
          const bad = await verifyImage(degrade(await scanPage(forged, i + 1), defects, i), keys, {
            officialSealPng: form.officialSealPng,
          });
          expect(bad, `${type} page ${i + 1} ${grade}`).toMatchObject({ ok: false, reason: 'textMismatch' });
          if (bad.ok) return;
          const reported = new Set(bad.differences!.map((x) => x.fieldId));
          expect(
            page.fields
              .filter(TEXT_FIELDS)
              .map((f) => f.id)
              .filter((id) => !reported.has(id)),
          ).toEqual([]);
          // Nothing but the edited fields.
          expect([...reported].filter((id) => !edited.some((f) => f.id === id))).toEqual([]);
        }
      }
    },
    180_000,
  );

  it('compares the 公印 with the configured one: a swapped or missing 公印 is caught', async () => {
    const d = await sample('juminhyo', key);
    const form = toForm(d);
    const sealed = sealedPages(d, form);
    const last = sealed.length;
    const scanOf = async (f: Partial<Pick<typeof form, 'officialSealPng'>>) =>
      degrade(
        await scanPage((await drawPages(sealed, { ...form, ...f }, 'note')).pdf, last),
        randomDefects('mild', 3),
        3,
      );
    const configured = { officialSealPng: form.officialSealPng };
    const other = Buffer.from(sealPng('札幌市長之印', 'square', 120), 'base64');
    const swapped = await verifyImage(await scanOf({ officialSealPng: other }), keys, configured);
    expect(swapped).toMatchObject({ ok: false, reason: 'sealImageMismatch' });
    if (!swapped.ok) {
      expect(new Set(swapped.differences!.map((x) => x.fieldId))).toEqual(new Set(['koin']));
      expect(describeDifference(swapped.differences![0]!)).toMatch(/^公印 on page \d: ink /);
    }
    const missing = await verifyImage(await scanOf({ officialSealPng: Buffer.alloc(0) }), keys, configured);
    expect(missing).toMatchObject({ ok: false, reason: 'sealImageMismatch' });
    if (!missing.ok)
      expect(missing.differences!.map((x) => [x.fieldId, x.image?.kind])).toContainEqual([
        'koin',
        'missingInk',
      ]);
    // The configured 公印 is not the one the registry sealed.
    expect(await verifyImage(await scanOf({}), keys, { officialSealPng: other })).toMatchObject({
      ok: false,
      reason: 'sealImageMismatch',
    });
    // A PDF whose 公印 was swapped: its text layer is intact, the drawing is not.
    const pdfSwapped = await verifyPdf(
      (await drawPages(sealed, { ...form, officialSealPng: other }, 'note')).pdf,
      keys,
      configured,
    );
    expect(pdfSwapped).toMatchObject({ ok: false, reason: 'sealImageMismatch' });
  }, 120_000);

  it('finds a 印影 cell left empty on a scanned 印鑑登録証明書', async () => {
    const d = await sample('inkan', key);
    const form = toForm(d);
    const sealed = sealedPages(d, form);
    const pdf = (await drawPages(sealed, { ...form, registeredSealPng: Buffer.alloc(0) }, 'note')).pdf;
    const r = await verifyImage(degrade(await scanPage(pdf, 1), randomDefects('mild', 5), 5), keys);
    expect(r).toMatchObject({ ok: false, reason: 'sealImageMismatch' });
    if (!r.ok) expect(r.differences!.map((x) => [x.fieldId, x.image?.kind])).toEqual([['inei', 'noImage']]);
  }, 60_000);

  it('finds no code on a blank page', async () => {
    const blank = { width: 300, height: 300, data: new Uint8ClampedArray(300 * 300 * 4).fill(255) };
    expect(await verifyImage(blank, keys)).toMatchObject({ ok: false, reason: 'noQrCode' });
  });

  it('`madoguchi verify` exits 0 with the fields, 1 with each difference', async () => {
    const run = promisify(execFile);
    const keyFile = join(dir, 'jwks.json');
    writeFileSync(keyFile, JSON.stringify({ keys }));
    const good = join(dir, 'good.pdf');
    writeFileSync(good, pdf);
    const ok = await run('node', ['bin/madoguchi.js', 'verify', good, '--key', keyFile]);
    expect(ok.stdout).toMatch(/^VERIFIED/);
    expect(ok.stdout).toContain('戸籍全部事項証明書');
    const bad = join(dir, 'bad.pdf');
    const sealed = sealedPages(doc);
    const forged = sealed.map((p, i) =>
      i === 0 ? { ...p, fields: p.fields.map((f) => (f.id === 'm1.father' ? oneCharEdit(f) : f)) } : p,
    );
    writeFileSync(bad, (await drawPages(forged, toForm(doc), 'note')).pdf);
    const fail = await run('node', ['bin/madoguchi.js', 'verify', bad, '--key', keyFile]).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect('code' in fail && fail.code).toBe(1);
    expect(fail.stdout).toMatch(/^NOT VERIFIED \(textMismatch\)/);
    expect(fail.stdout).toContain('\n  父（1） on page 1: printed 山田 一, signed 山田 茂');
    // The same forgery printed and scanned: found without a text layer, 公印 compared too.
    const sealFile = join(dir, 'koin.png');
    writeFileSync(sealFile, toForm(doc).officialSealPng);
    const scanFile = join(dir, 'scan.png');
    writeFileSync(
      scanFile,
      writePng(degrade(await scanPage(readFileSync(bad), 1), randomDefects('mild', 9), 9)),
    );
    const scanned = await run('node', [
      'bin/madoguchi.js',
      'verify',
      scanFile,
      '--key',
      keyFile,
      '--official-seal',
      sealFile,
    ]).catch((e: { code: number; stdout: string }) => e);
    expect('code' in scanned && scanned.code).toBe(1);
    expect(scanned.stdout).toMatch(/^NOT VERIFIED \(textMismatch\)/);
    expect(scanned.stdout).toMatch(/\n {2}父（1） on page 1: ink .* at \d+, \d+ mm, signed 山田 茂\n/);
    writeFileSync(scanFile, writePng(degrade(await scanPage(pdf, 1), randomDefects('mild', 9), 9)));
    const scannedOk = await run('node', [
      'bin/madoguchi.js',
      'verify',
      scanFile,
      '--key',
      keyFile,
      '--official-seal',
      sealFile,
    ]);
    expect(scannedOk.stdout).toContain('every printed field matches the signed content');
    expect(scannedOk.stdout).toContain('the 公印 is the configured one');
    writeFileSync(bad, readFileSync(good).subarray(0, 2000));
    const broken = await run('node', ['bin/madoguchi.js', 'verify', bad, '--key', keyFile]).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect(broken.stdout).toMatch(/^NOT VERIFIED \(unreadableFile\)/);
  }, 120_000);
});
