// Phone JPKI tokens (スマホ用電子証明書) as byte vectors: EF 0006 names the platform, the
// user-authentication certificate is released only after its PIN, and there is no card-info AP.
import { X509Certificate, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseResponse } from '../../drivers/card/apdu.js';
import type { CardTransport } from '../../drivers/card/interface.js';
import { JpkiClient, parseToken } from '../../drivers/card/jpki-client.js';
import { AID } from '../../drivers/card/jpki-constants.js';
import { createCardPort, createCardSimulator } from '../../src/card/index.js';
import { CardSection } from '../../src/config/sections/card.js';
import { silentLogger } from '../../src/log/logger.js';
import { loadJpkiTestPki } from '../../fixtures/pki/jpki.js';
import { readerWith, tempDir, virtualCard } from './helpers/cards.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
type Card = Awaited<ReturnType<typeof virtualCard>>;
const send = (card: Card, h: string) => parseResponse(card.process(hex(h)));
const sw = (card: Card, h: string) => send(card, h).sw.toString(16).toUpperCase();
const tokenBytes = (name: string) => {
  const b = new Uint8Array(32).fill(0x20);
  b.set(new TextEncoder().encode(name));
  return b;
};

/** Records every command and answer that crosses the transport. */
function recording(inner: CardTransport): CardTransport & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    async transmit(command) {
      const answer = await inner.transmit(command);
      log.push(`${toHex(command)} -> ${toHex(answer.subarray(answer.length - 2))}`);
      return answer;
    },
  };
}

describe('EF 0006 token names', () => {
  it.each([
    ['JPKIAPICCTOKEN2', 'mynumber'],
    ['JPKIAPICCTOKEN', 'juki'],
    ['JPKIAPGPSETOKEN', 'android'],
    ['JPKIAPIOSTOKEN', 'iphone'],
  ])('%s is %s', (name, kind) => {
    expect(parseToken(tokenBytes(name))).toEqual({ cardType: kind, token: name });
  });

  it('an unknown, truncated or garbled token is unknown, and shown without control bytes', () => {
    expect(parseToken(tokenBytes('JPKIAPXXTOKEN')).cardType).toBe('unknown');
    expect(parseToken(tokenBytes('JPKIAPGPSETOKE')).cardType).toBe('unknown');
    expect(parseToken(new Uint8Array(32).fill(0xff))).toEqual({ cardType: 'unknown', token: '' });
    const garbled = parseToken(Uint8Array.from([0x4a, 0x07, 0x1b, 0x50]));
    expect(garbled.cardType).toBe('unknown');
    expect(garbled.token).toBe('J\\x07\\x1bP');
  });
});

describe('virtual phone tokens answer as the public facts describe', () => {
  it.each([
    ['phone-android', 'JPKIAPGPSETOKEN'],
    ['phone-iphone', 'JPKIAPIOSTOKEN'],
  ])('%s: token, certificate after the PIN only, no card-info AP', async (id, token) => {
    const card = await virtualCard(id);
    expect(toHex(card.atr)).toBe('3B80800101');
    expect(sw(card, '00A4040C0AD392F000260100000001')).toBe('9000');
    expect(sw(card, '00A4020C020006')).toBe('9000');
    expect(Buffer.from(send(card, '00B0000020').data).toString('latin1')).toBe(token.padEnd(32, ' '));
    // EF 000A before the PIN: security status not satisfied
    expect(sw(card, '00A4020C02000A')).toBe('9000');
    expect(sw(card, '00B0000004')).toBe('6982');
    // the CA certificate stays public
    expect(sw(card, '00A4020C02000B')).toBe('9000');
    expect(sw(card, '00B0000004')).toBe('9000');
    // tries without spending one, then the PIN
    expect(sw(card, '00A4020C020018')).toBe('9000');
    expect(sw(card, '00200080')).toBe('63C3');
    const pin = id === 'phone-android' ? '3141' : '2718';
    expect(sw(card, `0020008004${toHex(new TextEncoder().encode(pin))}`)).toBe('9000');
    expect(sw(card, '00A4020C02000A')).toBe('9000');
    const head = send(card, '00B0000004');
    expect(head.sw).toBe(0x9000);
    expect(head.data[0]).toBe(0x30);
    // selecting the JPKI AP again drops the verified state: the certificate is guarded again
    expect(sw(card, '00A4040C0AD392F000260100000001')).toBe('9000');
    expect(sw(card, '00A4020C02000A')).toBe('9000');
    expect(sw(card, '00B0000004')).toBe('6982');
    // no card-info input support AP on a phone
    expect(sw(card, `00A4040C0A${toHex(AID.cardInfo)}`)).toBe('6A82');
  });

  it('a wrong phone PIN counts down like the card (63Cx) and blocks with 6984', async () => {
    const card = await virtualCard('phone-android');
    sw(card, '00A4040C0AD392F000260100000001');
    sw(card, '00A4020C020018');
    expect(sw(card, '002000800430303030')).toBe('63C2');
    expect(sw(card, '002000800430303030')).toBe('63C1');
    expect(sw(card, '002000800430303030')).toBe('63C0');
    expect(sw(card, '002000800433313431')).toBe('6984');
  });
});

