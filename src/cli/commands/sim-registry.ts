// `madoguchi sim registry`: the central registry simulator (HTTPS, mutual TLS) in the foreground.
// Prints the CA to pin and a kiosk's client certificate files for config registry.*; then takes
// commands to switch faults on and off and to look a refusal reference up as counter staff would.
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { DEFAULT_TLS_DIR, kioskClientCert } from '../../../fixtures/pki/tls.js';
import type { Fault } from '../../../fixtures/registry/faults.js';
import { startRegistrySimulator } from '../../../fixtures/registry/start.js';

const HELP =
  'commands: latency <ms> | error | timeout | drop | malformed | badsig | clear | refusal <REF-…> | stats | quit';

function parseFault(verb: string, arg: string): Fault | null {
  switch (verb) {
    case 'latency':
      return { type: 'latency', ms: Number(arg) || 500 };
    case 'error':
      return { type: 'serverError' };
    case 'timeout':
      return { type: 'timeout' };
    case 'drop':
      return { type: 'drop' };
    case 'malformed':
      return { type: 'malformedJson' };
    case 'badsig':
      return { type: 'badSignature' };
    default:
      return null;
  }
}

export function registerSimRegistry(sim: Command): void {
  sim
    .command('registry')
    .description('central registry simulator (Fastify, mutual TLS, SQLite of fictional 室蘭市 residents)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0 = random)', '8443')
    .option('--data-dir <dir>', 'keep the registry SQLite here (default: in memory)')
    .option('--tls-dir <dir>', 'registry TLS test PKI directory', DEFAULT_TLS_DIR)
    .option('--kiosk <id>', 'issue/print the client certificate of this kiosk id', 'MRN-DEMO-01')
    .action(async (o: { host: string; port: string; dataDir?: string; tlsDir: string; kiosk: string }) => {
      const s = await startRegistrySimulator({
        host: o.host,
        port: Number(o.port),
        tlsDir: o.tlsDir,
        ...(o.dataDir ? { dataDir: o.dataDir } : {}),
      });
      await kioskClientCert(o.kiosk, o.tlsDir);
      process.stdout.write(
        [
          `Madoguchi registry simulator listening on ${s.url}`,
          `  registry.mode: remote   registry.url: ${s.url}/`,
          `  registry.caFile:   ${join(o.tlsDir, 'ca.pem')}`,
          `  registry.certFile: ${join(o.tlsDir, 'kiosks', `${o.kiosk}.pem`)}`,
          `  registry.keyFile:  ${join(o.tlsDir, 'kiosks', `${o.kiosk}.key.pem`)}`,
          `  ${HELP}`,
          '',
        ].join('\n'),
      );
      const stop = async () => {
        await s.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      const rl = createInterface({ input: process.stdin });
      rl.on('line', (text) => {
        const [verb = '', arg = ''] = text.trim().split(/\s+/);
        const say = (m: unknown) =>
          process.stdout.write(`${typeof m === 'string' ? m : JSON.stringify(m)}\n`);
        const fault = parseFault(verb, arg);
        if (fault) return say((s.faults.inject(fault), `fault on: ${fault.type} (until "clear")`));
        switch (verb) {
          case '':
            return;
          case 'clear':
            return say((s.faults.clear(), 'faults cleared'));
          case 'refusal':
            return say(s.lookupRefusal(arg) ?? 'no such reference');
          case 'stats':
            return say(s.stats);
          case 'quit':
          case 'exit':
            return void stop();
          default:
            return say(HELP);
        }
      });
      rl.on('close', () => void stop());
    });
}
