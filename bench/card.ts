// bench card: APDUs and wall time from card inserted to challenge signed (card type, certificate,
// tries, verify, sign), through pcscd + vpcd and through the in-process simulator. Then, on the same
// virtual card, the technician's view as a whole process: `madoguchi card info` against OpenSC's
// `pkcs15-tool --read-certificate 01` (when OpenSC is installed), and their ratio.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pcsclite from 'pcsclite';
import type { BenchArea } from '../src/bench/harness.js';
import { percentile, round } from '../src/bench/harness.js';
import type { PcscFactory } from '../drivers/card/pcsc.js';
import { loadJpkiTestPki } from '../fixtures/pki/jpki.js';
import { ensurePcscd } from '../fixtures/vcard/pcscd.js';
import { startVirtualCard } from '../fixtures/vcard/run.js';
import { createCardPort, createCardSimulator, type MadoguchiCardPort } from '../src/card/index.js';
import { CardSection } from '../src/config/sections/card.js';
import { silentLogger } from '../src/log/logger.js';
import { MADOGUCHI_BIN } from '../fixtures/production/kiosk-process.js';

const PIN = '1234';
const CARD = 'yamada-taro';
const PHONE = { id: 'phone-android', pin: '3141' } as const;

/** The phone's order: token, tries, PIN, then the certificate it releases, then sign. */
async function phoneFlow(port: MadoguchiCardPort): Promise<{ ms: number; apdus: number }> {
  const before = port.apduCount();
  const t0 = performance.now();
  const token = await port.identifyToken();
  if (token.form !== 'phone') throw new Error('bench card: the phone fixture is not a phone token');
  await port.authPinTriesLeft();
  const r = await port.verifyAuthPin(PHONE.pin);
  if (!r.ok) throw new Error('bench card: phone PIN refused');
  await port.readAuthCertificate();
  await port.signWithAuthKey(new Uint8Array(32).fill(7));
  const ms = performance.now() - t0;
  const apdus = port.apduCount() - before;
  await port.endSession();
  return { ms, apdus };
}

async function flow(port: MadoguchiCardPort): Promise<{ ms: number; apdus: number }> {
  const before = port.apduCount();
  const t0 = performance.now();
  await port.readAuthCertificate();
  await port.authPinTriesLeft();
  const r = await port.verifyAuthPin(PIN);
  if (!r.ok) throw new Error('bench card: PIN refused');
  await port.signWithAuthKey(new Uint8Array(32).fill(7));
  const ms = performance.now() - t0;
  const apdus = port.apduCount() - before;
  await port.endSession();
  return { ms, apdus };
}

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('bench card: the virtual card did not appear in the reader');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Wall time of a command run to completion (asynchronously: the virtual card answers from this process). */
function timed(cmd: string, args: string[]): Promise<number> {
  const t0 = performance.now();
  return new Promise((ok, fail) =>
    execFile(cmd, args, { env: { ...process.env, LANG: 'C' } }, (err, _out, stderr) =>
      err
        ? fail(new Error(`bench card: ${cmd} ${args.join(' ')} failed: ${stderr.trim() || err.message}`))
        : ok(performance.now() - t0),
    ),
  );
}

const openscInstalled = () =>
  new Promise<boolean>((ok) =>
    execFile('pkcs15-tool', ['--version'], (err) =>
      ok(!err || (err as NodeJS.ErrnoException).code !== 'ENOENT'),
    ),
  );

