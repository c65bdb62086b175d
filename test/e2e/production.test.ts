// The production profile end to end: the installed configuration, every part its own process
// (fixtures/production/rig.ts: registry simulator with mutual TLS and run-made signing keys,
// virtual card on pcscd + vpcd, ccTalk cash on a socat pty, a private cupsd, the ESC/POS emulator on
// TCP, the kiosk from the compiled command line) and Chromium as the resident's screen. Once in
// Japanese (LANG=ja_JP.UTF-8, TZ=Asia/Tokyo), once with LANG=C.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isScreen, type ScreenId, type Snapshot, type SnapshotOf } from '../../src/contract/index.js';
import { loadJpkiTestPki } from '../../fixtures/pki/jpki.js';
import { observeKiosk, type ContractObserver } from '../../fixtures/production/contract-observer.js';
import type { KioskProcess } from '../../fixtures/production/kiosk-process.js';
import { startProductionRig, type CardInReader, type ProductionRig } from '../../fixtures/production/rig.js';
import { launchChromium } from '../support/browser.js';
import { JA_LOCALE, requireJapaneseLocale } from '../support/locale.js';
import { when, type Subscribe } from '../support/wait.js';

const CERTIFICATE_TYPES = [
  'juminhyo',
  'juminhyo-kisai',
  'inkan',
  'koseki-zenbu',
  'koseki-kojin',
  'fuhyo',
  'shotoku-kazei',
];

