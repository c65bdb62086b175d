// `madoguchi bench ui`: the resident's screens in Debian's Chromium through the browser host, on the
// kiosk's simulators. ttiMs: navigation start until the idle screen's "start" button is drawn and
// enabled (median of fresh page loads). p95TransitionMs: a resident's press until the next screen
// is committed and painted (idle → insert card → cancelled → idle, repeated); the key figure is the
// renderer's part (snapshot received → painted), the press → paint round trip through the core is
// listed beside it. bundleGzKb: the
// renderer's code and styles gzipped (fonts and voice clips are listed apart: they load from disk).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BenchArea, BenchRow } from '../src/bench/harness.js';
import { percentile, round } from '../src/bench/harness.js';
import { launchChromium } from '../test/support/browser.js';
import { RENDERER_DIR, startTestKiosk } from '../test/support/kiosk.js';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

const bench: BenchArea = async ({ quick }) => {
  if (!existsSync(join(RENDERER_DIR, 'index.html')))
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  const all = files(RENDERER_DIR);
  const code = all.filter((f) => /\.(js|css|html)$/.test(f));
  const bundleGz = code.reduce((n, f) => n + gzipSync(readFileSync(f), { level: 9 }).length, 0) / 1024;
  const fonts =
    all.filter((f) => /\.(ttf|woff2?)$/.test(f)).reduce((n, f) => n + statSync(f).size, 0) / 1024 / 1024;
  const voice = all.filter((f) => f.endsWith('.wav'));

  const [browser, kiosk] = await Promise.all([launchChromium(), startTestKiosk()]);
  try {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    // Time to interactive of the idle screen, fresh page each time (font and code from the host).
    const loads = quick ? 3 : 10;
    const tti: number[] = [];
    for (let i = 0; i < loads; i++) {
      const page = await context.newPage();
      await page.goto(kiosk.host.url, { waitUntil: 'commit' });
      await page.waitForFunction(() => {
        const b = document.querySelector<HTMLButtonElement>(
          '.kiosk[data-screen="idle"] main .actions button.primary',
        );
        return b !== null && !b.disabled;
      });
      tti.push(await page.evaluate(() => performance.now()));
      await page.close();
    }

    // Screen transitions: press → next screen committed → next frame painted.
    const page = await context.newPage();
    await page.goto(kiosk.host.url);
    await page.locator('.kiosk[data-screen="idle"]').waitFor();
    // Plain JavaScript (tsx would wrap named functions in a helper the page does not have).
    const PRESS = `([selector, target]) => new Promise((resolve, reject) => {
      const button = document.querySelector(selector);
      if (!button) return reject(new Error('no ' + selector));
      const t0 = performance.now();
      button.click();
      const wait = () => {
        if (window.__madoguchiRendered && window.__madoguchiRendered.screen === target) requestAnimationFrame(() => { const now = performance.now(); resolve([now - t0, now - window.__madoguchiReceived[window.__madoguchiRendered.seq]]); });
        else if (performance.now() - t0 > 10000) reject(new Error('no ' + target + ' screen'));
        else requestAnimationFrame(wait);
      };
      wait();
    })`;
    const press = (selector: string, target: string) =>
      page.evaluate(`(${PRESS})(${JSON.stringify([selector, target])})`) as Promise<[number, number]>;
    const transitions: number[] = [];
    const endToEnd: number[] = [];
    const record = ([total, renderer]: [number, number]) => {
      endToEnd.push(total);
      transitions.push(renderer);
    };
    const cycles = quick ? 8 : 30;
    for (let i = 0; i < cycles; i++) {
      record(await press('main .actions button.primary', 'insertCard'));
      record(await press('main [data-key="cancel"]', 'cancelled'));
      await page.waitForFunction(
        () => !document.querySelector<HTMLButtonElement>('main .actions button.primary')?.disabled,
      );
      record(await press('main .actions button.primary', 'idle'));
    }
    const ttiMs = round(percentile(tti, 50), 1);
    const p95TransitionMs = round(percentile(transitions, 95), 1);
    const bundleGzKb = round(bundleGz, 1);
    const rows: BenchRow[] = [
      {
        metric: 'ttiMs',
        value: ttiMs,
        unit: 'ms',
        note: `median of ${loads} fresh loads of the idle screen`,
      },
      {
        metric: 'p95TransitionMs',
        value: p95TransitionMs,
        unit: 'ms',
        note: `snapshot received → next screen painted, ${transitions.length} transitions; target ≤ 100`,
      },
      { metric: 'transitionMedianMs', value: round(percentile(transitions, 50), 1), unit: 'ms' },
      {
        metric: 'p95PressToPaintMs',
        value: round(percentile(endToEnd, 95), 1),
        unit: 'ms',
        note: 'press → core (journal, machine) → WebSocket → painted',
      },
      { metric: 'pressToPaintMedianMs', value: round(percentile(endToEnd, 50), 1), unit: 'ms' },
      { metric: 'bundleGzKb', value: bundleGzKb, unit: 'KiB', note: 'js + css + html, gzip -9' },
      {
        metric: 'fontsMb',
        value: round(fonts, 1),
        unit: 'MiB',
        note: 'BIZ UDPGothic 400/700, served locally',
      },
      { metric: 'voiceClips', value: voice.length, unit: 'files', note: 'scripts/generate-voice.mjs' },
    ];
    return { rows, figures: { ttiMs, p95TransitionMs, bundleGzKb } };
  } finally {
    await browser.close();
    await kiosk.stop();
  }
};
export default bench;
