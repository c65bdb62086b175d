// Packaging smoke test, offline: builds an unpacked Linux app against a dummy Electron
// distribution (no download, no native rebuild) and checks what landed in app.asar.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const asar = require('@electron/asar');
const dist = mkdtempSync(join(tmpdir(), 'madoguchi-electron-dist-'));
writeFileSync(join(dist, 'electron'), '#!/bin/sh\necho dummy electron\n');
chmodSync(join(dist, 'electron'), 0o755);
const out = mkdtempSync(join(tmpdir(), 'madoguchi-release-'));
mkdirSync(out, { recursive: true });
execFileSync(
  'npx',
  ['electron-builder', '--linux', 'dir', '-c.electronDist=' + dist, '-c.npmRebuild=false', '-c.electronVersion=45.5.0', '-c.directories.output=' + out, '--publish', 'never'],
  { stdio: 'inherit', env: { ...process.env, ELECTRON_BUILDER_OFFLINE: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
);
const app = join(out, 'linux-unpacked', 'resources', 'app.asar');
if (!existsSync(app)) throw new Error('app.asar missing: ' + app);
const files = new Set(asar.listPackage(app).map((f) => f.replaceAll('\\', '/')));
const required = ['/package.json', '/dist/electron/main.cjs', '/dist/electron/preload.cjs', '/renderer/dist/index.html', '/node_modules/zod/package.json', '/node_modules/better-sqlite3/package.json'];
const missing = required.filter((f) => !files.has(f));
const forbidden = [...files].filter((f) => f.startsWith('/test/') || f.startsWith('/bench/') || f.includes('/node_modules/electron/'));
if (missing.length || forbidden.length) {
  console.error('package smoke FAILED', { missing, forbidden: forbidden.slice(0, 10) });
  process.exit(1);
}
console.log(`package smoke ok: ${files.size} entries in ${app}`);
