import { X509Certificate, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FaultyCard } from '../../drivers/card/faults.js';
import { SimulatedReaderDriver, SIMULATED_READER } from '../../drivers/card/simulator.js';
import { CardPortAdapter } from '../../src/card/card-port.js';
import { createCardPort, createCardSimulator } from '../../src/card/index.js';
import { CardSection } from '../../src/config/sections/card.js';
import { silentLogger } from '../../src/log/logger.js';
import type { CardEvent } from '../../src/core/ports.js';
import { tempDir, virtualCard } from './helpers/cards.js';

const config = (over: Record<string, unknown> = {}) => CardSection.parse({ timeoutMs: 300, ...over });

async function setup(cardId = 'yamada-taro', faults = {}) {
  const sim = createCardSimulator({ stateDir: tempDir() });
  const port = createCardPort(config(), { log: silentLogger, simulator: sim });
  const events: CardEvent[] = [];
  port.onEvent((e) => events.push(e));
  await sim.insert(cardId, faults);
  return { sim, port, events };
}

describe('CardPort over the in-process simulator', () => {
  it('runs the resident flow and emits insertion', async () => {
    const { port, events } = await setup();
    expect(port.cardPresent()).toBe(true);
    expect(events).toEqual([{ type: 'cardInserted', reader: SIMULATED_READER }]);
    const { cardType, certificate } = await port.readAuthCertificate();
    expect(cardType).toBe('mynumber');
    expect(await port.authPinTriesLeft()).toBe(3);
    expect(await port.verifyAuthPin('1234')).toEqual({ ok: true });
    const msg = new Uint8Array([1, 2, 3]);
    expect(
      verify('sha256', msg, new X509Certificate(certificate).publicKey, await port.signWithAuthKey(msg)),
    ).toBe(true);
    expect(port.apduCount()).toBeLessThanOrEqual(14);
    expect(port.status()).toMatchObject({
      id: 'cardReader',
      kind: 'cardReader',
      state: 'online',
      media: { card: 'present' },
    });
    await port.close();
  });

  it('a card pulled mid-read: cardRemoved event and the pending call rejects with kind removed', async () => {
    const { sim, port, events } = await setup('yamada-taro', { latencyMs: 20 });
    const pending = port.readAuthCertificate();
    setTimeout(() => sim.remove(), 90);
    await expect(pending).rejects.toMatchObject({ name: 'CardError', kind: 'removed' });
    expect(events.at(-1)).toEqual({ type: 'cardRemoved', reader: SIMULATED_READER });
    await expect(port.authPinTriesLeft()).rejects.toMatchObject({ kind: 'removed' });
    // a new insertion gets a fresh session
    await sim.insert('sato-kenji');
    expect((await port.readAuthCertificate()).cardType).toBe('juki');
    await port.close();
  });

  it('removal injected by the card during an APDU', async () => {
    const { port, events } = await setup('yamada-taro', { removeDuringApdu: 5 });
    await expect(port.readAuthCertificate()).rejects.toMatchObject({ kind: 'removed' });
    expect(events.map((e) => e.type)).toEqual(['cardInserted', 'cardRemoved']);
  });

  it('a mute card times out', async () => {
    const { port } = await setup('yamada-taro', { mute: true });
    await expect(port.readAuthCertificate()).rejects.toMatchObject({ kind: 'timeout' });
    expect(port.status().lastError?.kind).toBe('timeout');
  });

  it('wrong status words surface as protocol errors; a non-JPKI card as unsupportedCard', async () => {
    const a = await setup('yamada-taro', { wrongSw: { sw: 0x6f00 } });
    await expect(a.port.readAuthCertificate()).rejects.toMatchObject({ kind: 'protocol' });
    const b = await setup('yamada-taro', { wrongSw: { sw: 0x6a82 } });
    await expect(b.port.readAuthCertificate()).rejects.toMatchObject({ kind: 'unsupportedCard' });
    const c = await setup('yamada-taro', { wrongSw: { sw: 0x6982, fromApdu: 3 } });
    await expect(c.port.readAuthCertificate()).rejects.toMatchObject({ kind: 'securityStatus' });
  });

  it('blocked PIN is reported distinctly', async () => {
    const { port } = await setup('blocked-pin');
    expect(await port.authPinTriesLeft()).toBe(0);
    expect(await port.verifyAuthPin('9999')).toEqual({ ok: false, blocked: true });
  });

  it('PIN counters persist across simulator restarts; resetPins restores them', async () => {
    const dir = tempDir();
    const sim1 = createCardSimulator({ stateDir: dir });
    const p1 = createCardPort(config(), { log: silentLogger, simulator: sim1 });
    await sim1.insert('tenshutsu');
    expect(await p1.verifyAuthPin('0000')).toEqual({ ok: false, blocked: false, triesLeft: 2 });
    const sim2 = createCardSimulator({ stateDir: dir });
    expect(sim2.cards().find((c) => c.id === 'tenshutsu')?.authPinTriesLeft).toBe(2);
    const p2 = createCardPort(config(), { log: silentLogger, simulator: sim2 });
    await sim2.insert('tenshutsu');
    expect(await p2.authPinTriesLeft()).toBe(2);
    sim2.resetPins('tenshutsu');
    expect(sim2.cards().find((c) => c.id === 'tenshutsu')?.authPinTriesLeft).toBe(3);
  });

  it('picks the reader by pattern and follows readers plugged in and out', async () => {
    const driver = new SimulatedReaderDriver(['Other Reader 00']);
    const port = new CardPortAdapter(config({ readerPattern: '^Kiosk' }), { driver, log: silentLogger });
    const events: CardEvent[] = [];
    port.onEvent((e) => events.push(e));
    expect(port.readerName()).toBeNull();
    await expect(port.readAuthCertificate()).rejects.toMatchObject({ kind: 'noReader' });
    expect(port.status().state).toBe('noDevice');
    driver.attachReader('Kiosk Reader 01');
    expect(port.readerName()).toBe('Kiosk Reader 01');
    driver.insert(new FaultyCard(await virtualCard('yamada-taro')), 'Other Reader 00');
    expect(port.cardPresent()).toBe(false);
    driver.insert(new FaultyCard(await virtualCard('yamada-taro'), { latencyMs: 20 }), 'Kiosk Reader 01');
    const pending = port.readAuthCertificate();
    setTimeout(() => driver.detachReader('Kiosk Reader 01'), 30);
    await expect(pending).rejects.toMatchObject({ kind: 'removed' });
    expect(events.map((e) => e.type)).toEqual([
      'readerAttached',
      'cardInserted',
      'cardRemoved',
      'readerDetached',
    ]);
    expect(port.readerName()).toBeNull();
  });

  it('cardInfo reads type, subject, validity and tries without spending one; technician role', async () => {
    const { port } = await setup('technician');
    const info = await port.cardInfo();
    expect(info).toMatchObject({
      cardType: 'mynumber',
      technician: true,
      authPinTriesLeft: 3,
      expired: false,
    });
    expect(await port.authPinTriesLeft()).toBe(3);
    expect((await port.readBasicInfo('0000')).info?.sex).toBe('9');
    const expired = await setup('expired');
    expect(await expired.port.cardInfo()).toMatchObject({
      cardType: 'juki',
      expired: true,
      technician: false,
    });
  });
});
