import { X509Certificate, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JpkiClient, parseToken } from '../../drivers/card/jpki-client.js';
import { loadJpkiTestPki } from '../../fixtures/pki/jpki.js';
import { personalDetails } from '../../fixtures/vcard/personal.js';
import { FaultyCard } from '../../drivers/card/faults.js';
import { SimulatedReaderDriver, SIMULATED_READER } from '../../drivers/card/simulator.js';
import { VirtualJpkiCard } from '../../drivers/card/virtual-jpki-card.js';
import { virtualProfile } from '../../fixtures/vcard/profiles.js';
import { readerWith } from './helpers/cards.js';

describe('JPKI client against the in-process simulator', () => {
  it('runs the resident flow in at most 14 APDUs and the signature verifies', async () => {
    const { connection } = await readerWith('yamada-taro');
    const client = new JpkiClient(connection);
    const pki = await loadJpkiTestPki();
    expect((await client.cardType()).cardType).toBe('mynumber');
    const cert = await client.readAuthCertificate();
    expect(
      Buffer.from(cert).equals(Buffer.from(pki.cards.find((c) => c.cardId === 'yamada-taro')!.authCertDer)),
    ).toBe(true);
    expect(await client.authPinTriesLeft()).toBe(3);
    expect(await client.verifyAuthPin('1234')).toEqual({ ok: true });
    const challenge = new TextEncoder().encode('server challenge 0123456789');
    const sig = await client.signWithAuthKey(challenge);
    expect(verify('sha256', challenge, new X509Certificate(cert).publicKey, sig)).toBe(true);
    expect(client.apdus).toBeLessThanOrEqual(14);
  });

  it('reads the certificate in one extended READ BINARY on a T=1 card: the resident flow in 10 APDUs', async () => {
    const { connection } = await readerWith('yamada-taro');
    const client = new JpkiClient(connection, { atr: connection.atr });
    await client.cardType();
    const cert = await client.readAuthCertificate();
    expect(new X509Certificate(cert).subject).toBeTruthy();
    expect(client.apdus).toBe(5); // SELECT AP, SELECT EF 0006, READ token, SELECT EF 000A, READ
    await client.authPinTriesLeft();
    expect(client.pinPresented).toBe(false);
    await client.verifyAuthPin('1234');
    expect(client.pinPresented).toBe(true);
    await client.signWithAuthKey(new Uint8Array(8));
    expect(client.apdus).toBe(10);
  });

  it('falls back to short reads on a card without extended length, the same certificate', async () => {
    const profile = { ...(await virtualProfile('yamada-taro')), extendedLength: false };
    const driver = new SimulatedReaderDriver();
    driver.insert(new FaultyCard(new VirtualJpkiCard(profile)));
    const connection = await driver.connect(SIMULATED_READER);
    const client = new JpkiClient(connection, { atr: connection.atr });
    const cert = await client.readAuthCertificate();
    expect(Buffer.from(cert).equals(Buffer.from(profile.authCertDer))).toBe(true);
    const shortReads = Math.ceil(cert.length / 256);
    // SELECT AP, SELECT EF 000A, the refused extended read, the short reads
    expect(client.apdus).toBe(3 + shortReads);
    expect(client.iso.extendedLength).toBe(false);
    // The CA certificate is read short at once: the card was asked for extended Le only once.
    await client.readAuthCaCertificate();
    expect(client.iso.extendedLength).toBe(false);
  });

  it('reports 住基カード from its token', async () => {
    const { connection } = await readerWith('sato-kenji');
    expect((await new JpkiClient(connection).cardType()).cardType).toBe('juki');
    expect(parseToken(new TextEncoder().encode('JPKIAPGPSETOKEN'.padEnd(32))).cardType).toBe('android');
  });

  it('wrong PIN counts down, then blocked — distinct from wrong', async () => {
    const { connection } = await readerWith('one-try-left');
    const client = new JpkiClient(connection);
    expect(await client.authPinTriesLeft()).toBe(1);
    expect(await client.verifyAuthPin('0000')).toEqual({ ok: false, blocked: true });
    expect(await client.authPinTriesLeft()).toBe(0);
    expect(await client.verifyAuthPin('5555')).toEqual({ ok: false, blocked: true });

    const other = new JpkiClient((await readerWith('yamada-taro')).connection);
    expect(await other.verifyAuthPin('0000')).toEqual({ ok: false, blocked: false, triesLeft: 2 });
  });

  it('refuses a PIN that is not 4 digits without sending it', async () => {
    const client = new JpkiClient((await readerWith('yamada-taro')).connection);
    await expect(client.verifyAuthPin('12a4')).rejects.toMatchObject({ kind: 'invalidPin' });
    expect(client.apdus).toBe(0);
  });

  it('reads the signature certificate after the signature PIN', async () => {
    const client = new JpkiClient((await readerWith('yamada-taro')).connection);
    const der = await client.readSignCertificate('MADO1234');
    expect(new X509Certificate(der).subjectAltName).toContain('othername');
  });

  it('reads the card-info AP basic four items for the technician test', async () => {
    const client = new JpkiClient((await readerWith('technician')).connection);
    expect(await client.cardInfoPinTriesLeft()).toBe(3);
    expect(await client.verifyCardInfoPin('0000')).toEqual({ ok: true });
    const p = personalDetails('technician');
    expect(await client.readBasicInfo()).toEqual({
      name: p.name,
      address: p.address,
      birthDate: p.birthDate,
      sex: p.sex,
    });
    expect(await client.readMyNumber()).toBe(p.myNumber);
  });

  it('uses smaller chunks when configured', async () => {
    const client = new JpkiClient((await readerWith('yamada-taro')).connection, { chunk: 128 });
    const cert = await client.readAuthCertificate();
    expect(client.apdus).toBe(2 + Math.ceil(cert.length / 128));
  });
});
