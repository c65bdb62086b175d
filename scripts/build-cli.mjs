// Compiles the command line (with the core, the drivers and the simulators it starts) to plain
// JavaScript in dist/cli/, so `madoguchi` runs on Node alone. One ES module per command and per
// heavy dependency path (code splitting): a command loads only what it uses. Pure-JS dependencies
// are bundled too (resolving and parsing hundreds of CommonJS files was most of the start-up
// time); native addons and packages that read their own files at run time stay external.
// Every output file lands in dist/cli/ itself, so a source file's `import.meta.url` can
// be rewritten to its own path below the package root and relative reads (package.json, fonts,
// the renderer) keep working from the bundle, in a checkout and inside app.asar alike.
import { build } from 'esbuild';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = resolve(ROOT, 'dist/cli');

/** `import.meta.url` of src/x/y.ts becomes the URL of <package root>/src/x/y.ts. */
const sourceUrl = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.(ts|tsx|mts)$/, namespace: 'file' }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url') && !text.includes('import.meta.dirname')) return undefined;
      const rel = relative(ROOT, args.path).split('\\').join('/');
      const url = `new URL(${JSON.stringify(rel)}, new URL('../../', import.meta.url)).href`;
      const contents = text
        .replaceAll('import.meta.url', url)
        .replaceAll(
          'import.meta.dirname',
          `decodeURIComponent(new URL('.', ${url}).pathname).replace(/\\/$/, '')`,
        );
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

/**
 * zod's namespace of translated error messages (`z.locales`, 370 KB of its 750 KB) holds English
 * only: every message the kiosk shows or logs is its own, and zod registers English by itself.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      loader: 'js',
    }));
  },
};

const EXTERNAL = [
  ...['better-sqlite3', 'pcsclite', 'serialport', '@serialport/*', '@napi-rs/canvas'], // native addons
  // Read their own files at run time. (pino is bundled: its transports, worker threads started by
  // file path, are never used; the logger writes through pino.destination and its own files.)
  ...['pdfkit', 'pdfjs-dist', 'fastify'],
  ...['electron', 'playwright-core', 'axe-core', '@axe-core/*', 'vite', 'vitest', 'esbuild', 'tsx'], // development tools (benches)
];

// Built beside, then moved in file by file (each rename atomic, main.js last), so a process
// starting meanwhile never sees half a bundle. Chunks of earlier builds stay an hour: a command
// still running from them (a bench, a kiosk under test) can load its lazy chunks.
const next = `${OUT}.new-${process.pid}`;
await build({
  absWorkingDir: ROOT,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: next,
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // Bundled CommonJS calls require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
  plugins: [sourceUrl, zodEnglishOnly],
});
await mkdir(OUT, { recursive: true });
const built = (await readdir(next)).sort((x, y) => (x === 'main.js') - (y === 'main.js'));
for (const f of built) await rename(join(next, f), join(OUT, f));
await rm(next, { recursive: true, force: true });
const keep = new Set(built);
for (const f of await readdir(OUT)) {
  if (!keep.has(f) && Date.now() - (await stat(join(OUT, f))).mtimeMs > 3600_000)
    await rm(join(OUT, f), { force: true });
}
console.log('built dist/cli/main.js');
