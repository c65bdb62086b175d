// `madoguchi bench start`: start-up of the compiled command line, as a technician and systemd see it.
// helpMs: `madoguchi --help`; readyMs: `madoguchi start` until the kiosk page answers and its
// contract hands out the idle screen; nodeBareMs: `node -e 0` on this machine, for scale. Medians
// of 5 runs, each a fresh process. The kiosk runs the production profile (the installed
// configuration, its devices and the registry each their own process, already up, as at a kiosk's
// boot), on a data directory that has started once, as a kiosk restarting does.
import { spawnSync } from 'node:child_process';
import type { BenchArea } from '../src/bench/harness.js';
import { percentile, round } from '../src/bench/harness.js';
import {
  MADOGUCHI_BIN,
  exchangeCode,
  idleDrawable,
  spawnKiosk,
} from '../fixtures/production/kiosk-process.js';
import { loadJpkiTestPki } from '../fixtures/pki/jpki.js';
import { startProductionRig } from '../fixtures/production/rig.js';

function wall(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0)
    throw new Error(`bench start: node ${args.join(' ')} failed: ${r.stderr.toString().slice(0, 500)}`);
  return ms;
}

async function ready(env: NodeJS.ProcessEnv): Promise<number> {
  const t0 = performance.now();
  const kiosk = await spawnKiosk(env);
  try {
    // The printed URL is used once, like a browser's first visit; the session it gives is reused.
    const session = await exchangeCode(kiosk.url);
    for (;;) {
      try {
        await idleDrawable(session);
        return performance.now() - t0;
      } catch (e) {
        if (performance.now() - t0 > 30_000) throw e;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  } finally {
    await kiosk.stop();
  }
}

const bench: BenchArea = async () => {
  const runs = 5;
  const med = (xs: number[]) => round(percentile(xs, 50), 1);
  const nodeBare = Array.from({ length: runs }, () => wall(['-e', '0']));
  const help = Array.from({ length: runs }, () => wall([MADOGUCHI_BIN, '--help']));
  await loadJpkiTestPki();
  const rig = await startProductionRig({ lang: 'ja_JP.UTF-8', tz: 'Asia/Tokyo' });
  const readyRuns: number[] = [];
  try {
    await ready(rig.env); // first start: creates the journal
    for (let i = 0; i < runs; i++) readyRuns.push(await ready(rig.env));
  } finally {
    await rig.stop();
  }
  const figures = { helpMs: med(help), readyMs: med(readyRuns), nodeBareMs: med(nodeBare) };
  return {
    rows: [
      {
        metric: 'helpMs',
        value: figures.helpMs,
        unit: 'ms',
        note: `madoguchi --help, median of ${runs}; target ≤ 150`,
      },
      {
        metric: 'readyMs',
        value: figures.readyMs,
        unit: 'ms',
        note: `start → page + idle snapshot, production profile, median of ${runs}; target ≤ 1000`,
      },
      { metric: 'nodeBareMs', value: figures.nodeBareMs, unit: 'ms', note: `node -e 0, median of ${runs}` },
      { metric: 'readyMaxMs', value: round(Math.max(...readyRuns), 1), unit: 'ms' },
    ],
    figures,
  };
};

export default bench;
