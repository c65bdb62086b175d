// `madoguchi sim card`: a virtual JPKI card inserted into vpcd (pcscd + vsmartcard-vpcd), in the
// foreground, with fault injection. `--regenerate-pki` rebuilds the test PKI first.
import type { Command } from 'commander';
import { loadJpkiTestPki } from '../../../fixtures/pki/jpki.js';
import { PROFILE_CARDS } from '../../../fixtures/vcard/profiles.js';
import { startVirtualCard } from '../../../fixtures/vcard/run.js';

interface Opts {
  profile: string;
  resident?: string;
  card?: string;
  stateDir?: string;
  pkiDir?: string;
  port: string;
  regeneratePki?: boolean;
  latency?: string;
  mute?: boolean;
  wrongSw?: string;
  removeDuring?: string;
  once?: boolean;
}

export function registerSimCard(sim: Command): void {
  sim
    .command('card')
    .description('virtual My Number / 住基 card on vpcd (127.0.0.1:35963)')
    .option('--profile <name>', `card profile: ${Object.keys(PROFILE_CARDS).join(', ')}`, 'mynumber')
    .option('--resident <id>', 'pick the fixture card of this resident (e.g. R002)')
    .option('--card <id>', 'pick a fixture card by id (e.g. one-try-left)')
    .option('--state-dir <dir>', 'where PIN counters persist (default <tmpdir>/madoguchi-vcard)')
    .option('--pki-dir <dir>', 'test PKI cache (default <tmpdir>/madoguchi-pki)')
    .option('--port <n>', 'vpcd port', '35963')
    .option('--regenerate-pki', 'regenerate the test JPKI PKI (CA, certificates, CRL) before starting')
    .option('--latency <ms>', 'fault: delay every response')
    .option('--mute', 'fault: never answer')
    .option('--wrong-sw <hex>', 'fault: answer every APDU with this status word, e.g. 6F00')
    .option('--remove-during <n>', 'fault: leave the reader while processing APDU n')
    .option('--once', 'exit when the card leaves instead of inserting it again')
    .action(async (o: Opts) => {
      if (o.regeneratePki) {
        const pki = await loadJpkiTestPki(o.pkiDir, { regenerate: true });
        process.stderr.write(`test PKI regenerated: ${pki.cards.length} cards\n`);
      }
      const faults = {
        ...(o.latency ? { latencyMs: Number(o.latency) } : {}),
        ...(o.mute ? { mute: true } : {}),
        ...(o.wrongSw ? { wrongSw: { sw: parseInt(o.wrongSw, 16) } } : {}),
        ...(o.removeDuring ? { removeDuringApdu: Number(o.removeDuring) } : {}),
      };
      let stop = false;
      for (;;) {
        const session = await startVirtualCard({
          profile: o.profile,
          resident: o.resident,
          card: o.card,
          stateDir: o.stateDir,
          pkiDir: o.pkiDir,
          port: Number(o.port),
          faults,
          log: (m) => process.stderr.write(`sim card: ${m}\n`),
        });
        process.stderr.write(`sim card: ${session.cardId} inserted into vpcd (Ctrl-C removes it)\n`);
        const onSignal = () => {
          stop = true;
          session.remove();
        };
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        const why = await session.done;
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        process.stderr.write(`sim card: ${why}\n`);
        if (stop || o.once || why === 'removed') break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      process.exit(0);
    });
}
