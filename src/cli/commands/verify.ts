// `madoguchi verify <file>`: checks a printed certificate offline — a PDF, or a PNG scan of its back.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { dataPaths } from '../../config/load.js';
import { configuredRegistryKeys } from '../../registry/index.js';
import { loadJwksFile, RegistryKeyError } from '../../registry/keys.js';
import { configFrom } from '../options.js';
import { readPng } from '../../documents/raster.js';
import { verifyImage, verifyPdf, type VerifyResult } from '../../documents/verify.js';
import { toForm } from '../../documents/form.js';

export function formatVerifyResult(r: VerifyResult): string {
  if (!r.ok) return `NOT VERIFIED (${r.reason}): ${r.message}\n`;
  const f = toForm(r.document);
  const lines = [
    `VERIFIED: signed by the registry (kid ${JSON.stringify(signingKid(r.document.signature))})`,
    `  ${f.title}　${f.municipality}　発行番号 ${f.issuanceNumber}　${f.issuedOn}`,
    ...f.header.map((h) => `  ${h.label}: ${h.value}`),
    ...f.blocks.flatMap((b) => b.rows.map((row) => `  ${b.heading ? `[${b.heading}] ` : ''}${row.label}: ${row.value}`)),
    `  ${f.attestation}　${f.mayorLine}`,
    r.textChecked ? '  the printed text matches the signed content' : '  scan: compare the content above with the paper',
  ];
  return lines.join('\n') + '\n';
}

function signingKid(jws: string): string {
  try {
    return String((JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString()) as { kid?: unknown }).kid ?? '');
  } catch {
    return '';
  }
}

/** The key set to verify with: --keys FILE, else the configuration's (registry.signingKeys, the embedded simulator's). */
function keysFor(o: { keys?: string }, cmd: Command): JWK[] {
  try {
    if (o.keys) return loadJwksFile(o.keys);
    const config = configFrom(cmd);
    const keys = configuredRegistryKeys(config.registry, dataPaths(config).dataDir);
    if (keys.length) return keys;
    process.stderr.write('cannot verify: no registry signing keys configured (registry.signingKeys, or --keys FILE)\n');
  } catch (e) {
    if (!(e instanceof RegistryKeyError)) throw e;
    process.stderr.write(`cannot verify: ${e.message}\n`);
  }
  process.exit(2);
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description("verify a printed certificate (PDF, or PNG scan of the back) with the registry's signing keys")
    .argument('<file>', 'certificate PDF or PNG scan')
    .option('--keys <jwks.json>', 'registry public keys (JWKS); default: the key set of the configuration (registry.signingKeys)')
    .action(async (file: string, o: { keys?: string }, cmd: Command) => {
      const keys = keysFor(o, cmd);
      const head = readFileSync(file).subarray(0, 8);
      const result = head.subarray(0, 5).toString('latin1') === '%PDF-' ? await verifyPdf(readFileSync(file), keys) : await verifyImage(readPng(file), keys);
      process.stdout.write(formatVerifyResult(result));
      process.exit(result.ok ? 0 : 1);
    });
}