for (const lang of [JA_LOCALE, 'C']) {
  describe(`production profile, LANG=${lang} TZ=Asia/Tokyo`, () => {
    let rig: ProductionRig;
    let kiosk: KioskProcess;
    let browser: Browser;
    let page: Page;
    let watch: ContractObserver;
    let card: CardInReader | null = null;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      if (lang !== 'C') requireJapaneseLocale();
      await loadJpkiTestPki();
      rig = await startProductionRig({ lang, tz: 'Asia/Tokyo' });
      kiosk = await rig.startKiosk();
      browser = await launchChromium();
      page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      // The printed URL's one-time code: the browser's first visit trades it for the session cookie
      // and lands on the same page without it; the code is spent.
      await page.goto(kiosk.url);
      expect(new URL(page.url()).search).toBe('');
      expect((await fetch(kiosk.url, { redirect: 'manual' })).status).toBe(403);
      const session = (await page.context().cookies()).find((c) => c.name === 'madoguchi_session')!;
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      watch = await observeKiosk({
        origin: new URL(kiosk.url).origin,
        cookie: `${session.name}=${session.value}`,
      });
    }, 180_000);
    afterAll(async () => {
      watch?.close();
      await card?.remove();
      await browser?.close();
      await rig?.stop();
    });

    const snap = () => watch.snapshot()!;
    const snapshots: Subscribe = (l) => watch.subscribe(l);
    const primary = () => page.locator('main .actions button.primary');
    /** Waits until the kiosk publishes `screen` (satisfying `pred`) and the page has drawn it. */
    async function onScreen<S extends ScreenId>(
      screen: S,
      pred: (s: SnapshotOf<S>) => boolean = () => true,
      ms = 30_000,
    ): Promise<SnapshotOf<S>> {
      const end = Date.now() + ms;
      const wanted = (s: Snapshot | null): s is SnapshotOf<S> => !!s && isScreen(s, screen) && pred(s);
      for (;;) {
        try {
          await when(
            snapshots,
            () => wanted(watch.snapshot()),
            `screen ${screen}`,
            Math.max(1, end - Date.now()),
          );
          await page
            .locator(`.kiosk[data-screen="${screen}"]`)
            .waitFor({ state: 'attached', timeout: Math.max(1, end - Date.now()) });
        } catch {
          const drawn = await page.evaluate(() =>
            document.querySelector('.kiosk')?.getAttribute('data-screen'),
          );
          const s = watch.snapshot();
          throw new Error(
            `timed out waiting for ${screen}; page shows ${drawn}, kiosk at ${s?.state} ${JSON.stringify(s?.view)}\n${kiosk.output().slice(-1500)}`,
          );
        }
        // The kiosk may have moved on while the page drew; then wait for it to come back.
        const s = watch.snapshot();
        if (wanted(s)) return s;
      }
    }
    async function enterPin(pin: string) {
      const pad = page.locator('.pin-pad');
      for (const d of pin) await pad.getByRole('button', { name: d, exact: true }).click();
      await page.locator('.pin .actions button.primary').click();
    }
    const receipts = () => readdirSync(rig.receiptPrinter.outDir).filter((f) => f.endsWith('.txt')).length;
    const pdfs = () =>
      readdirSync(rig.cups.pdfOutDir, { recursive: true }).filter((f) => String(f).endsWith('.pdf')).length;
    /** The cash simulator's output as it grows (its own listener, registered first, has taken each chunk in). */
    const cashOutput: Subscribe = (l) => {
      rig.cash.proc.stdout!.on('data', l);
      return () => rig.cash.proc.stdout!.off('data', l);
    };
    const hopperPaidOut = async (): Promise<number> => {
      const before = rig.cash.output().length;
      const status = () =>
        rig.cash
          .output()
          .slice(before)
          .split('\n')
          .slice(0, -1) // whole lines only
          .find((l) => l.startsWith('{"coinsEnabled"'));
      const answered = when(cashOutput, () => status() !== undefined, "the cash simulator's status");
      rig.cash.command('status');
      await answered;
      return (JSON.parse(status()!) as { hoppers: Array<{ yen: number; paidOut: number }> }).hoppers.reduce(
        (n, h) => n + h.yen * h.paidOut,
        0,
      );
    };

    /** Idle → card in → PIN → the certificate menu. */
    async function toMenu() {
      await onScreen('idle');
      await primary().click();
      await onScreen('insertCard');
      card = await rig.insertCard('yamada-taro');
      await onScreen('pin', (s) => s.view.busy === false);
      await enterPin('1234');
      await when(
        snapshots,
        () => ['municipality', 'certificate'].includes(snap().screen),
        'the municipality or certificate menu',
        30_000,
      ).catch(() => undefined);
      const s = snap();
      if (isScreen(s, 'municipality')) {
        const codes = s.view.municipalities.map((m) => m.code);
        await page
          .locator('main button.choice')
          .nth(Math.max(0, codes.indexOf('012050')))
          .click();
      }
    }
    /** The menu → chosen → confirmed → card taken out → the payment screen; returns the fee. */
    async function toPayment(type: string): Promise<number> {
      const menu = await onScreen('certificate');
      const types = menu.view.certificates.map((c) => c.type);
      expect(types).toContain(type);
      await page.locator('main button.choice').nth(types.indexOf(type)).click();
      await onScreen('options', (s) => s.view.busy === false);
      // Every question answered with its last choice (本人のみ / 載せない: the privacy-safe ones).
      const questions = page.locator('main fieldset.option:has(.segmented)');
      for (let i = 0; i < (await questions.count()); i++)
        await questions.nth(i).locator('.segment label').last().click();
      await primary().click();
      const confirm = await onScreen('confirm');
      const fee = confirm.view.feeYen;
      await primary().click();
      await onScreen('takeCard');
      await card!.remove();
      card = null;
      await onScreen('payment', (s) => s.view.accepting === true);
      return fee;
    }

    it('issues every certificate type: certificate through CUPS, receipt on the ESC/POS printer, change from the hoppers', async () => {
      for (const type of CERTIFICATE_TYPES) {
        const [pdfsBefore, receiptsBefore, paidOutBefore] = [pdfs(), receipts(), await hopperPaidOut()];
        await toMenu();
        const fee = await toPayment(type);
        rig.cash.command('coin 500');
        const done = await onScreen('thankYou', () => true, 60_000);
        expect(done.view.changeYen).toBe(500 - fee);
        await expect.poll(pdfs, { timeout: 20_000 }).toBeGreaterThan(pdfsBefore);
        await expect.poll(receipts, { timeout: 20_000 }).toBeGreaterThan(receiptsBefore);
        expect((await hopperPaidOut()) - paidOutBefore).toBe(500 - fee);
        await primary().click();
        await onScreen('idle');
      }
    }, 420_000);

    it('pays with a ¥1000 bill and gives the change', async () => {
      const paidOutBefore = await hopperPaidOut();
      await toMenu();
      const fee = await toPayment('juminhyo');
      rig.cash.command('bill 1000');
      const done = await onScreen('thankYou', () => true, 60_000);
      expect(done.view.changeYen).toBe(1000 - fee);
      expect((await hopperPaidOut()) - paidOutBefore).toBe(1000 - fee);
      await primary().click();
      await onScreen('idle');
    }, 120_000);

    it('cancel during payment refunds what was inserted', async () => {
      const paidOutBefore = await hopperPaidOut();
      await toMenu();
      await toPayment('inkan');
      rig.cash.command('coin 100');
      await onScreen('payment', (s) => s.view.insertedYen === 100);
      await page.locator('main .actions button[data-key="cancel"]').click();
      const c = await onScreen('cancelled', (s) => !s.view.busy, 30_000);
      expect(c.view.refundedYen).toBe(100);
      expect((await hopperPaidOut()) - paidOutBefore).toBe(100);
      await primary()
        .click()
        .catch(() => undefined);
      await onScreen('idle', () => true, 60_000);
    }, 120_000);

    it('paper out at the certificate printer: nothing printed, the money refunded, out of service until paper is back', async () => {
      const cups = (cmd: string, ...args: string[]) =>
        execFileSync(cmd, args, {
          encoding: 'utf8',
          env: { ...process.env, LANG: 'C', CUPS_SERVER: rig.cups.server },
        });
      const device = /device for MADOGUCHI_A4: (\S+)/.exec(cups('lpstat', '-v', 'MADOGUCHI_A4'))![1]!;
      const paidOutBefore = await hopperPaidOut();
      const pdfsBefore = pdfs();
      cups('lpadmin', '-p', 'MADOGUCHI_A4', '-v', 'madoguchi-test:/');
      rig.cups.setTestPrinter('paper-out');
      try {
        await toMenu();
        const fee = await toPayment('juminhyo');
        rig.cash.command('coin 500');
        const err = await onScreen('error', (s) => !s.view.busy, 90_000);
        expect(err.view).toMatchObject({ messageKey: 'error.printer', refundedYen: 500 });
        expect(fee).toBeLessThan(500);
        expect((await hopperPaidOut()) - paidOutBefore).toBe(500);
        expect(pdfs()).toBe(pdfsBefore);
        await primary().click();
        await onScreen('outOfService', () => true, 30_000);
        // Paper back: the technician prints a test page; the backend reports the printer's state
        // afresh with it, and the kiosk's own readiness check takes it back into service.
        rig.cups.setTestPrinter('ok');
        cups('lp', '-d', 'MADOGUCHI_A4', '-o', 'raw', '/etc/hostname');
        await expect.poll(() => cups('lpstat', '-o', 'MADOGUCHI_A4').trim(), { timeout: 30_000 }).toBe('');
        await onScreen('idle', () => true, 120_000);
      } finally {
        rig.cups.setTestPrinter('ok');
        cups('lpadmin', '-p', 'MADOGUCHI_A4', '-v', device);
      }
    }, 300_000);

    it('registry down: the resident is told and charged nothing; the kiosk goes out of service', async () => {
      await onScreen('idle');
      const paidOutBefore = await hopperPaidOut();
      rig.registry.proc.kill('SIGTERM');
      await new Promise((r) => rig.registry.proc.once('exit', r));
      const seen = new Set<string>();
      const offSeen = watch.subscribe(() => seen.add(snap().screen));
      const end = Date.now() + 90_000;
      // Either the kiosk notices first (out of service at idle) or the resident's session ends in an error.
      if (snap().screen === 'idle') {
        await primary()
          .click()
          .catch(() => undefined);
      }
      // Each snapshot the kiosk publishes is answered once, when the page has drawn it.
      let answered = -1;
      try {
        while (snap().screen !== 'outOfService') {
          await when(
            snapshots,
            () => snap().seq !== answered,
            'the kiosk to move',
            Math.max(1, end - Date.now()),
          );
          const s = snap();
          answered = s.seq;
          seen.add(s.screen);
          if (s.screen === 'outOfService') break;
          const drawn = await page
            .locator(`.kiosk[data-screen="${s.screen}"]`)
            .waitFor({ state: 'attached', timeout: 10_000 })
            .then(
              () => true,
              () => false,
            );
          if (!drawn || snap().seq !== s.seq) continue;
          if (s.screen === 'insertCard' && !card) card = await rig.insertCard('yamada-taro');
          if (s.screen === 'pin' && !s.view.busy) await enterPin('1234').catch(() => undefined);
          if (
            (s.screen === 'error' || s.screen === 'cancelled') &&
            !s.view.busy &&
            !('cardPresent' in s.view && s.view.cardPresent)
          ) {
            await primary()
              .click()
              .catch(() => undefined);
          }
          if ((s.screen === 'error' || s.screen === 'cancelled' || s.screen === 'cardLeft') && card) {
            await card.remove();
            card = null;
          }
        }
      } finally {
        offSeen();
      }
      expect(snap().screen).toBe('outOfService');
      expect(seen.has('payment')).toBe(false);
      expect(await hopperPaidOut()).toBe(paidOutBefore);
      expect(pageErrors).toEqual([]);
    }, 150_000);

    it('the journal holds every issuance, closed', () => {
      const db = new Database(join(rig.dir, 'data', 'journal.sqlite3'), {
        readonly: true,
        fileMustExist: true,
      });
      try {
        const rows = db
          .prepare('SELECT status, COUNT(*) AS n FROM transactions GROUP BY status')
          .all() as Array<{ status: string; n: number }>;
        const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
        expect(by.completed).toBe(CERTIFICATE_TYPES.length + 1);
      } finally {
        db.close();
      }
    });
  });
}
