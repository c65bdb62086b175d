// Assembles the technician's command line as the kiosk package ships it (dist/ctl, packed to
// /opt/Madoguchi/resources/ctl outside app.asar): the compiled CLI (dist/cli, bin/madoguchi.js) and
// the few packages it leaves external for the commands madoguchi-ctl runs (journal, upgrade,
// config), with better-sqlite3 built for the Node that runs this script. The kiosk binary cannot
// serve: its RunAsNode fuse is off and its better-sqlite3 is built for Electron's ABI. So
// madoguchi-ctl runs the system Node, whose ABI must be the one recorded in node-abi (checked by the
// wrapper). Run after `npm run build` and before electron-builder rebuilds node_modules for Electron.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = resolve(ROOT, process.argv[2] ?? 'dist/ctl');

/** Packages the CLI bundle imports at run time for the technician commands (see EXTERNAL in build-cli.mjs). */
const RUNTIME = ['better-sqlite3', 'pino'];
/** Dependencies only needed to install a package, never to run it. */
const INSTALL_ONLY = new Set(['prebuild-install']);

/** Node's lookup: the nearest node_modules/<name> at or above `from`, within the project. */
function locate(name, from) {
  for (let dir = from; dir.startsWith(ROOT); dir = dirname(dir)) {
    const p = join(dir, 'node_modules', name);
    if (existsSync(join(p, 'package.json'))) return p;
    if (dir === ROOT) break;
  }
  throw new Error(`build-ctl: package ${name} not found from ${relative(ROOT, from) || '.'}: run npm ci`);
}

/** The run-time dependency closure of RUNTIME, as package directories below ROOT. */
function closure() {
  const seen = new Set();
  const queue = RUNTIME.map((n) => locate(n, ROOT));
  while (queue.length) {
    const dir = queue.pop();
    if (seen.has(dir)) continue;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys(pkg.dependencies ?? {}))
      if (!INSTALL_ONLY.has(dep)) queue.push(locate(dep, dir));
  }
  return [...seen];
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(join(OUT, 'bin'), { recursive: true });
if (!existsSync(join(ROOT, 'dist/cli/main.js')))
  throw new Error('build-ctl: dist/cli/main.js is missing: run node scripts/build-cli.mjs first');
cpSync(join(ROOT, 'dist/cli'), join(OUT, 'dist/cli'), { recursive: true });
cpSync(join(ROOT, 'bin/madoguchi.js'), join(OUT, 'bin/madoguchi.js'));
const { name, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
writeFileSync(
  join(OUT, 'package.json'),
  JSON.stringify({ name, version, private: true, type: 'module' }) + '\n',
);

for (const dir of closure()) {
  const dest = join(OUT, relative(ROOT, dir));
  if (relative(ROOT, dir) === join('node_modules', 'better-sqlite3')) {
    // The JavaScript and the one addon; not the SQLite sources or the build's object files.
    for (const f of ['package.json', 'LICENSE', 'lib', 'build/Release/better_sqlite3.node'])
      cpSync(join(dir, f), join(dest, f), { recursive: true });
  } else {
    cpSync(dir, dest, {
      recursive: true,
      filter: (src) => !relative(dir, src).split('/').includes('node_modules'),
    });
  }
}

// The addon must load in this Node: after electron-builder's rebuild (or electron-rebuild) it is
// built for Electron and the command line would fail on the kiosk with an ABI error.
try {
  execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import D from 'better-sqlite3'; new D(':memory:').prepare('select 1').get();",
    ],
    { cwd: join(OUT, 'bin'), stdio: ['ignore', 'ignore', 'pipe'] },
  );
} catch (e) {
  const why = String(e.stderr ?? e.message)
    .split('\n')
    .find((l) => /NODE_MODULE_VERSION|Error/.test(l));
  throw new Error(
    `build-ctl: node_modules/better-sqlite3 does not load in Node ${process.version} (${why}); ` +
      'run "npm rebuild better-sqlite3" (it was built for Electron), then build again',
  );
}
writeFileSync(join(OUT, 'node-abi'), `${process.versions.modules}\n`);
const files = (d) =>
  readdirSync(d, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? files(join(d, e.name)) : 1),
    0,
  );
console.log(
  `built ${relative(ROOT, OUT) || OUT}: ${files(OUT)} files, Node ${process.version} (ABI ${process.versions.modules})`,
);