describe('the client follows each token’s order of operations', () => {
  it('phone: token, tries, verify, then certificate, then sign — as byte vectors', async () => {
    const { connection } = await readerWith('phone-android');
    const transport = recording(connection);
    const client = new JpkiClient(transport);
    expect(await client.cardType()).toEqual({ cardType: 'android', token: 'JPKIAPGPSETOKEN' });
    expect(await client.authPinTriesLeft()).toBe(3);
    expect(await client.verifyAuthPin('3141')).toEqual({ ok: true });
    const cert = await client.readAuthCertificate();
    const msg = new TextEncoder().encode('challenge');
    const sig = await client.signWithAuthKey(msg);
    expect(verify('sha256', msg, new X509Certificate(cert).publicKey, sig)).toBe(true);
    const pki = await loadJpkiTestPki();
    expect(
      Buffer.from(cert).equals(Buffer.from(pki.cards.find((c) => c.cardId === 'phone-android')!.authCertDer)),
    ).toBe(true);
    const certReads = transport.log.filter((l) => l.startsWith('00B0') && !l.startsWith('00B0000020'));
    expect(transport.log.slice(0, 6)).toEqual([
      '00A4040C0AD392F000260100000001 -> 9000',
      '00A4020C020006 -> 9000',
      '00B0000020 -> 9000',
      '00A4020C020018 -> 9000',
      '00200080 -> 63C3',
      '0020008004' + toHex(new TextEncoder().encode('3141')) + ' -> 9000',
    ]);
    expect(transport.log[6]).toBe('00A4020C02000A -> 9000');
    expect(certReads.length).toBeGreaterThan(1);
    expect(transport.log.at(-2)).toBe('00A4020C020017 -> 9000');
    expect(transport.log.at(-1)).toMatch(
      /^802A0080333031300D060960864801650304020105000420[0-9A-F]{64}00 -> 9000$/,
    );
    // token + tries + verify + certificate + sign: within the card's budget plus the PIN-first order
    expect(client.apdus).toBeLessThanOrEqual(15);
  });

  it('the port identifies phones and refuses to read their certificate before the PIN', async () => {
    const sim = createCardSimulator({ stateDir: tempDir() });
    const port = createCardPort(CardSection.parse({ timeoutMs: 500 }), { log: silentLogger, simulator: sim });
    await sim.insert('phone-iphone');
    expect(await port.identifyToken()).toEqual({
      cardType: 'iphone',
      form: 'phone',
      certificateNeedsPin: true,
    });
    await expect(port.readAuthCertificate()).rejects.toMatchObject({ kind: 'securityStatus' });
    expect(await port.verifyAuthPin('2718')).toEqual({ ok: true });
    expect((await port.readAuthCertificate()).cardType).toBe('iphone');
    const info = await port.cardInfo();
    expect(info).toMatchObject({
      cardType: 'iphone',
      form: 'phone',
      certificateReadable: false,
      subject: null,
      authPinTriesLeft: 3,
    });
    await sim.insert('yamada-taro');
    expect(await port.identifyToken()).toEqual({
      cardType: 'mynumber',
      form: 'card',
      certificateNeedsPin: false,
    });
    await port.close();
  });

  it('an unknown token is refused with a clear message', async () => {
    // A JPKI-like applet that names a token nobody has defined.
    const transport: CardTransport = {
      async transmit(cmd) {
        const c = toHex(cmd);
        if (c === '00B0000020') return Uint8Array.from([...tokenBytes('JPKIAPXXTOKEN'), 0x90, 0x00]);
        return hex('9000');
      },
    };
    const client = new JpkiClient(transport);
    expect(await client.cardType()).toEqual({ cardType: 'unknown', token: 'JPKIAPXXTOKEN' });
    const { CardPortAdapter } = await import('../../src/card/card-port.js');
    const { SimulatedReaderDriver } = await import('../../drivers/card/simulator.js');
    const { FaultyCard } = await import('../../drivers/card/faults.js');
    const driver = new SimulatedReaderDriver();
    const applet = {
      atr: hex('3B80800101'),
      reset() {},
      process: (cmd: Uint8Array) =>
        toHex(cmd) === '00B0000020'
          ? Uint8Array.from([...tokenBytes('JPKIAPXXTOKEN'), 0x90, 0x00])
          : hex('9000'),
    };
    driver.insert(new FaultyCard(applet));
    const port = new CardPortAdapter(CardSection.parse({ timeoutMs: 500 }), { driver, log: silentLogger });
    await expect(port.identifyToken()).rejects.toMatchObject({
      kind: 'unsupportedCard',
      message: expect.stringContaining('unknown JPKI token "JPKIAPXXTOKEN"'),
    });
    await port.close();
  });
});

