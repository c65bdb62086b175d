// The package ships no private key: `npm run package:smoke` builds the unpacked app, and every file
// in its app.asar is searched for PEM private keys and private JWK members. The scanner itself is
// shown to find real keys first, so a clean result means something.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findPrivateKeyMaterial } from '../support/private-key-scan.js';

const asar = createRequire(import.meta.url)('@electron/asar') as {
  listPackage(archive: string, o?: { isPack: boolean }): string[];
  extractFile(archive: string, filename: string): Buffer;
  statFile(archive: string, filename: string): { size?: number; files?: unknown; link?: string };
};

describe('private key scanner', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });

  it('finds PKCS#8, PKCS#1 and SEC1 PEM keys and private JWKs, in JSON and in code', () => {
    const jwk = ec.privateKey.export({ format: 'jwk' });
    expect(
      findPrivateKeyMaterial(ec.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string),
    ).toMatchObject([{ kind: 'pem' }]);
    expect(
      findPrivateKeyMaterial(rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }) as string),
    ).toMatchObject([{ kind: 'pem' }]);
    expect(
      findPrivateKeyMaterial(
        `x = "${(ec.privateKey.export({ format: 'pem', type: 'sec1' }) as string).replace(/\n/g, '\\n')}"`,
      ),
    ).toMatchObject([{ kind: 'pem' }]);
    expect(
      findPrivateKeyMaterial(ec.privateKey.export({ format: 'pem', type: 'sec1' }) as string),
    ).toMatchObject([{ kind: 'pem' }]);
    expect(findPrivateKeyMaterial(JSON.stringify(jwk))).toMatchObject([{ kind: 'jwk' }]);
    expect(
      findPrivateKeyMaterial(
        `export const K = { kty: 'EC', crv: 'P-256', x: '${jwk.x}', y: '${jwk.y}', d: '${jwk.d}' };`,
      ),
    ).toMatchObject([{ kind: 'jwk' }]);
    expect(findPrivateKeyMaterial(`privateJwk: { ...REGISTRY_PUBLIC_JWK, d: '${jwk.d}' }`)).toMatchObject([
      { kind: 'jwk' },
    ]);
  });

  it('does not report public keys or code that merely names private keys', () => {
    const { d: _d, ...pub } = ec.privateKey.export({ format: 'jwk' });
    expect(findPrivateKeyMaterial(JSON.stringify(pub))).toEqual([]);
    expect(findPrivateKeyMaterial(ec.publicKey.export({ format: 'pem', type: 'spki' }) as string)).toEqual(
      [],
    );
    expect(
      findPrivateKeyMaterial(
        "PemConverter.encode(der, 'PRIVATE KEY'); const d = jwk.d; if ('d' in jwk) throw x;",
      ),
    ).toEqual([]);
  });
});

describe('the package built by npm run package:smoke', () => {
  it('contains no private key material in any file of app.asar', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', 'package:smoke'], {
      maxBuffer: 64 << 20,
      timeout: 540_000,
    });
    const archive = /package smoke ok: \d+ entries in (\S+app\.asar)/.exec(stdout)?.[1];
    expect(archive, stdout.slice(-2000)).toBeTruthy();
    const files = asar.listPackage(archive!, { isPack: false }).filter((f) => {
      const s = asar.statFile(archive!, f.replace(/^[\\/]/, ''));
      return s.files === undefined && s.link === undefined && (s as { unpacked?: boolean }).unpacked !== true;
    });
    expect(files.length).toBeGreaterThan(100);
    // The compiled command line and Electron main ship; the TypeScript sources do not.
    expect(files).toContain('/dist/electron/main.cjs');
    expect(files.some((f) => f.startsWith('/dist/cli/'))).toBe(true);
    expect(files.filter((f) => f.startsWith('/src/') && f.endsWith('.ts'))).toEqual([]);
    const found: string[] = [];
    for (const f of files) {
      const text = asar.extractFile(archive!, f.replace(/^[\\/]/, '')).toString('latin1');
      for (const hit of findPrivateKeyMaterial(text)) found.push(`${f}: ${hit.kind} ${hit.excerpt}`);
    }
    expect(found).toEqual([]);
  }, 600_000);
});
