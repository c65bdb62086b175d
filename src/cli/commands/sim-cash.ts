// `madoguchi sim cash`: the simulated coin acceptor, hoppers and bill validator on the device end
// of a socat pty pair. Point config cash.port at the printed host end (driver "cctalk"), then type
// commands to play the resident or the fault: coin 100, bill 1000, jam bill, empty 100, ...
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { configFrom } from '../options.js';
import { startCashDevices } from '../../../fixtures/cash/bay.js';
import { SIM_FAULTS, type SimDeviceName } from '../../../drivers/payment/simulator/index.js';

const HELP = [
  `commands: coin <yen> | bill <yen> | jam <coin|bill|hopper.N> | empty <yen> | full | off <device> | on <device> | garbage | status | quit`,
  `  fault <device> <name>: coin ${SIM_FAULTS.coin.join('/')}; bill ${SIM_FAULTS.bill.join('/')}; hopper.N ${SIM_FAULTS.hopper.join('/')}`,
].join('\n');

export function registerSimCash(sim: Command): void {
  sim
    .command('cash')
    .description('ccTalk coin acceptor, hoppers and bill validator on a socat pty pair')
    .option('--dir <dir>', 'directory for the pty links (default: a fresh temp dir)')
    .option('--no-echo', 'do not echo the host frames (a line without single-wire echo)')
    .action(async (o: { dir?: string; echo: boolean }, cmd: Command) => {
      const config = configFrom(cmd).cash;
      const line = await startCashDevices(config, { echo: o.echo, ...(o.dir ? { ptyDir: o.dir } : {}) });
      const { sim: s } = line;
      process.stdout.write(
        [
          'Madoguchi cash simulators (ccTalk) are running.',
          `  coin acceptor @${config.addresses.coin}, bill validator @${config.addresses.bill}, hoppers ${config.hoppers.map((h) => `¥${h.yen}@${h.address}`).join(', ')}`,
          `  kiosk side: ${line.pty.hostEnd}   (cash.driver: cctalk, cash.port: ${line.pty.hostEnd})`,
          `  ${HELP}`,
          '',
        ].join('\n'),
      );
      const stop = async () => {
        await line.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      const rl = createInterface({ input: process.stdin });
      rl.on('line', (text) => {
        const [verb, arg = '', arg2 = ''] = text.trim().split(/\s+/);
        const say = (m: unknown) =>
          process.stdout.write(`${typeof m === 'string' ? m : JSON.stringify(m)}\n`);
        try {
          switch (verb) {
            case 'coin':
              return say(s.insertCoin(Number(arg)));
            case 'bill':
              return say(s.insertBill(Number(arg)));
            case 'jam':
              return say((s.jam(arg as SimDeviceName), 'ok'));
            case 'empty':
              return say((s.emptyHopper(Number(arg)), 'ok'));
            case 'full':
              return say((s.cashBoxFull(), 'ok'));
            case 'off':
              return say((s.powerOff(arg as SimDeviceName), 'ok'));
            case 'on':
              return say((s.powerOn(arg as SimDeviceName), 'ok'));
            case 'fault':
              return say((s.fault(arg as SimDeviceName, arg2), 'ok'));
            case 'garbage':
              return say((s.bus.injectGarbage([0x00, 0xff, 0x13, 0x37]), 'ok'));
            case 'status':
              return say({
                coinsEnabled: s.coin.enabledYen(),
                billsEnabled: s.bill.enabledYen(),
                escrow: s.bill.escrow,
                billMode: s.bill.operatingMode,
                hoppers: s.hoppers.map((h) => ({
                  yen: h.yen,
                  coins: h.coins,
                  paidOut: h.paidOut,
                  enabled: h.enabled,
                  jammed: h.jammed,
                })),
                answered: Object.fromEntries(s.bus.answered),
              });
            case 'quit':
              return void stop();
            case '':
              return;
            default:
              return say(HELP);
          }
        } catch (e) {
          say(`error: ${(e as Error).message}`);
        }
      });
      rl.on('close', () => undefined);
    });
}
