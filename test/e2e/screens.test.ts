// Every screen of the machine, in every language and in the large-text and high-contrast modes,
// drawn from snapshots served by a stand-in host (the same envelopes as the browser host), so the
// short-lived screens (reading the card, printing, …) are checked as thoroughly as the rest.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { LANGUAGES, Snapshot, type Language, type ScreenId, type UiConfig } from '../../src/contract/index.js';
import { stepOf } from '../../src/core/view.js';
import { launchChromium } from '../support/browser.js';
import { RENDERER_DIR } from '../support/kiosk.js';
import { check, type Harness } from './helpers.js';

const certificate = { type: 'juminhyo', name: '住民票の写し', feeYen: 200, maxCopies: 10, options: [
  { id: 'scope', kind: 'choice', choices: ['household', 'self'] },
  { id: 'showHouseholder', kind: 'boolean' },
  { id: 'showRelationship', kind: 'boolean' },
  { id: 'showHonseki', kind: 'boolean' },
] };
const summary = { municipality: { code: '012050', name: '室蘭市' }, certificate: { type: 'juminhyo', name: '住民票の写し' }, options: { scope: 'household', showHouseholder: true, showRelationship: true, showHonseki: false }, copies: 2, feeYen: 400, cardPresent: true };
export const VIEWS: Array<[ScreenId, Record<string, unknown>]> = [
  ['idle', {}],
  ['outOfService', { reason: 'printer' }],
  ['outsideHours', { why: 'hours', reopensAt: '2026-12-01T06:30:00+09:00' }],
  ['technician', {}],
  ['insertCard', { phoneAccepted: true }],
  ['readingCard', { phone: true }],
  ['pin', { triesLeft: 1, cardType: 'mynumber', form: 'card', spentWhileAway: false, busy: false }],
  ['phoneAway', { triesLeft: 2 }],
  ['authenticating', { phone: true }],
  ['municipality', { phoneOnReader: false, municipalities: [{ code: '012050', name: '室蘭市', relation: ['residence'] }, { code: '012300', name: '登別市', relation: ['honseki'] }] }],
  ['certificate', { phoneOnReader: false, municipality: { code: '012050', name: '室蘭市' }, canGoBack: true, certificates: [['juminhyo', 200], ['juminhyo-kisai', 200], ['inkan', 200], ['koseki-zenbu', 350], ['koseki-kojin', 350], ['fuhyo', 200], ['shotoku-kazei', 200]].map(([type, feeYen]) => ({ type, name: type, feeYen })) }],
  ['options', { certificate, options: {}, copies: 1, busy: false }],
  ['confirm', summary],
  ['requesting', summary],
  ['takeCard', summary],
  ['payment', { accepting: true, dueYen: 400, insertedYen: 100, remainingYen: 300, noChangeFor: 10000, acceptedBills: [1000, 2000, 5000] }],
  ['printing', { copies: 2, printed: 1 }],
  ['change', { changeYen: 600, shortYen: 0, failure: null }],
  ['thankYou', { changeYen: 600, shortYen: 100, failure: null }],
  ['refused', { reason: 'counter', cardPresent: true, busy: false }],
  ['error', { messageKey: 'error.printer', cardPresent: false, refundedYen: 400, busy: false }],
  ['cancelled', { ending: 'removed', cardPresent: false, refundedYen: 0, busy: false }],
  ['cardLeft', { abandoned: true }],
];

const UI: UiConfig = { languages: [...LANGUAGES], shufflePinPad: true, demo: true, kioskName: 'test', demoCards: [{ id: 'yamada-taro', label: '山田 太郎' }] };

class FakeHost {
  server!: Server;
  sockets = new Set<WebSocket>();
  seq = 0;
  current!: Snapshot;
  inputs: unknown[] = [];

