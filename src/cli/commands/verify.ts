// `madoguchi verify <file>`: checks a printed certificate offline — a PDF, or a PNG scan of a page.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { readPng } from '../../documents/raster.js';
import { fieldText } from '../../documents/layout.js';
import { describeDifference, verifyImage, verifyPdf, type VerifyResult } from '../../documents/verify.js';

export function formatVerifyResult(r: VerifyResult): string {
  if (!r.ok) {
    const head = `NOT VERIFIED (${r.reason}): ${r.differences?.length ? 'the printed text differs from the signed content' : r.message}`;
    return [head, ...(r.differences ?? []).map((d) => `  ${describeDifference(d)}`)].join('\n') + '\n';
  }
  const lines = [
    `VERIFIED: sealed by the registry (kid ${r.kid}), ${r.documentId}, ${r.pages.length} of ${r.pages[0]?.pageCount ?? 0} page(s)`,
    ...r.pages.flatMap((p) => [`  page ${p.page} / ${p.pageCount}`, ...p.fields.map((f) => `    ${f.label ?? f.id}: ${fieldText(f)}`)]),
    r.textChecked ? '  every printed field matches the signed content' : '  scan: the seals verify; compare the fields above with the paper',
  ];
  return lines.join('\n') + '\n';
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('verify a printed certificate (PDF, or PNG scan of a page) with the registry public keys')
    .argument('<file>', 'certificate PDF or PNG scan')
    .requiredOption('--key <jwks.json>', 'the registry public key set: a JWKS, an array of JWKs or one JWK')
    .action(async (file: string, o: { key: string }) => {
      const raw = JSON.parse(readFileSync(o.key, 'utf8')) as JWK | JWK[] | { keys: JWK[] };
      const keys: JWK[] = Array.isArray(raw) ? raw : 'keys' in raw && Array.isArray(raw.keys) ? raw.keys : [raw as JWK];
      const head = readFileSync(file).subarray(0, 8);
      const result = head.subarray(0, 5).toString('latin1') === '%PDF-' ? await verifyPdf(readFileSync(file), keys) : await verifyImage(readPng(file), keys);
      process.stdout.write(formatVerifyResult(result));
      process.exit(result.ok ? 0 : 1);
    });
}
