// The fuses of the packaged Electron binary: electron-builder.yml's electronFuses, turned into a
// fuse configuration by electron-builder itself and flipped by @electron/fuses on a binary that
// carries Electron's fuse wire (the real binary cannot be downloaded here), then read back.
import { chmodSync, copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fuseProblems, REQUIRED_FUSES, writeDummyElectron } from '../../scripts/electron-fuses.mjs';

const require = createRequire(import.meta.url);
const { PlatformPackager } = require('app-builder-lib') as {
  PlatformPackager: { prototype: { generateFuseConfig(f: unknown): Promise<object> } };
};
const { flipFuses } = require('@electron/fuses') as {
  flipFuses(path: string, config: object): Promise<number>;
};

describe('Electron fuses', () => {
  it('the packaging step turns Electron’s default wire into the required one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'madoguchi-fuses-'));
    const bin = join(dir, 'madoguchi');
    writeDummyElectron(bin);
    // Electron's defaults: run as Node, NODE_OPTIONS, --inspect on; asar-only and integrity off.
    expect(await fuseProblems(bin)).toEqual(
      expect.arrayContaining([
        'fuse RunAsNode is 1, must be 0',
        'fuse EnableNodeOptionsEnvironmentVariable is 1, must be 0',
        'fuse EnableNodeCliInspectArguments is 1, must be 0',
        'fuse OnlyLoadAppFromAsar is 0, must be 1',
        'fuse EnableEmbeddedAsarIntegrityValidation is 0, must be 1',
        'fuse EnableCookieEncryption is 0, must be 1',
      ]),
    );
    const yml = parse(readFileSync('electron-builder.yml', 'utf8')) as { electronFuses: unknown };
    const config = await PlatformPackager.prototype.generateFuseConfig.call({}, yml.electronFuses);
    await flipFuses(bin, config);
    expect(await fuseProblems(bin)).toEqual([]);
    // The binary still starts as the same program: only the wire changed.
    expect(readFileSync(bin).subarray(0, 9).toString()).toBe('#!/bin/sh');
  });

  it('every fuse the kiosk needs is configured, and a binary with one left on fails the check', async () => {
    const yml = parse(readFileSync('electron-builder.yml', 'utf8')) as {
      electronFuses: Record<string, boolean>;
    };
    for (const [name, on] of Object.entries(REQUIRED_FUSES)) {
      const key = name.replace(/^[A-Z]/, (c) => c.toLowerCase());
      expect(yml.electronFuses[key], key).toBe(on);
    }
    const dir = mkdtempSync(join(tmpdir(), 'madoguchi-fuses-'));
    const bin = join(dir, 'madoguchi');
    writeDummyElectron(bin);
    const { runAsNode: _keep, ...allButRunAsNode } = yml.electronFuses;
    await flipFuses(bin, await PlatformPackager.prototype.generateFuseConfig.call({}, allButRunAsNode));
    expect(await fuseProblems(bin)).toEqual(['fuse RunAsNode is 1, must be 0']);
    const copy = join(dir, 'no-wire');
    copyFileSync('/bin/true', copy);
    chmodSync(copy, 0o755);
    await expect(fuseProblems(copy)).rejects.toThrow(/sentinel/);
  });
});
