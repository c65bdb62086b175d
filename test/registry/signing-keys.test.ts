// Only the municipality's keys sign certificates: the kiosk trusts exactly the configured JWKS (by
// kid, several during a rotation), a remote kiosk without one does not start, the embedded
// simulator makes its own key per data directory, and `madoguchi verify` says which kid signed.
import { execFile } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateSigningKey,
  signingPublicJwk,
  SIGNING_KEY_FILE,
} from '../../fixtures/registry/signing-key.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { renderCertificatePdf } from '../../src/documents/pdf.js';
import { sampleDocument } from '../../src/documents/samples-index.js';
import { createPrinters } from '../../src/printing/index.js';
import { PrintersSection } from '../../src/config/sections/printers.js';
import { silentLogger } from '../../src/log/logger.js';
import { configuredRegistryKeys, embeddedSigningKeyPath, openRegistry } from '../../src/registry/index.js';
import { parseJwks, RegistryKeyError } from '../../src/registry/keys.js';
import { captureLog, login, makeAdapter, MURORAN, startSim, tempDir } from './helpers.js';

const juminhyo = {
  municipalityCode: MURORAN,
  certificate: 'juminhyo',
  options: { scope: 'household' },
  copies: 1,
};

describe('the trusted key set', () => {
  const key = generateSigningKey('registry-2027');

  it('takes a JWKS, an array or one JWK, and keeps only the public half', () => {
    const pub = signingPublicJwk(key);
    expect(parseJwks({ keys: [pub] }, 'x').map((k) => k.kid)).toEqual(['registry-2027']);
    expect(
      parseJwks([pub, signingPublicJwk(generateSigningKey('registry-2026'))], 'x').map((k) => k.kid),
    ).toEqual(['registry-2027', 'registry-2026']);
    expect(parseJwks(pub, 'x')[0]).not.toHaveProperty('d');
  });

  it('refuses private material, a missing kid, another curve, a duplicate kid and an empty set', () => {
    expect(() => parseJwks({ keys: [key.privateJwk] }, 'keys.json')).toThrow(/private key material \(d\)/);
    const { kid: _k, ...noKid } = signingPublicJwk(key);
    expect(() => parseJwks([noKid], 'keys.json')).toThrow(/has no kid/);
    expect(() => parseJwks([{ ...signingPublicJwk(key), crv: 'P-384' }], 'keys.json')).toThrow(
      /not an EC P-256/,
    );
    expect(() => parseJwks([signingPublicJwk(key), signingPublicJwk(key)], 'keys.json')).toThrow(
      /appears twice/,
    );
    expect(() => parseJwks({ keys: [] }, 'keys.json')).toThrow(RegistryKeyError);
  });

  it('registry.mode remote without registry.signingKeys is refused by the configuration and by openRegistry', async () => {
    const remote = {
      mode: 'remote',
      url: 'https://registry.example/',
      caFile: '/x',
      certFile: '/x',
      keyFile: '/x',
    };
    expect(ConfigSchema.safeParse({ registry: remote }).success).toBe(false);
    const config = { ...ConfigSchema.parse({}).registry, ...remote, mode: 'remote' as const };
    await expect(
      openRegistry(config, {
        kioskId: 'K',
        dataDir: tempDir(),
        db: new Database(':memory:'),
        log: silentLogger,
      }),
    ).rejects.toThrow(/remote but registry.signingKeys names no JWKS file/);
    expect(() => configuredRegistryKeys(config, tempDir())).toThrow(RegistryKeyError);
  });
});

describe('embedded simulator key', () => {
  it('is generated per data directory at first start (0600), kept across restarts, and is the one trusted', async () => {
    const config = ConfigSchema.parse({}).registry;
    const [a, b] = [tempDir(), tempDir()];
    const kids: string[] = [];
    for (const dataDir of [a, a, b]) {
      const r = await openRegistry(config, {
        kioskId: 'MRN-DEMO-01',
        dataDir,
        db: new Database(':memory:'),
        log: captureLog().log,
      });
      try {
        expect(r.publicKeys).toHaveLength(1);
        expect(r.publicKeys[0]).not.toHaveProperty('d');
        kids.push(r.publicKeys[0]!.kid!);
        expect(configuredRegistryKeys(config, dataDir)).toEqual(r.publicKeys);
      } finally {
        await r.close();
      }
    }
    expect(kids[0]).toBe(kids[1]);
    expect(kids[2]).not.toBe(kids[0]);
    expect(embeddedSigningKeyPath(a)).toBe(join(a, 'registry', SIGNING_KEY_FILE));
    expect(statSync(embeddedSigningKeyPath(a)).mode & 0o777).toBe(0o600);
  });
});

