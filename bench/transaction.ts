// `madoguchi bench transaction`: the machine's share of a whole issuance and what it costs over time.
//   machineMs     card inserted → thank-you (last page out) with every part its own process, as
//                 installed (fixtures/production/rig.ts: pcscd + vpcd, ccTalk on a pty, a private
//                 cupsd, the ESC/POS emulator on TCP, the registry over mutual TLS), the resident
//                 answering every screen at once and no device latency added; median
//                 (device latency taken away: vpcd's per-exchange stall of ~40 ms, for the run, by
//                 fixtures/vcard/loopback-ack.ts; certificates go to a printer that takes PDF as it
//                 is, a CUPS raw queue to a socket, not through cups-pdf's Ghostscript)
//   readerWaitMs  the part of machineMs until pcscd reported the card in and out: it polls vpcd
//                 every 400 ms, where a CCID reader's interrupt reports at once; median
//   p95MachineMs  the 95th percentile of the same over 100 issuances (5 with --quick)
//   journalStepMs one journal step written and fsynced (SQLite WAL, synchronous=FULL); median
//   rssDriftPct   resident memory over the last issuances of 10,000 scripted ones against over the
//                 first ones after a tenth, on a kiosk in this process with its simulators (600 with
//                 --quick); each side the median of samples taken after full collections, since one
//                 sample swings by a fifth as the allocator hands pages back to the system or not
import { rmSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { BenchArea } from '../src/bench/harness.js';
import { percentile, round } from '../src/bench/harness.js';
import { createKioskApp } from '../src/app.js';
import { parseConfig } from '../src/config/load.js';
import { silentLogger } from '../src/log/logger.js';
import { loadJpkiTestPki } from '../fixtures/pki/jpki.js';
import { contractInProcess, observeKiosk } from '../fixtures/production/contract-observer.js';
import { exchangeCode } from '../fixtures/production/kiosk-process.js';
import { issueOne } from '../fixtures/production/resident.js';
import { startProductionRig } from '../fixtures/production/rig.js';
import { quickAckOnLoopback } from '../fixtures/vcard/loopback-ack.js';
import type { CardInReader } from '../fixtures/production/rig.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** Resident and JS heap memory after full collections (the second one runs the first one's finalizers). */
const memory = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
};
const median = (xs: number[]) => percentile(xs, 50);

interface MachineRuns {
  ms: number[];
  readerWaitMs: number[];
  failed: number;
  loopbackAck: string;
}

