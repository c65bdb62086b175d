// `madoguchi sim printer`: the ESC/POS printer emulator on loopback, in the foreground. Each cut
// job becomes job-<n>.png and job-<n>.txt; typed commands change its state (paper out mid-job…).
import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { EscPosEmulator } from '../../../fixtures/escpos-emulator/emulator.js';

const HELP =
  'commands: paper ok|low|out, paper-out-after <bytes>, cover open|closed, offline on|off, status, quit';

export function registerSimPrinter(sim: Command): void {
  sim
    .command('printer')
    .description('ESC/POS thermal printer emulator on 127.0.0.1 (9100-style), with DLE EOT status')
    .option('--port <n>', 'TCP port', '9100')
    .option('--width <dots>', '384 or 576', '576')
    .option('--out <dir>', 'where job PNGs and transcripts go', 'escpos-jobs')
    .action(async (o: { port: string; width: string; out: string }) => {
      const emu = new EscPosEmulator({
        port: Number(o.port),
        widthDots: o.width === '384' ? 384 : 576,
        outDir: o.out,
      });
      const port = await emu.start();
      emu.onJob((j) =>
        process.stdout.write(`job ${j.index}: ${j.bytes} bytes → ${o.out}/job-${j.index}.png\n`),
      );
      process.stdout.write(`ESC/POS emulator on 127.0.0.1:${port}\n${HELP}\n`);
      const rl = createInterface({ input: process.stdin });
      rl.on('line', (line) => {
        const [c, a] = line.trim().split(/\s+/);
        if (c === 'paper' && (a === 'ok' || a === 'low' || a === 'out')) emu.setPaper(a);
        else if (c === 'paper-out-after') emu.runOutOfPaperAfter(Number(a));
        else if (c === 'cover') emu.setCoverOpen(a === 'open');
        else if (c === 'offline') emu.setOffline(a === 'on');
        else if (c === 'quit') void emu.stop().then(() => process.exit(0));
        else if (c !== 'status') process.stdout.write(`${HELP}\n`);
        process.stdout.write(
          `paper=${emu.paper} cover=${emu.coverOpen ? 'open' : 'closed'} offline=${emu.offline}\n`,
        );
      });
      await new Promise<void>((resolve) => process.once('SIGINT', resolve));
      await emu.stop();
      process.exit(0);
    });
}
