// The Electron fuses the kiosk ships with, read back from a packaged binary's fuse wire.
// electron-builder flips them after packing (`electronFuses` in electron-builder.yml, through
// @electron/fuses); the offline package smoke test and test/electron/fuses.test.ts check the result.
import { writeFileSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { getCurrentFuseWire, FuseV1Options } = require('@electron/fuses');

/** Each fuse the kiosk depends on and the state it must have in the shipped binary. */
export const REQUIRED_FUSES = {
  // No `ELECTRON_RUN_AS_NODE=1 madoguchi script.js`: the kiosk binary is not a Node interpreter.
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableCookieEncryption: true,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  // The renderer is served from the madoguchi:// scheme; file:// needs no extra privileges.
  GrantFileProtocolExtraPrivileges: false,
};

const ON = 0x31;
const OFF = 0x30;

/** Fuses whose state in `binary` differs from REQUIRED_FUSES, as readable lines (empty: all set). */
export async function fuseProblems(binary) {
  const wire = await getCurrentFuseWire(binary);
  const problems = [];
  for (const [name, on] of Object.entries(REQUIRED_FUSES)) {
    const state = wire[FuseV1Options[name]];
    if (state !== (on ? ON : OFF))
      problems.push(
        `fuse ${name} is ${state === undefined ? 'absent' : String.fromCharCode(state)}, must be ${on ? 1 : 0}`,
      );
  }
  return problems;
}

/**
 * A stand-in for the Electron binary (which cannot be downloaded here) that carries a fuse wire as
 * Electron 45 ships it: sentinel, wire version 1, length, then one '0'/'1' per fuse.
 */
export function writeDummyElectron(path) {
  const defaults = '10110001'; // RunAsNode, cookies, NODE_OPTIONS, inspect, integrity, asar-only, snapshot, file://
  writeFileSync(
    path,
    Buffer.concat([
      Buffer.from('#!/bin/sh\necho dummy electron\nexit 0\n# '),
      Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
      Buffer.from([1, defaults.length]),
      Buffer.from(defaults),
      Buffer.from('\n'),
    ]),
  );
  chmodSync(path, 0o755);
}