describe('rotation against the simulator', () => {
  let sim: Awaited<ReturnType<typeof startSim>>;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(() => sim.close());

  it('old and new keys both configured: documents of either verify; the old key alone refuses the new one by kid', async () => {
    const old = sim.publicKeys();
    const next = generateSigningKey('registry-next');
    sim.rotateSigningKey(next);
    expect(sim.publicKeys().map((k) => k.kid)).toEqual(['registry-next', old[0]!.kid]);

    const both = await makeAdapter(sim.url, { publicKeys: sim.publicKeys() });
    const r1 = await login(both.adapter, 'yamada-taro');
    const issued = await both.adapter.issue(r1.token, juminhyo, `rot-${Date.now()}-a`);
    expect(issued.issuanceId).toMatch(/^ISS-/);

    const stale = await makeAdapter(sim.url, { publicKeys: old, retries: 0 });
    const r2 = await login(stale.adapter, 'yamada-taro');
    await expect(stale.adapter.issue(r2.token, juminhyo, `rot-${Date.now()}-b`)).rejects.toMatchObject({
      kind: 'malformed',
      message: expect.stringContaining('"registry-next", which is not trusted here'),
    });
    await both.adapter.close();
    await stale.adapter.close();
  });

  it('the printer refuses a document whose kid is not in its key set', async () => {
    const printers = await createPrinters(PrintersSection.parse({}), {
      log: silentLogger,
      spoolDir: tempDir(),
      registryKeys: [signingPublicJwk(generateSigningKey('registry-other'))],
    });
    try {
      const doc = { issuanceId: 'ISS-1', document: await sampleDocument('juminhyo'), copies: 1, feeYen: 300 };
      await expect(printers.certificate.printCertificate(doc, 0)).rejects.toMatchObject({
        reason: 'unknownKey',
      });
      // The technician's test page is printed, and can never pass for a certificate.
      await expect(printers.certificate.printSample(doc)).resolves.toMatchObject({
        pages: expect.any(Number),
      });
    } finally {
      await printers.close();
    }
  });
});

describe('madoguchi verify', () => {
  const dir = tempDir();
  it('`madoguchi verify --keys` names the kid that signed, refuses a rotated-out or unknown key, exits 1 with the reason', async () => {
    const run = promisify(execFile);
    // The registry rotates: the paper is signed with the new key; the JWKS lists new and old.
    const current = generateSigningKey('registry-2027');
    const old = generateSigningKey('registry-2026');
    const good = join(dir, 'cli-good.pdf');
    writeFileSync(
      good,
      (await renderCertificatePdf(await sampleDocument('inkan', '2026-11-26', current))).pdf,
    );
    const both = join(dir, 'both.jwks.json');
    writeFileSync(both, JSON.stringify({ keys: [signingPublicJwk(current), signingPublicJwk(old)] }));
    const ok = await run('node', ['bin/madoguchi.js', 'verify', '--keys', both, good]);
    expect(ok.stdout).toMatch(/^VERIFIED: .*kid "?registry-2027/);
    expect(ok.stdout).toContain('印鑑登録証明書');
    // A key set without that kid (rotated out, or never the municipality's) refuses it by name.
    const oldOnly = join(dir, 'old.jwks.json');
    writeFileSync(oldOnly, JSON.stringify({ keys: [signingPublicJwk(old)] }));
    const refused = await run('node', ['bin/madoguchi.js', 'verify', '--keys', oldOnly, good]).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect('code' in refused && refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^NOT VERIFIED \(unknownKey\): .*"registry-2027".*not trusted here/);
    // A sample test page never verifies against anything the kiosk trusts.
    const sample = join(dir, 'cli-sample.pdf');
    await run('node', ['bin/madoguchi.js', 'print', 'sample', '--type', 'inkan', '--out', sample]);
    const notValid = await run('node', ['bin/madoguchi.js', 'verify', '--keys', both, sample]).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect(notValid.stdout).toMatch(/^NOT VERIFIED \(unknownKey\)/);
    // A key file holding a private key is refused outright.
    const leaked = join(dir, 'leaked.jwks.json');
    writeFileSync(leaked, JSON.stringify({ keys: [current.privateJwk] }));
    const refusedFile = await run('node', ['bin/madoguchi.js', 'verify', '--keys', leaked, good]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect('code' in refusedFile && refusedFile.code).toBe(2);
    expect(refusedFile.stderr).toMatch(/private key material/);
    const bad = join(dir, 'cli-bad.pdf');
    writeFileSync(bad, readFileSync(good).subarray(0, 2000));
    const fail = await run('node', ['bin/madoguchi.js', 'verify', '--keys', both, bad]).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect('code' in fail && fail.code).toBe(1);
    expect(fail.stdout).toMatch(/^NOT VERIFIED \(unreadableFile\)/);
  }, 120_000);
});
