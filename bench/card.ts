// bench card: APDUs and wall time from card inserted to challenge signed (card type, certificate,
// tries, verify, sign), through pcscd + vpcd and through the in-process simulator.
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
  try {
    const card = await startVirtualCard({ card: CARD, stateDir });
    const port = createCardPort(CardSection.parse({ driver: 'pcsc', readerPattern: '^Virtual PCD 00 00$' }), { log: silentLogger, pcsc: pcsclite as unknown as PcscFactory });
    try {
      await waitFor(() => port.cardPresent(), 10_000);
      for (let i = 0; i < (quick ? 2 : 10); i++) pcscRuns.push(await flow(port));
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
  const apdus = Math.max(...simRuns.map((r) => r.apdus), ...pcscRuns.map((r) => r.apdus));
  return {
    rows: [
      { metric: 'apdus', value: apdus, unit: 'APDUs', note: 'type + certificate + tries + verify + sign, 256-byte reads; target ≤ 14' },
      { metric: 'pcscMs', value: pcscMs, unit: 'ms', note: `median of ${pcscRuns.length}, pcscd + vpcd` },
      { metric: 'pcscP95Ms', value: round(percentile(pcscRuns.map((r) => r.ms), 95)), unit: 'ms' },
      { metric: 'simMs', value: simMs, unit: 'ms', note: `median of ${simRuns.length}, in-process simulator` },
      { metric: 'phoneApdus', value: Math.max(...phoneRuns.map((r) => r.apdus)), unit: 'APDUs', note: 'phone token: type + tries + verify + certificate + sign' },
      { metric: 'phoneSimMs', value: med(phoneRuns.map((r) => r.ms)), unit: 'ms', note: `median of ${phoneRuns.length}, in-process phone simulator` },
      { metric: 'pcscdStartedByBench', value: pcscd.startedByUs ? 'yes' : 'no' },
    ],
    figures: { apdus, pcscMs, simMs, phoneApdus: Math.max(...phoneRuns.map((r) => r.apdus)), phoneSimMs: med(phoneRuns.map((r) => r.ms)) },
  };
};

export default bench;
