// Shared steps of the end-to-end suite: a kiosk on its simulators behind the browser host, Debian's
// Chromium at a 21.5" full-HD kiosk's resolution, and on every screen: axe-core (WCAG 2.2 AA) with
// zero violations, touch targets, main actions in the lower half, the voice clip requested, and a
// screenshot under test-results/screenshots/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import { isScreen, type ScreenId, type Snapshot, type SnapshotOf } from '../../src/contract/index.js';
import { launchChromium } from '../support/browser.js';
import { startTestKiosk } from '../support/kiosk.js';
import { snapshotWhere } from '../support/wait.js';

export const SHOTS = 'test-results/screenshots';
export type Kiosk = Awaited<ReturnType<typeof startTestKiosk>>;

export interface Harness {
  browser: Browser;
  kiosk: Kiosk;
  page: Page;
  /** Console text of the page, to check nothing sensitive is logged. */
  console: string[];
  errors: string[];
  close(): Promise<void>;
}

export async function open(overrides: ConfigInput = {}, kiosk?: Kiosk): Promise<Harness> {
  const [browser, k] = await Promise.all([
    launchChromium(),
    kiosk ? Promise.resolve(kiosk) : startTestKiosk(overrides),
  ]);
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  const consoleLines: string[] = [];
  const errors: string[] = [];
  page.on('console', (m) => {
    consoleLines.push(m.text());
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(k.host.url);
  await page.locator('.kiosk').waitFor();
  return {
    browser,
    kiosk: k,
    page,
    console: consoleLines,
    errors,
    async close() {
      await browser.close();
      await k.stop();
    },
  };
}

export const snap = (h: Harness): Snapshot => h.kiosk.app.core.snapshot();

/** Waits until the page draws `screen` (and, optionally, the core's snapshot satisfies `pred`). */
export async function onScreen<S extends ScreenId>(
  h: Harness,
  screen: S,
  pred: (s: SnapshotOf<S>) => boolean = () => true,
  ms = 20_000,
): Promise<void> {
  // The core's snapshots are awaited as they are published, the page's drawing with the browser's own
  // wait; both must agree at the end (the core may have moved on while the page drew).
  const end = Date.now() + ms;
  const wanted = (s: Snapshot) => isScreen(s, screen) && pred(s);
  for (;;) {
    try {
      await snapshotWhere(h.kiosk.app.core.engine, wanted, `screen ${screen}`, Math.max(1, end - Date.now()));
      await h.page
        .locator(`.kiosk[data-screen="${screen}"]`)
        .waitFor({ state: 'attached', timeout: Math.max(1, end - Date.now()) });
    } catch {
      const drawn = await h.page.evaluate(() =>
        document.querySelector('.kiosk')?.getAttribute('data-screen'),
      );
      const s = snap(h);
      throw new Error(
        `timed out waiting for screen ${screen}; page shows ${drawn}, core at ${s.state} ${JSON.stringify(s.view)}`,
      );
    }
    if (wanted(snap(h))) return;
  }
}

let shotCounter = 0;
const seenPerRun = new Set<string>();

/**
 * Checks the screen now showing and saves its screenshot. `name` prefixes the file;
 * `full` forces axe even when this screen and language were already checked in this file.
 */
export async function check(
  h: Harness,
  name: string,
  opts: { axe?: boolean; layout?: boolean } = {},
): Promise<void> {
  const { page } = h;
  const s = snap(h);
  mkdirSync(SHOTS, { recursive: true });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({
    path: join(SHOTS, `${name}-${String(++shotCounter).padStart(2, '0')}-${s.screen}-${s.language}.png`),
  });

  const variant = 'reason' in s.view ? s.view.reason : 'ending' in s.view ? s.view.ending : '';
  const key = `${s.screen}:${variant ?? ''}:${s.timeoutWarning ? 'w' : ''}`;
  const t0 = Date.now();
  if (opts.axe ?? !seenPerRun.has(key)) {
    seenPerRun.add(key);
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .options({ resultTypes: ['violations'] })
      .analyze();
    const violations = result.violations.map(
      (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
    expect(violations, `axe on ${s.screen} (${s.language})`).toEqual([]);
  }
  if (process.env.E2E_TIMING) console.log(`axe ${s.screen} ${Date.now() - t0} ms`);

  // Every screen: the language switch, its voice clip requested, touch targets ≥ 15 mm
  // (61 CSS px at 0.248 mm per pixel, a 21.5" full-HD panel), the main actions in the lower half.
  expect(await page.getByRole('navigation', { name: '言語 / Language' }).getByRole('button').count()).toBe(5);
  await expect
    .poll(() => page.evaluate(() => (window.__madoguchiVoice ?? []).map((v) => `${v.language}/${v.clip}`)), {
      timeout: 3000,
    })
    .toContain(`${s.language}/${s.screen}`);
  const small = await page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('button, select, .segment label, a[href]')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (el.closest('dialog:not([open])')) continue;
      if (r.width < 61 || r.height < 61)
        out.push(`${el.textContent?.trim()} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return out;
  });
  expect(small, `touch targets on ${s.screen}`).toEqual([]);
  if (!s.timeoutWarning && opts.layout !== false) {
    const tops = await page.evaluate(() =>
      [...document.querySelectorAll('main .actions button')].map((b) => b.getBoundingClientRect().top),
    );
    for (const top of tops) expect(top, `main action on ${s.screen} in the lower half`).toBeGreaterThan(540);
  }
}

/* ───────── the demo panel, as a person at the kiosk would use it ───────── */

export async function insertCard(h: Harness, cardId: string): Promise<void> {
  await h.page.locator('#demo-card').selectOption(cardId);
  await h.page.locator('#demo-insert').click();
}
export async function removeCard(h: Harness): Promise<void> {
  await h.page.locator('#demo-remove').click();
}
export async function insertCoin(h: Harness, yen: 10 | 50 | 100 | 500): Promise<void> {
  await h.page
    .locator('.demo-panel [role="group"]')
    .nth(0)
    .locator('button')
    .nth([10, 50, 100, 500].indexOf(yen))
    .click();
}
export async function insertBill(h: Harness, yen: 1000 | 2000 | 5000 | 10000): Promise<void> {
  await h.page
    .locator('.demo-panel [role="group"]')
    .nth(1)
    .locator('button')
    .nth([1000, 2000, 5000, 10000].indexOf(yen))
    .click();
}
export async function fault(h: Harness, which: string): Promise<void> {
  await h.page.locator('#demo-fault').selectOption(which);
  await h.page.locator('#demo-trigger').click();
}
/** Presses the on-screen PIN pad's keys for `pin`, then 確定/OK. */
export async function enterPin(h: Harness, pin: string): Promise<void> {
  const pad = h.page.locator('.pin-pad');
  for (const d of pin) await pad.getByRole('button', { name: d, exact: true }).click();
  await h.page.locator('.pin .actions button.primary').click();
}

/** Finds the PIN anywhere in the page: HTML, attributes, React state (fibers' hooks and props), and console. */
export async function pinTraces(h: Harness, pin: string): Promise<string[]> {
  const hits = await h.page.evaluate((pin) => {
    const found: string[] = [];
    if (document.documentElement.outerHTML.includes(pin)) found.push('html');
    for (const el of document.querySelectorAll('*'))
      for (const a of el.attributes) if (a.value.includes(pin)) found.push(`attribute ${a.name}`);
    const root = document.getElementById('root') as unknown as Record<string, unknown>;
    const key = Object.keys(root).find((k) => k.startsWith('__reactContainer$'));
    const seen = new WeakSet<object>();
    const scan = (v: unknown, where: string, depth: number): void => {
      if (v === null || v === undefined || depth > 80) return;
      if (typeof v === 'string') {
        if (v.includes(pin)) found.push(where);
        return;
      }
      if (typeof v !== 'object' || seen.has(v as object) || v instanceof Node) return;
      seen.add(v as object);
      if (Array.isArray(v) && v.length > 0 && v.join('') === pin) found.push(`${where} (digits)`);
      if ('stateNode' in (v as object) && 'return' in (v as object)) return; // another fiber: walked below
      for (const x of Object.values(v as object)) scan(x, where, depth + 1);
    };
    const walk = (f: Record<string, unknown> | null): void => {
      for (let n = f; n; n = n.sibling as Record<string, unknown> | null) {
        scan(n.memoizedState, 'react state', 0);
        scan(n.memoizedProps, 'react props', 0);
        walk(n.child as Record<string, unknown> | null);
      }
    };
    if (key) walk(root[key] as Record<string, unknown>);
    return found;
  }, pin);
  return [...hits, ...h.console.filter((l) => l.includes(pin)).map(() => 'console')];
}

/** After a failed test: end whatever session is open, through the contract, and wait for idle. */
export async function resetToIdle(h: Harness): Promise<void> {
  const call = (command: string, payload: unknown) =>
    h.kiosk.app.dispatch({ kind: 'request', id: 1, command, payload });
  const end = Date.now() + 30_000;
  while (snap(h).screen !== 'idle' && Date.now() < end) {
    await call('input', { input: { type: 'CANCEL' } });
    const s = snap(h);
    if (
      ('cardPresent' in s.view && s.view.cardPresent) ||
      s.state === 'session.takeCard' ||
      s.screen === 'cardLeft'
    )
      await call('demo', { action: { type: 'removeCard' } });
    await call('input', { input: { type: 'ACK' } });
    // The next thing the core publishes (the unwinding ends, the end screen goes); a kiosk that stays
    // put is sent the inputs again.
    const seq = snap(h).seq;
    await snapshotWhere(h.kiosk.app.core.engine, (x) => x.seq > seq, 'the kiosk to move', 2_000).catch(
      () => undefined,
    );
  }
  await call('demo', { action: { type: 'removeCard' } });
}

/** Answers every question on the options screen with its last choice (本人のみ / 載せない: the privacy-safe ones). */
export async function chooseOptions(h: Harness): Promise<void> {
  const sets = h.page.locator('main fieldset.option:has(.segmented)');
  for (let i = 0; i < (await sets.count()); i++) await sets.nth(i).locator('.segment label').last().click();
}
