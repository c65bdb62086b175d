// Packaging smoke test, offline: builds an unpacked Linux app against a dummy Electron
// distribution (no download, no native rebuild) and checks what landed in app.asar. Then the deb:
// electron-builder's own deb target runs on that unpacked app up to the point where it would call
// fpm (which it downloads, so not here) and hands us fpm's arguments; from them we assemble the deb
// with dpkg-deb the way fpm lays it out, and check its control file (depends), maintainer scripts
// and file list. Not byte-identical to fpm's deb, but built from the same inputs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync, readFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { parse as parseYaml } from 'yaml';
import { fuseProblems, writeDummyElectron } from './electron-fuses.mjs';

const require = createRequire(import.meta.url);
const asar = require('@electron/asar');
const dist = mkdtempSync(join(tmpdir(), 'madoguchi-electron-dist-'));
// The stand-in carries Electron's fuse wire, so electron-builder's fuse step runs as it would on the real one.
writeDummyElectron(join(dist, 'electron'));
const out = mkdtempSync(join(tmpdir(), 'madoguchi-release-'));
mkdirSync(out, { recursive: true });
const env = { ...process.env, ELECTRON_BUILDER_OFFLINE: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false' };
// madoguchi-ctl's tree (extraResources), from the node_modules as they are now (Node's ABI).
execFileSync(process.execPath, ['scripts/build-ctl.mjs'], { stdio: 'inherit' });
execFileSync(
  'npx',
  [
    'electron-builder',
    '--linux',
    'dir',
    '-c.electronDist=' + dist,
    '-c.npmRebuild=false',
    '-c.electronVersion=45.5.0',
    '-c.directories.output=' + out,
    '--publish',
    'never',
  ],
  { stdio: 'inherit', env },
);
const unpacked = join(out, 'linux-unpacked');
const app = join(unpacked, 'resources', 'app.asar');
if (!existsSync(app)) throw new Error('app.asar missing: ' + app);
const files = new Set(asar.listPackage(app).map((f) => f.replaceAll('\\', '/')));
const required = [
  '/package.json',
  '/dist/electron/main.cjs',
  '/dist/electron/preload.cjs',
  '/renderer/dist/index.html',
  '/node_modules/zod/package.json',
  '/node_modules/better-sqlite3/package.json',
  '/dist/cli/main.js',
];
const missing = required.filter((f) => !files.has(f));
const forbidden = [...files].filter(
  (f) =>
    f.startsWith('/test/') ||
    f.startsWith('/bench/') ||
    f.startsWith('/src/') ||
    f.includes('/node_modules/electron/'),
);
if (missing.length || forbidden.length) {
  console.error('package smoke FAILED', { missing, forbidden: forbidden.slice(0, 10) });
  process.exit(1);
}
const fuses = await fuseProblems(join(unpacked, 'madoguchi'));
if (fuses.length) {
  console.error('package smoke FAILED: Electron fuses\n  ' + fuses.join('\n  '));
  process.exit(1);
}
// madoguchi-ctl as the wrapper runs it: the system Node on resources/ctl, away from the checkout.
const ctlData = mkdtempSync(join(tmpdir(), 'madoguchi-ctl-data-'));
for (const args of [
  ['config', 'check'],
  ['journal', 'backup'],
  ['journal', 'verify'],
]) {
  const out = execFileSync(
    process.execPath,
    [join(unpacked, 'resources', 'ctl', 'bin', 'madoguchi.js'), ...args],
    {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH, MADOGUCHI_DATA_DIR: ctlData },
      encoding: 'utf8',
    },
  );
  console.log(`package smoke: madoguchi-ctl ${args.join(' ')}: ${out.trim().split('\n').at(-1)}`);
}
console.log(`package smoke ok: ${files.size} entries in ${app}`);