const bench: BenchArea = async ({ quick }) => {
  await loadJpkiTestPki();
  const stateDir = mkdtempSync(join(tmpdir(), 'madoguchi-bench-card-'));

  // in-process simulator
  const sim = createCardSimulator({ stateDir });
  const simPort = createCardPort(CardSection.parse({}), { log: silentLogger, simulator: sim });
  await sim.insert(CARD);
  const simRuns: Array<{ ms: number; apdus: number }> = [];
  for (let i = 0; i < (quick ? 3 : 30); i++) simRuns.push(await flow(simPort));
  await sim.insert(PHONE.id);
  const phoneRuns: Array<{ ms: number; apdus: number }> = [];
  for (let i = 0; i < (quick ? 3 : 30); i++) phoneRuns.push(await phoneFlow(simPort));
  await simPort.close();

  // pcscd + vpcd + virtual card (in this process, on the vpcd socket)
  const pcscd = await ensurePcscd();
  const pcscRuns: Array<{ ms: number; apdus: number }> = [];
  const cardInfoRuns: number[] = [];
  const openscRuns: number[] = [];
  const withOpensc = await openscInstalled();
  try {
    const card = await startVirtualCard({ card: CARD, stateDir });
    const port = createCardPort(CardSection.parse({ driver: 'pcsc', readerPattern: '^Virtual PCD 00 00$' }), {
      log: silentLogger,
      pcsc: pcsclite as unknown as PcscFactory,
    });
    try {
      await waitFor(() => port.cardPresent(), 10_000);
      for (let i = 0; i < (quick ? 2 : 10); i++) pcscRuns.push(await flow(port));
      await port.close();
      // Alternating, so both see the same machine load.
      for (let i = 0; i < (quick ? 2 : 5); i++) {
        cardInfoRuns.push(
          await timed(process.execPath, [
            MADOGUCHI_BIN,
            'card',
            'info',
            '--reader',
            '^Virtual PCD 00 00$',
            '--json',
          ]),
        );
        if (withOpensc)
          openscRuns.push(
            await timed('pkcs15-tool', ['--reader', 'Virtual PCD 00 00', '--read-certificate', '01']),
          );
      }
    } finally {
      await port.close();
      card.remove();
      await card.done;
    }
  } finally {
    await pcscd.stop();
  }

  const med = (xs: number[]) => round(percentile(xs, 50));
  const simMs = med(simRuns.map((r) => r.ms));
  const pcscMs = med(pcscRuns.map((r) => r.ms));
  const cardInfoMs = med(cardInfoRuns);
  const openscMs = med(openscRuns);
  const vsOpenscRatio = round(cardInfoMs / openscMs, 3);
  const apdus = Math.max(...simRuns.map((r) => r.apdus), ...pcscRuns.map((r) => r.apdus));
  return {
    rows: [
      {
        metric: 'apdus',
        value: apdus,
        unit: 'APDUs',
        note: 'type + certificate + tries + verify + sign, the certificate in one extended read; target ≤ 14',
      },
      { metric: 'pcscMs', value: pcscMs, unit: 'ms', note: `median of ${pcscRuns.length}, pcscd + vpcd` },
      {
        metric: 'pcscP95Ms',
        value: round(
          percentile(
            pcscRuns.map((r) => r.ms),
            95,
          ),
        ),
        unit: 'ms',
      },
      {
        metric: 'simMs',
        value: simMs,
        unit: 'ms',
        note: `median of ${simRuns.length}, in-process simulator`,
      },
      {
        metric: 'phoneApdus',
        value: Math.max(...phoneRuns.map((r) => r.apdus)),
        unit: 'APDUs',
        note: 'phone token: type + tries + verify + certificate + sign',
      },
      {
        metric: 'phoneSimMs',
        value: med(phoneRuns.map((r) => r.ms)),
        unit: 'ms',
        note: `median of ${phoneRuns.length}, in-process phone simulator`,
      },
      {
        metric: 'cardInfoMs',
        value: cardInfoMs,
        unit: 'ms',
        note: `madoguchi card info, whole process, median of ${cardInfoRuns.length}`,
      },
      {
        metric: 'openscMs',
        value: withOpensc ? openscMs : 'not installed',
        unit: 'ms',
        note: `pkcs15-tool --read-certificate 01, median of ${openscRuns.length} (apt-get install opensc)`,
      },
      {
        metric: 'vsOpenscRatio',
        value: withOpensc ? vsOpenscRatio : 'n/a',
        note: 'cardInfoMs / openscMs; target ≤ 0.25',
      },
      { metric: 'pcscdStartedByBench', value: pcscd.startedByUs ? 'yes' : 'no' },
    ],
    figures: {
      apdus,
      pcscMs,
      simMs,
      cardInfoMs,
      ...(withOpensc ? { openscMs, vsOpenscRatio } : {}),
      phoneApdus: Math.max(...phoneRuns.map((r) => r.apdus)),
      phoneSimMs: med(phoneRuns.map((r) => r.ms)),
    },
  };
};

export default bench;
