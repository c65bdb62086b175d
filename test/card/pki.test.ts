import { X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_CARDS } from '../../fixtures/cards/catalog.js';
import { loadJpkiTestPki } from '../../fixtures/pki/jpki.js';
import { tempDir } from './helpers/cards.js';

describe('test JPKI PKI', () => {
  it('has material for every fixture card and the technician card, chained to the CA', async () => {
    const pki = await loadJpkiTestPki();
    expect(pki.cards.map((c) => c.cardId)).toEqual([...FIXTURE_CARDS.map((c) => c.id), 'technician']);
    const ca = new X509Certificate(pki.caCertDer);
    expect(ca.ca).toBe(true);
    for (const c of pki.cards) {
      const auth = new X509Certificate(c.authCertDer);
      expect(auth.verify(ca.publicKey)).toBe(true);
      expect(auth.serialNumber).toBe(c.serialHex.toUpperCase());
      expect(new X509Certificate(c.signCertDer).verify(ca.publicKey)).toBe(true);
      expect(auth.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    }
    expect(pki.caCertPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(pki.crlPem).toMatch(/^-----BEGIN X509 CRL-----/);
  });

  it('revoked certificates are on the CRL, expired ones are past notAfter (openssl agrees)', async () => {
    const pki = await loadJpkiTestPki();
    const dir = tempDir();
    writeFileSync(join(dir, 'ca.pem'), pki.caCertPem);
    writeFileSync(join(dir, 'crl.pem'), pki.crlPem);
    const check = (id: string) => {
      const c = pki.cards.find((x) => x.cardId === id)!;
      writeFileSync(join(dir, `${id}.pem`), new X509Certificate(c.authCertDer).toString());
      try {
        return execFileSync(
          'openssl',
          [
            'verify',
            '-crl_check',
            '-CAfile',
            join(dir, 'ca.pem'),
            '-CRLfile',
            join(dir, 'crl.pem'),
            join(dir, `${id}.pem`),
          ],
          { stdio: 'pipe' },
        ).toString();
      } catch (e) {
        return String((e as { stdout?: Buffer }).stdout) + String((e as { stderr?: Buffer }).stderr);
      }
    };
    expect(check('yamada-taro')).toContain('OK');
    expect(check('revoked')).toContain('certificate revoked');
    expect(check('expired')).toContain('certificate has expired');
    expect(pki.cards.find((c) => c.cardId === 'revoked')!.status).toBe('revoked');
  });

  it('signature certificates carry the JPKI otherNames; the technician OU=technician', async () => {
    const pki = await loadJpkiTestPki();
    const sign = pki.cards[0]!.signCertDer;
    // OID 1.2.392.200149.8.5.5.1 in DER
    expect(Buffer.from(sign).includes(Buffer.from('2a83088c9b55080505', 'hex'))).toBe(true);
    expect(new X509Certificate(pki.cards.at(-1)!.authCertDer).subject).toContain('OU=technician');
  });

  it('is reused from its cache and regenerated on demand', async () => {
    const dir = join(tempDir(), 'pki');
    const a = await loadJpkiTestPki(dir);
    const b = await loadJpkiTestPki(dir);
    expect(Buffer.from(a.caCertDer).equals(Buffer.from(b.caCertDer))).toBe(true);
    const c = await loadJpkiTestPki(dir, { regenerate: true });
    expect(Buffer.from(a.caCertDer).equals(Buffer.from(c.caCertDer))).toBe(false);
    expect(c.cards.find((x) => x.cardId === 'revoked')!.serialHex).toBe(
      a.cards.find((x) => x.cardId === 'revoked')!.serialHex,
    );
  }, 120_000);
});
