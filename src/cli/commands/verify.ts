// `madoguchi verify <file>`: checks a printed certificate offline — a PDF, or a PNG scan of a page:
// the seals, and every printed field (and, given the municipality's 公印, the 公印) against them.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { dataPaths } from '../../config/load.js';
import { configuredRegistryKeys } from '../../registry/index.js';
import { loadJwksFile, RegistryKeyError } from '../../registry/keys.js';
import { configFrom } from '../options.js';
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
    ...r.pages.flatMap((p) => [
      `  page ${p.page} / ${p.pageCount}`,
      ...p.fields.map((f) => `    ${f.label ?? f.id}: ${fieldText(f)}`),
    ]),
    r.textChecked
      ? '  every printed field matches the signed content'
      : '  the seals verify; the page was not found whole in the image, so compare the fields above with the paper',
    r.sealImageChecked
      ? '  the 公印 is the configured one'
      : '  the 公印 was not compared (no --official-seal given)',
  ];
  return lines.join('\n') + '\n';
}

/** The key set to verify with: --keys FILE, else the configuration's (registry.signingKeys, the embedded simulator's). */
function keysFor(file: string | undefined, cmd: Command): JWK[] {
  try {
    if (file) return loadJwksFile(file);
    const config = configFrom(cmd);
    const keys = configuredRegistryKeys(config.registry, dataPaths(config).dataDir);
    if (keys.length) return keys;
    process.stderr.write(
      'cannot verify: no registry signing keys configured (registry.signingKeys, or --keys FILE)\n',
    );
  } catch (e) {
    if (!(e instanceof RegistryKeyError)) throw e;
    process.stderr.write(`cannot verify: ${e.message}\n`);
  }
  process.exit(2);
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('verify a printed certificate (PDF, or PNG scan of a page) with the registry public keys')
    .argument('<file>', 'certificate PDF or PNG scan')
    .option(
      '--keys <jwks.json>',
      'the registry public key set (a JWKS, an array of JWKs or one JWK); default: the configured registry.signingKeys',
    )
    .option('--key <jwks.json>', 'the same as --keys')
    .option(
      '--official-seal <png>',
      "the municipality's 公印 image: it must be the one sealed, and the printed 公印 must match it",
    )
    .action(async (file: string, o: { keys?: string; key?: string; officialSeal?: string }, cmd: Command) => {
      const keys = keysFor(o.keys ?? o.key, cmd);
      const options = o.officialSeal ? { officialSealPng: readFileSync(o.officialSeal) } : {};
      const head = readFileSync(file).subarray(0, 8);
      const result =
        head.subarray(0, 5).toString('latin1') === '%PDF-'
          ? await verifyPdf(readFileSync(file), keys, options)
          : await verifyImage(readPng(file), keys, options);
      process.stdout.write(formatVerifyResult(result));
      process.exit(result.ok ? 0 : 1);
    });
}
