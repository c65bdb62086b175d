// `madoguchi card info`: the technician's look at the card in the configured PC/SC reader.
// Prints card type, certificate subject, serial, validity and tries left; never spends a try.
import type { Command } from 'commander';
import { createLogger } from '../../log/logger.js';
import { createCardPort, type CardInfoReport, type MadoguchiCardPort } from '../../card/index.js';
import { CardError } from '../../../drivers/card/errors.js';
import { configFrom } from '../options.js';

const TOKEN_LABEL = {
  mynumber: 'マイナンバーカード (JPKIAPICCTOKEN2)',
  juki: '住基カード (JPKIAPICCTOKEN)',
  android: 'スマートフォン Android (JPKIAPGPSETOKEN)',
  iphone: 'スマートフォン iPhone (JPKIAPIOSTOKEN)',
} as const;

function format(r: CardInfoReport): string {
  const type =
    r.cardType === 'unknown' ? `unknown token (${r.token || 'empty EF 0006'})` : TOKEN_LABEL[r.cardType];
  const certificate = r.certificateReadable
    ? [
        `subject       ${r.subject}${r.technician ? '  [technician]' : ''}`,
        `issuer        ${r.issuer}`,
        `serial        ${r.serialHex}`,
        `valid         ${r.validFrom} … ${r.validTo}${r.expired ? '  EXPIRED' : ''}`,
      ]
    : [
        `certificate   ${r.form === 'phone' ? 'released by the phone only after the PIN (not read: card info spends no try)' : 'not read'}`,
      ];
  return [
    `reader        ${r.reader}`,
    `ATR           ${r.atrHex}`,
    `token         ${type}`,
    ...certificate,
    `PIN tries     ${r.authPinTriesLeft}${r.authPinTriesLeft === 0 ? '  BLOCKED' : ''}`,
    `APDUs         ${r.apdus}`,
  ].join('\n');
}

/** Resolves true as soon as `cond` holds, checked on every reader event; false after `ms`. */
function waitFor(port: MadoguchiCardPort, cond: () => boolean, ms: number): Promise<boolean> {
  if (cond()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      off();
      resolve(ok);
    };
    const timer = setTimeout(() => done(cond()), ms);
    const off = port.onEvent(() => {
      if (cond()) done(true);
    });
  });
}

export function registerCard(program: Command): void {
  const card = program.command('card').description('IC card reader tools for technicians');
  card
    .command('info')
    .description(
      'read the card in the configured PC/SC reader: type, certificate, tries left (spends no try)',
    )
    .option('--reader <pattern>', 'reader name pattern (overrides card.readerPattern)')
    .option('--wait <ms>', 'wait this long for a reader and a card', '5000')
    .option('--json', 'print JSON')
    .action(async (o: { reader?: string; wait: string; json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const log = createLogger({ level: 'warn' });
      let port: ReturnType<typeof createCardPort>;
      try {
        port = createCardPort(
          { ...config.card, driver: 'pcsc', ...(o.reader ? { readerPattern: o.reader } : {}) },
          { log },
        );
      } catch (e) {
        // No PC/SC service: the daemon is not running (or not installed).
        process.stderr.write(
          `card info: noReader: the PC/SC service is not available (${(e as Error).message}); start pcscd (apt-get install pcscd)\n`,
        );
        process.exit(2);
      }
      const wait = Number(o.wait);
      try {
        if (!(await waitFor(port, () => port.readerName() !== null, wait)))
          throw new CardError(
            'noReader',
            `no PC/SC reader matches /${o.reader ?? config.card.readerPattern}/ (is pcscd running?)`,
          );
        if (!(await waitFor(port, () => port.cardPresent(), wait)))
          throw new CardError('removed', `no card in ${port.readerName()}`);
        const report = await port.cardInfo();
        process.stdout.write((o.json ? JSON.stringify(report) : format(report)) + '\n');
      } catch (e) {
        const kind = e instanceof CardError ? e.kind : 'error';
        process.stderr.write(`card info: ${kind}: ${(e as Error).message}\n`);
        process.exitCode = 2;
      } finally {
        // The card session ends here (left as it was: card info sends no PIN). The PC/SC context
        // ends with the process: stopping pcsclite's monitor threads first would only add their
        // cancel round trips to pcscd.
        await port.endSession();
      }
      process.exit(process.exitCode ?? 0);
    });
}