async function throughRealParts(runs: number): Promise<MachineRuns> {
  await loadJpkiTestPki();
  const ack = quickAckOnLoopback();
  const rig = await startProductionRig({
    lang: 'ja_JP.UTF-8',
    tz: 'Asia/Tokyo',
    certificatePrinter: 'pdf-direct',
  }).catch((e: unknown) => {
    ack.restore();
    throw e;
  });
  try {
    const kiosk = await rig.startKiosk();
    const c = await observeKiosk(await exchangeCode(kiosk.url));
    let card: CardInReader | null = null;
    let paid = 0;
    const hands = {
      insertCard: async () => {
        card = await rig.insertCard('yamada-taro');
      },
      removeCard: async () => {
        await card?.remove();
        card = null;
      },
      // One issuance in five pays with ¥500 coins and gets change; the others pay exactly in ¥100
      // coins, so a hundred of them do not empty the ¥100 hopper (100 coins, refilled by hand).
      pay: async (yen: number) => {
        const coin = paid++ % 5 === 0 ? 500 : 100;
        for (let left = yen; left > 0; left -= coin) rig.cash.command(`coin ${coin}`);
      },
    };
    await issueOne(c, hands); // warm: first PDF, first TLS session, first CUPS job
    const ms: number[] = [];
    const readerWaitMs: number[] = [];
    let failed = 0;
    while (ms.length < runs) {
      try {
        const t = await issueOne(c, hands);
        ms.push(t.machineMs);
        readerWaitMs.push(t.readerWaitMs);
      } catch (e) {
        // A session that ended early: counted, the card taken back, the kiosk back at idle.
        if (++failed > Math.max(2, runs / 10)) throw e;
        await hands.removeCard();
        for (let i = 0; i < 60 && c.snapshot()?.screen !== 'idle'; i++) {
          await c.send('input', { input: { type: 'ACK' } }).catch(() => undefined);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    }
    c.close();
    const loopbackAck =
      ack.state === 'unavailable'
        ? `delayed (${ack.why})`
        : `quick (${ack.state === 'set' ? 'for this run' : 'set'})`;
    return { ms, readerWaitMs, failed, loopbackAck };
  } finally {
    await rig.stop();
    ack.restore();
  }
}

async function driftInProcess(runs: number): Promise<{
  driftPct: number;
  heapDriftPct: number;
  stepMs: number;
  rssStartMb: number;
  rssEndMb: number;
  samples: number;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-bench-tx-'));
  const config = parseConfig({ kiosk: { dataDir, serviceHours: 'always' } });
  const app = await createKioskApp(config, { log: silentLogger });
  try {
    const c = await contractInProcess(app);
    const demo = (action: unknown) => c.send('demo', { action });
    const hands = {
      insertCard: () => demo({ type: 'insertCard', cardId: 'yamada-taro' }).then(() => undefined),
      removeCard: () => demo({ type: 'removeCard' }).then(() => undefined),
      // The exact fee in ¥100 and ¥10 coins: thousands of issuances with change would empty the hoppers.
      pay: async (yen: number) => {
        for (let left = yen; left > 0;) {
          const coin = left >= 100 ? 100 : 10;
          await demo({ type: 'insertCoin', yen: coin });
          left -= coin;
        }
      },
    };
    const spool = app.paths.spoolDir;
    // Sampled from the first tenth on (at least 250): caches, JIT and SQLite's page cache settle by then.
    const warm = Math.max(250, Math.floor(runs / 10));
    const every = Math.max(1, Math.floor((runs - warm) / 450));
    const samples: Array<{ rss: number; heap: number }> = [];
    for (let i = 0; i < runs; i++) {
      await issueOne(c, hands);
      // The simulated printers keep every job as a file: clear them, they are disk, not memory.
      if (i % 100 === 99)
        for (const f of readdirSync(spool)) rmSync(join(spool, f), { recursive: true, force: true });
      if (i >= warm - 1 && (i - warm + 1) % every === 0) samples.push(memory());
    }
    // First and last twentieth of the samples (at least 5 each, of 450 in a full run).
    const w = Math.max(5, Math.floor(samples.length / 20));
    const first = samples.slice(0, w);
    const last = samples.slice(-w);
    const base = median(first.map((x) => x.rss));
    const end = median(last.map((x) => x.rss));
    const heapBase = median(first.map((x) => x.heap));
    const heapEnd = median(last.map((x) => x.heap));
    // One step, written and fsynced, on the same journal.
    const tx = app.core.journal.openTransaction();
    const steps: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      app.core.journal.step(tx, 'card.read', i % 2 ? 'done' : 'intent');
      steps.push(performance.now() - t0);
    }
    app.core.journal.close(tx, 'cancelled', 'bench');
    c.close();
    return {
      driftPct: ((end - base) / base) * 100,
      heapDriftPct: ((heapEnd - heapBase) / heapBase) * 100,
      stepMs: percentile(steps, 50),
      rssStartMb: base / 2 ** 20,
      rssEndMb: end / 2 ** 20,
      samples: samples.length,
    };
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const bench: BenchArea = async ({ quick }) => {
  const machine = await throughRealParts(quick ? 5 : 100);
  const drift = await driftInProcess(quick ? 600 : 10_000);
  const figures = {
    machineMs: round(percentile(machine.ms, 50), 1),
    journalStepMs: round(drift.stepMs, 3),
    rssDriftPct: round(drift.driftPct, 2),
    p95MachineMs: round(percentile(machine.ms, 95), 1),
    readerWaitMs: round(percentile(machine.readerWaitMs, 50), 1),
  };
  return {
    rows: [
      {
        metric: 'machineMs',
        value: figures.machineMs,
        unit: 'ms',
        note: `card in → last page out, each part its own process, median of ${machine.ms.length}; target ≤ 1000`,
      },
      { metric: 'p95MachineMs', value: figures.p95MachineMs, unit: 'ms', note: `over ${machine.ms.length}` },
      {
        metric: 'readerWaitMs',
        value: figures.readerWaitMs,
        unit: 'ms',
        note: 'of machineMs: pcscd noticing the card in and out (it polls vpcd every 400 ms); median',
      },
      { metric: 'loopbackAck', value: machine.loopbackAck, unit: '', note: 'vpcd exchanges' },
      {
        metric: 'endedEarly',
        value: machine.failed,
        unit: 'sessions',
        note: 'ended before the thank-you screen, not timed',
      },
      {
        metric: 'journalStepMs',
        value: figures.journalStepMs,
        unit: 'ms',
        note: 'one step incl. fsync, median of 200',
      },
      {
        metric: 'rssDriftPct',
        value: figures.rssDriftPct,
        unit: '%',
        note: `${quick ? 600 : 10_000} issuances in process; target ≤ 5`,
      },
      {
        metric: 'rssStartMb',
        value: round(drift.rssStartMb, 1),
        unit: 'MiB',
        note: `median of the first of ${drift.samples} samples`,
      },
      { metric: 'rssEndMb', value: round(drift.rssEndMb, 1), unit: 'MiB', note: 'median of the last' },
      {
        metric: 'heapDriftPct',
        value: round(drift.heapDriftPct, 2),
        unit: '%',
        note: 'the JS heap, same samples',
      },
    ],
    figures,
  };
};

export default bench;