describe('a contactless reader beside the card slot', () => {
  it('uses whichever reader the token appears in, and refuses phones where the kiosk does not accept them', async () => {
    const { SimulatedReaderDriver } = await import('../../drivers/card/simulator.js');
    const { FaultyCard } = await import('../../drivers/card/faults.js');
    const { CardPortAdapter } = await import('../../src/card/card-port.js');
    const driver = new SimulatedReaderDriver(['Contact Slot 00 00', 'NFC Pad 01 00']);
    const config = CardSection.parse({
      readerPattern: '^Contact Slot',
      contactlessReaderPattern: '^NFC Pad',
      timeoutMs: 500,
    });
    const port = new CardPortAdapter(config, { driver, log: silentLogger });
    const events: string[] = [];
    port.onEvent((e) => events.push(`${e.type}:${e.reader}`));
    driver.insert(new FaultyCard(await virtualCard('phone-android')), 'NFC Pad 01 00');
    expect(port.readerName()).toBe('NFC Pad 01 00');
    expect(port.cardPresent()).toBe(true);
    expect((await port.identifyToken()).form).toBe('phone');
    // the phone leaves; a card goes into the slot
    driver.remove('NFC Pad 01 00');
    driver.insert(new FaultyCard(await virtualCard('yamada-taro')), 'Contact Slot 00 00');
    expect(port.readerName()).toBe('Contact Slot 00 00');
    expect((await port.identifyToken()).form).toBe('card');
    // a phone held while the card is still in the slot does not take over the session
    driver.insert(new FaultyCard(await virtualCard('phone-iphone')), 'NFC Pad 01 00');
    expect(port.readerName()).toBe('Contact Slot 00 00');
    expect(events).toEqual([
      'cardInserted:NFC Pad 01 00',
      'cardRemoved:NFC Pad 01 00',
      'cardInserted:Contact Slot 00 00',
    ]);
    await port.close();

    const sim = createCardSimulator({ stateDir: tempDir() });
    const port2 = new CardPortAdapter(CardSection.parse({ phone: { enabled: false }, timeoutMs: 500 }), {
      driver: sim.driver,
      log: silentLogger,
    });
    await sim.insert('phone-iphone');
    await expect(port2.identifyToken()).rejects.toMatchObject({
      kind: 'unsupportedCard',
      message: expect.stringContaining('card.phone.enabled'),
    });
    await port2.close();
  });
});
