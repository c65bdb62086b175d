// The whole flow with the real card stack: pcscd + vsmartcard-vpcd, the virtual JPKI card program
// (fixtures/vcard) inserted and removed as a process, and the kiosk's pcsclite driver.
import { viewOn } from '../../src/contract/index.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadJpkiTestPki } from '../../fixtures/pki/jpki.js';
import { ensurePcscd, type PcscdHandle } from '../../fixtures/vcard/pcscd.js';
import { startVcard, type VcardProcess } from '../card/helpers/vcard.js';
import {
  check,
  chooseOptions,
  enterPin,
  insertCoin,
  onScreen,
  open,
  pinTraces,
  snap,
  type Harness,
} from './helpers.js';

let h: Harness;
let pcscd: PcscdHandle;
let card: VcardProcess | null = null;
beforeAll(async () => {
  await loadJpkiTestPki();
  pcscd = await ensurePcscd();
  h = await open({ card: { driver: 'pcsc', readerPattern: '^Virtual PCD 00 00$' } });
}, 180_000);
afterAll(async () => {
  await card?.stop();
  await h?.close();
  await pcscd?.stop();
});

const primary = () => h.page.locator('main .actions button.primary');

describe('virtual card through pcscd', () => {
  it('issues a 住民票 with the virtual My Number card', async () => {
    await onScreen(h, 'idle');
    await primary().click();
    await onScreen(h, 'insertCard');
    card = await startVcard({
      card: 'yamada-taro',
      stateDir: mkdtempSync(join(tmpdir(), 'madoguchi-e2e-vcard-')),
    });
    await onScreen(h, 'pin', (s) => s.view.busy === false, 30_000);
    await check(h, 'pcsc');
    await enterPin(h, '1234');
    await onScreen(h, 'certificate', () => true, 30_000);
    expect(await pinTraces(h, '1234')).toEqual([]);
    const types = viewOn(snap(h), 'certificate').certificates.map((c) => c.type);
    await h.page.locator('main button.choice').nth(types.indexOf('juminhyo')).click();
    await onScreen(h, 'options', (s) => s.view.busy === false);
    await chooseOptions(h);
    await primary().click();
    await onScreen(h, 'confirm');
    await primary().click();
    await onScreen(h, 'takeCard', () => true, 30_000);
    await check(h, 'pcsc');
    await card.stop(); // the resident takes the card out of the reader
    card = null;
    await onScreen(h, 'payment', (s) => s.view.accepting === true, 30_000);
    await insertCoin(h, 500);
    await onScreen(h, 'thankYou', () => true, 30_000);
    expect(viewOn(snap(h), 'thankYou').changeYen).toBe(300);
    await check(h, 'pcsc');
    await primary().click();
    await onScreen(h, 'idle');
  }, 150_000);
});