/* ── the deb ── */
Object.assign(process.env, env);
const { build, Platform, Arch } = require('electron-builder');
let fpm = null;
const stage = mkdtempSync(join(tmpdir(), 'madoguchi-deb-stage-'));
await build({
  targets: Platform.LINUX.createTarget(['deb'], Arch.x64),
  prepackaged: unpacked,
  publish: 'never',
  config: {
    electronVersion: '45.5.0',
    npmRebuild: false,
    directories: { output: mkdtempSync(join(tmpdir(), 'madoguchi-deb-out-')) },
  },
  effectiveOptionComputed: async (o) => {
    if (!Array.isArray(o) || !Array.isArray(o[0]) || !o[0].includes('--after-install')) return false;
    const args = o[0];
    const arg = (name) => args[args.indexOf(name) + 1];
    // Stage the files and read the rendered scripts now: electron-builder deletes its temp files when it returns.
    for (const a of args.filter((x) => x.includes('=') && !x.startsWith('-'))) {
      const [src, dest] = a.split('=');
      mkdirSync(dirname(join(stage, dest)), { recursive: true });
      cpSync(resolve(src), join(stage, dest), { recursive: true, preserveTimestamps: true });
    }
    fpm = {
      args,
      postinst: readFileSync(arg('--after-install'), 'utf8'),
      postrm: readFileSync(arg('--after-remove'), 'utf8'),
      name: arg('--name'),
      version: arg('--version'),
      maintainer: arg('--maintainer'),
      url: arg('--url'),
    };
    return true; // stop before fpm
  },
});
if (!fpm) throw new Error('electron-builder never reached the fpm step of the deb target');
const deb = parseYaml(readFileSync('electron-builder.yml', 'utf8')).deb;
mkdirSync(join(stage, 'DEBIAN'));
writeFileSync(
  join(stage, 'DEBIAN', 'control'),
  [
    `Package: ${fpm.name}`,
    `Version: ${fpm.version}`,
    'Architecture: amd64',
    `Maintainer: ${fpm.maintainer}`,
    `Depends: ${deb.depends.join(', ')}`,
    `Recommends: ${(deb.recommends ?? []).join(', ')}`,
    `Homepage: ${fpm.url}`,
    'Description: Madoguchi certificate kiosk',
    '',
  ].join('\n'),
);
writeFileSync(join(stage, 'DEBIAN', 'postinst'), fpm.postinst, { mode: 0o755 });
writeFileSync(join(stage, 'DEBIAN', 'postrm'), fpm.postrm, { mode: 0o755 });
const debFile = join(stage, '..', `madoguchi-smoke-${Date.now()}.deb`);
execFileSync('dpkg-deb', ['-Znone', '--root-owner-group', '--build', stage, debFile], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
const listing = execFileSync('dpkg-deb', ['-c', debFile], { encoding: 'utf8', maxBuffer: 64 << 20 });
const paths = new Set(
  listing
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(/\s+/).slice(5).join(' ').replace(/^\.\//, '/').split(' -> ')[0]),
);
const info = execFileSync('dpkg-deb', ['-f', debFile, 'Depends'], { encoding: 'utf8' });
const problems = [];
for (const p of [
  '/opt/Madoguchi/madoguchi',
  '/opt/Madoguchi/resources/app.asar',
  '/usr/lib/systemd/system/madoguchi-kiosk.service',
  '/usr/lib/udev/rules.d/60-madoguchi-cash.rules',
  '/usr/lib/udev/rules.d/61-madoguchi-no-usb-storage.rules',
  '/usr/share/madoguchi/config.example.yaml',
  '/usr/bin/madoguchi-ctl',
  '/opt/Madoguchi/resources/ctl/bin/madoguchi.js',
  '/opt/Madoguchi/resources/ctl/node-abi',
  '/opt/Madoguchi/resources/ctl/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
])
  if (!paths.has(p)) problems.push(`deb lacks ${p}`);
for (const d of ['pcscd', 'libccid', 'cups', 'cage'])
  if (
    !info
      .split(',')
      .map((s) => s.trim())
      .includes(d)
  )
    problems.push(`deb does not depend on ${d}`);
if (!/adduser --system/.test(fpm.postinst) || !/systemctl enable madoguchi-kiosk\.service/.test(fpm.postinst))
  problems.push('postinst does not create the madoguchi user and enable the kiosk service');
if (/\/var\/lib\/madoguchi/.test(fpm.postrm.replace(/^.*echo.*$/m, '')) && /rm -rf/.test(fpm.postrm))
  problems.push('postrm must never delete the journal');
for (const [name, text] of [
  ['postinst', fpm.postinst],
  ['postrm', fpm.postrm],
]) {
  try {
    execFileSync('bash', ['-n'], { input: text });
  } catch {
    problems.push(`${name} is not valid bash`);
  }
}
if (problems.length) {
  console.error('deb smoke FAILED\n  ' + problems.join('\n  '));
  process.exit(1);
}
console.log(
  `deb smoke ok: ${paths.size} paths, Depends: ${info.trim().slice(0, 80)}…; maintainer scripts from electron-builder's deb target (fpm itself not run offline)`,
);
