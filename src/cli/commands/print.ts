// `madoguchi print sample`: a sample certificate from the simulator's fixture data (technicians'
// test page), as an A4 PDF or as the ESC/POS bytes / PNG of the thermal layout.
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { CertificateType } from '../../registry/document.js';
import { renderCertificatePdf } from '../../documents/pdf.js';
import { sampleDocument } from '../../documents/samples-index.js';
import { thermalCertificateEscPos } from '../../documents/thermal.js';

export function registerPrint(program: Command): void {
  const print = program.command('print').description('render certificates and test pages');
  print
    .command('sample')
    .description('render a sample certificate from the simulator fixtures')
    .requiredOption('--type <type>', `certificate type: ${CertificateType.options.join(', ')}`)
    .requiredOption('--out <file>', 'output file (.pdf, or .bin for thermal ESC/POS bytes)')
    .option('--thermal <dots>', 'lay out for a thermal roll of 384 or 576 dots instead of A4')
    .action(async (o: { type: string; out: string; thermal?: string }) => {
      const type = CertificateType.safeParse(o.type);
      if (!type.success) {
        process.stderr.write(
          `unknown certificate type "${o.type}"; known: ${CertificateType.options.join(', ')}\n`,
        );
        process.exit(64);
      }
      const doc = await sampleDocument(type.data);
      if (o.thermal) {
        const bytes = thermalCertificateEscPos(doc, o.thermal === '384' ? 384 : 576);
        writeFileSync(o.out, bytes);
        process.stdout.write(`${o.out}: thermal ${o.thermal} dots, ${bytes.length} bytes\n`);
      } else {
        const r = await renderCertificatePdf(doc);
        writeFileSync(o.out, r.pdf);
        process.stdout.write(`${o.out}: ${doc.title}, ${r.pages} pages, ${r.pdf.length} bytes\n`);
      }
      process.exit(0);
    });
}
