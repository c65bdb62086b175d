// `madoguchi verify <file>`: checks a printed certificate offline — a PDF, or a PNG scan of its back.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { REGISTRY_PUBLIC_JWK } from '../../registry/document.js';
import { readPng } from '../../documents/raster.js';
import { verifyImage, verifyPdf, type VerifyResult } from '../../documents/verify.js';
import { toForm } from '../../documents/form.js';

export function formatVerifyResult(r: VerifyResult): string {
  if (!r.ok) return `NOT VERIFIED (${r.reason}): ${r.message}\n`;
  const f = toForm(r.document);
  const lines = [
    `VERIFIED: signed by the registry (kid ${JSON.stringify(r.document.signature.split('.')[0] ? JSON.parse(Buffer.from(r.document.signature.split('.')[0]!, 'base64url').toString()).kid : '')})`,
    `  ${f.title}　${f.municipality}　発行番号 ${f.issuanceNumber}　${f.issuedOn}`,
    ...f.header.map((h) => `  ${h.label}: ${h.value}`),
    ...f.blocks.flatMap((b) => b.rows.map((row) => `  ${b.heading ? `[${b.heading}] ` : ''}${row.label}: ${row.value}`)),
    `  ${f.attestation}　${f.mayorLine}`,
    r.textChecked ? '  the printed text matches the signed content' : '  scan: compare the content above with the paper',
  ];
  return lines.join('\n') + '\n';
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('verify a printed certificate (PDF, or PNG scan of the back) with the registry public key')
    .argument('<file>', 'certificate PDF or PNG scan')
    .option('--key <jwk.json>', "registry public key(s), a JWK or an array; default: the registry simulator's key")
    .action(async (file: string, o: { key?: string }) => {
      const keys: JWK[] = o.key ? [JSON.parse(readFileSync(o.key, 'utf8'))].flat() : [REGISTRY_PUBLIC_JWK];
      const head = readFileSync(file).subarray(0, 8);
      const result = head.subarray(0, 5).toString('latin1') === '%PDF-' ? await verifyPdf(readFileSync(file), keys) : await verifyImage(readPng(file), keys);
      process.stdout.write(formatVerifyResult(result));
      process.exit(result.ok ? 0 : 1);
    });
}