  async start() {
    this.server = createServer((req, res) => {
      const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(/^(\.\.[/\\])+/, '');
      const file = join(RENDERER_DIR, path === '/' ? 'index.html' : path);
      if (!file.startsWith(RENDERER_DIR) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
      const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.wav': 'audio/wav' };
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
    });
    const wss = new WebSocketServer({ server: this.server, path: '/contract' });
    wss.on('connection', (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
      ws.on('message', (data) => {
        const req = JSON.parse(String(data)) as { id: number; command: string; payload: { language?: Language; input?: unknown } };
        let result: unknown = { ok: true };
        if (req.command === 'hello') result = { snapshot: this.current, ui: UI };
        if (req.command === 'setLanguage') this.show(this.current.screen, this.current.view, req.payload.language!);
        if (req.command === 'input') this.inputs.push(req.payload.input);
        ws.send(JSON.stringify({ kind: 'response', id: req.id, ok: true, result }));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.show('idle', {}, 'ja');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  show(screen: ScreenId, view: Record<string, unknown>, language: Language = this.current.language, timeoutWarning: Snapshot['timeoutWarning'] = null) {
    // Parsed: each stand-in view must match its screen's contract schema.
    this.current = Snapshot.parse({ state: `fake.${screen}`, screen, language, seq: ++this.seq, step: stepOf(screen), timeoutWarning, view, demo: true });
    for (const ws of this.sockets) ws.send(JSON.stringify({ kind: 'event', event: { type: 'snapshot', snapshot: this.current } }));
  }

  async stop() {
    for (const ws of this.sockets) ws.terminate();
    await new Promise((r) => this.server.close(r));
  }
}

let browser: Browser;
let host: FakeHost;
let page: Page;
let h: Harness;
beforeAll(async () => {
  host = new FakeHost();
  const [b, url] = await Promise.all([launchChromium(), host.start()]);
  browser = b;
  page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await page.goto(url);
  await page.locator('.kiosk').waitFor();
  // check() reads the core's snapshot; here the stand-in host holds it.
  h = { browser, page, console: [], errors: [], kiosk: { app: { core: { snapshot: () => host.current } } } as unknown as Harness['kiosk'], close: async () => {} };
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

async function shows(screen: ScreenId, view: Record<string, unknown>, language: Language, warning: Snapshot['timeoutWarning'] = null) {
  host.show(screen, view, language, warning);
  const seq = host.seq;
  await page.waitForFunction((seq) => (window.__madoguchiRendered?.seq ?? 0) >= seq, seq);
}

describe('every screen', () => {
  for (const language of LANGUAGES) {
    it(`draws every screen in ${language} with no axe violations and its voice clip`, async () => {
      for (const [screen, view] of VIEWS) {
        await shows(screen, view, language);
        expect(await page.locator('.kiosk').getAttribute('data-screen')).toBe(screen);
        if (language === 'ja-easy' && screen === 'idle') expect(await page.locator('main h1 ruby rt').first().textContent()).toBe('しょうめいしょ');
        if (language === 'en' && screen === 'idle') expect(await page.locator('main h1').textContent()).toBe('Certificates');
        await check(h, `screens-${language}`, { axe: true });
      }
    }, 240_000);
  }

  it('every screen in large text and high contrast passes axe', async () => {
    // The tests before leave the page in the last language of the loop (やさしい日本語): back to 日本語.
    await shows('idle', {}, 'ja');
    await page.getByRole('button', { name: '文字を大きく' }).click();
    await page.getByRole('button', { name: '白黒反転' }).click();
    expect(await page.evaluate(() => document.documentElement.className)).toMatch(/large-text.*high-contrast|high-contrast.*large-text/);
    for (const [screen, view] of VIEWS.filter(([s]) => s !== 'idle')) {
      await shows(screen, view, 'ja');
      await check(h, 'screens-contrast', { axe: true, layout: false });
    }
  }, 240_000);

  it('the timeout warning counts down and "continue" sends EXTEND', async () => {
    await shows('payment', VIEWS.find(([s]) => s === 'payment')![1], 'en', { secondsLeft: 9 });
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain('9 seconds');
    // The amount still due stays in sight, and the warning chimes and speaks.
    await expect(dialog.locator('.amount-line').textContent()).resolves.toContain('300');
    await expect.poll(() => page.evaluate(() => (window.__madoguchiVoice ?? []).map((v) => v.clip))).toEqual(expect.arrayContaining(['chime', 'timeout']));
    await check(h, 'screens-timeout', { axe: true });
    await dialog.getByRole('button', { name: 'Continue' }).click();
    expect(host.inputs.at(-1)).toEqual({ type: 'EXTEND' });
  });

  it('mute: the clip is still requested but not played; "M" toggles it', async () => {
    await shows('idle', {}, 'ko');
    await page.keyboard.press('M');
    await shows('insertCard', { phoneAccepted: false }, 'ko');
    const last = await page.evaluate(() => window.__madoguchiVoice!.at(-1));
    expect(last).toMatchObject({ language: 'ko', clip: 'insertCard', muted: true });
    await page.keyboard.press('M');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => window.__madoguchiVoice!.at(-1))).toMatchObject({ clip: 'insertCard', muted: false });
  });

  it('options: nothing privacy-related is preselected; every choice is reachable from the keypad, NumLock on or off', async () => {
    await shows('options', { certificate, options: {}, copies: 1, busy: false }, 'ja');
    const next = page.locator('main .actions button.primary');
    expect(await page.locator('main input[type=radio]:checked').count()).toBe(0);
    expect(await next.isDisabled()).toBe(true);
    await expect(page.locator('.keypad-legend').textContent()).resolves.toContain('1〜9');
    // NumLock off: the keypad's 2, 4, 6, 8 arrive as arrows, with their Numpad codes.
    const press = (key: string, code: string) => page.evaluate(([key, code]) => window.dispatchEvent(new KeyboardEvent('keydown', { key, code, cancelable: true })), [key, code]);
    await press('ArrowDown', 'Numpad2');
    await press('ArrowLeft', 'Numpad4');
    await press('ArrowRight', 'Numpad6');
    await page.keyboard.press('8');
    expect(await page.locator('#opt-scope-self').isChecked()).toBe(true);
    expect(await next.isDisabled()).toBe(false);
    await press('+', 'NumpadAdd');
    await press('Enter', 'NumpadEnter');
    await expect.poll(() => host.inputs.at(-1)).toEqual({ type: 'SET_OPTIONS', options: { scope: 'self', showHouseholder: false, showRelationship: false, showHonseki: false }, copies: 2 });
    // "*" is back.
    await press('*', 'NumpadMultiply');
    await expect.poll(() => host.inputs.at(-1)).toEqual({ type: 'BACK' });
  });

  it('the shuffled PIN pad shows each digit once, and the demo panel only when demo is on', async () => {
    await shows('pin', { triesLeft: 3, cardType: 'mynumber', form: 'card', spentWhileAway: false, busy: false }, 'ja');
    const digits = await page.locator('.pin-pad button').allTextContents();
    expect(digits.slice(0, 10).map(Number).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await page.locator('.demo-panel').count()).toBe(1);
    host.current = { ...host.current, demo: false, seq: ++host.seq };
    for (const ws of host.sockets) ws.send(JSON.stringify({ kind: 'event', event: { type: 'snapshot', snapshot: host.current } }));
    await page.locator('.demo-panel').waitFor({ state: 'detached' });
  });
});
