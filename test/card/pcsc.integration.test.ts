// Through the real stack: pcscd + vsmartcard-vpcd, the virtual card program on 127.0.0.1:35963,
// and the pcsclite driver on reader "Virtual PCD 00 00".
import { X509Certificate, verify } from 'node:crypto';
import pcsclite from 'pcsclite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PcscFactory } from '../../drivers/card/pcsc.js';
import { loadJpkiTestPki } from '../../fixtures/pki/jpki.js';
import { createCardPort, type CardPortWithSimulator } from '../../src/card/index.js';
import { CardSection } from '../../src/config/sections/card.js';
import type { CardEvent } from '../../src/core/ports.js';
import { silentLogger } from '../../src/log/logger.js';
import { tempDir } from './helpers/cards.js';
import { ensurePcscd, type PcscdHandle } from '../../fixtures/vcard/pcscd.js';
import { startVcard, type VcardProcess } from './helpers/vcard.js';
import { when } from '../support/wait.js';

const READER = 'Virtual PCD 00 00';
let pcscd: PcscdHandle;
let card: VcardProcess | null = null;
let port: CardPortWithSimulator | null = null;

/** Checked again on every reader and card event of the port. */
const until = (cond: () => boolean, what: string) => when((l) => port!.onEvent(l), cond, what);

async function insert(
  cardId: string,
  stateDir = tempDir(),
  faults?: Parameters<typeof startVcard>[0]['faults'],
) {
  card = await startVcard({ card: cardId, stateDir, ...(faults ? { faults } : {}) });
  port = createCardPort(
    CardSection.parse({ driver: 'pcsc', readerPattern: '^Virtual PCD 00 00$', timeoutMs: 5000 }),
    { log: silentLogger, pcsc: pcsclite as unknown as PcscFactory },
  );
  const events: CardEvent[] = [];
  port.onEvent((e) => events.push(e));
  await until(() => port!.readerName() === READER && port!.cardPresent(), 'the virtual card in the reader');
  return { port, events, stateDir };
}

async function eject() {
  await port?.close();
  port = null;
  await card?.stop();
  card = null;
}

beforeAll(async () => {
  await loadJpkiTestPki();
  pcscd = await ensurePcscd();
}, 120_000);
afterEach(eject);
afterAll(async () => {
  await pcscd?.stop();
});

describe('PC/SC through pcscd + vpcd', () => {
  it('reads the certificate, verifies the PIN and signs; the signature verifies', async () => {
    const { port } = await insert('yamada-taro');
    const { cardType, certificate } = await port.readAuthCertificate();
    expect(cardType).toBe('mynumber');
    const pki = await loadJpkiTestPki();
    expect(Buffer.from(certificate).equals(Buffer.from(pki.cards[0]!.authCertDer))).toBe(true);
    expect(await port.authPinTriesLeft()).toBe(3);
    expect(await port.verifyAuthPin('1234')).toEqual({ ok: true });
    const challenge = new Uint8Array(32).fill(0x5a);
    const sig = await port.signWithAuthKey(challenge);
    expect(verify('sha256', challenge, new X509Certificate(certificate).publicKey, sig)).toBe(true);
    expect(port.apduCount()).toBeLessThanOrEqual(14);
  });

  it.each([
    ['phone-android', 'android', '3141'],
    ['phone-iphone', 'iphone', '2718'],
  ] as const)('a %s phone token: certificate only after its PIN, then it signs', async (id, kind, pin) => {
    const { port } = await insert(id);
    expect(await port.identifyToken()).toEqual({ cardType: kind, form: 'phone', certificateNeedsPin: true });
    const info = await port.cardInfo();
    expect(info).toMatchObject({
      cardType: kind,
      form: 'phone',
      certificateReadable: false,
      atrHex: '3B80800101',
      authPinTriesLeft: 3,
    });
    await expect(port.readAuthCertificate()).rejects.toMatchObject({ kind: 'securityStatus' });
    expect(await port.verifyAuthPin(pin)).toEqual({ ok: true });
    const { certificate } = await port.readAuthCertificate();
    const pki = await loadJpkiTestPki();
    expect(
      Buffer.from(certificate).equals(Buffer.from(pki.cards.find((c) => c.cardId === id)!.authCertDer)),
    ).toBe(true);
    const challenge = new Uint8Array(32).fill(0x33);
    expect(
      verify(
        'sha256',
        challenge,
        new X509Certificate(certificate).publicKey,
        await port.signWithAuthKey(challenge),
      ),
    ).toBe(true);
  });

  it('`madoguchi card info` names the phone token and shows what it can without the PIN', async () => {
    card = await startVcard({ card: 'phone-iphone', stateDir: tempDir() });
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(
      process.execPath,
      ['bin/madoguchi.js', 'card', 'info', '--reader', '^Virtual PCD 00 00$', '--wait', '10000'],
      { encoding: 'utf8' },
    );
    expect(out).toMatch(/token\s+スマートフォン iPhone \(JPKIAPIOSTOKEN\)/);
    expect(out).toMatch(/certificate\s+released by the phone only after the PIN/);
    expect(out).toMatch(/PIN tries\s+3/);
    expect(out).not.toMatch(/subject/);
  });

  it('住基カード is told apart by its token', async () => {
    const { port } = await insert('sato-kenji');
    expect((await port.readAuthCertificate()).cardType).toBe('juki');
  });

  it('wrong PIN counts down and the counter survives a restart of the card; then blocked', async () => {
    const { port, stateDir } = await insert('one-try-left');
    expect(await port.authPinTriesLeft()).toBe(1);
    expect(await port.verifyAuthPin('0000')).toEqual({ ok: false, blocked: true });
    await eject();
    const again = await insert('one-try-left', stateDir);
    expect(await again.port.authPinTriesLeft()).toBe(0);
    expect(await again.port.verifyAuthPin('5555')).toEqual({ ok: false, blocked: true });
  });

  it('PIN right after a wrong one, counters as the card keeps them', async () => {
    const { port } = await insert('yamada-hanako');
    expect(await port.verifyAuthPin('0000')).toEqual({ ok: false, blocked: false, triesLeft: 2 });
    expect(await port.authPinTriesLeft()).toBe(2);
    expect(await port.verifyAuthPin('2580')).toEqual({ ok: true });
    expect(await port.authPinTriesLeft()).toBe(3);
  });

  it('the blocked-pin card reports blocked, not wrong', async () => {
    const { port } = await insert('blocked-pin');
    expect(await port.authPinTriesLeft()).toBe(0);
    expect(await port.verifyAuthPin('9999')).toEqual({ ok: false, blocked: true });
  });

  it('the card pulled in the middle of a read: removed error and cardRemoved event', async () => {
    // APDU 5 is the certificate's READ BINARY (after SELECT AP, SELECT and READ of EF 0006, SELECT EF 000A).
    const { port, events } = await insert('yamada-taro', tempDir(), { removeDuringApdu: 5 });
    await expect(port.readAuthCertificate()).rejects.toMatchObject({ name: 'CardError', kind: 'removed' });
    await until(() => events.some((e) => e.type === 'cardRemoved'), 'cardRemoved');
    expect(port.cardPresent()).toBe(false);
  });

  it('cardInfo spends no try and sees the technician role', async () => {
    const { port } = await insert('technician');
    const info = await port.cardInfo();
    expect(info).toMatchObject({ reader: READER, technician: true, authPinTriesLeft: 3 });
    expect(await port.authPinTriesLeft()).toBe(3);
  });
});
