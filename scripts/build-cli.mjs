// Compiles the command line (with the core, the drivers and the simulators it starts) to plain
// JavaScript in dist/cli/, so `madoguchi` runs on Node alone. One ES module per command and per
// heavy dependency path (code splitting): a command loads only what it uses. Pure-JS dependencies
// are bundled too (resolving and parsing hundreds of CommonJS files was most of the start-up
// time); native addons and packages that read their own files at run time stay external.
// Every output file lands in dist/cli/ itself, so a source file's `import.meta.url` can
// be rewritten to its own path below the package root and relative reads (package.json, fonts,
// the renderer) keep working from the bundle, in a checkout and inside app.asar alike.
import { build } from 'esbuild';
import { readFile, rename, rm } from 'node:fs/promises';
import { relative, resolve } from 'node:path';

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
        .replaceAll('import.meta.dirname', `decodeURIComponent(new URL('.', ${url}).pathname).replace(/\\/$/, '')`);
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

const EXTERNAL = [
  ...['better-sqlite3', 'pcsclite', 'serialport', '@serialport/*', '@napi-rs/canvas'], // native addons
  ...['pdfkit', 'pdfjs-dist', 'fastify', 'pino', 'thread-stream'], // read their own files or spawn workers by path
  ...['electron', 'playwright-core', 'axe-core', '@axe-core/*', 'vite', 'vitest', 'esbuild', 'tsx'], // development tools (benches)
];

// Built beside and swapped in, so a test or kiosk starting meanwhile never sees half a bundle.
const next = `${OUT}.new-${process.pid}`;
const old = `${OUT}.old-${process.pid}`;
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
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
  plugins: [sourceUrl],
});
await rename(OUT, old).catch(() => undefined);
await rename(next, OUT);
await rm(old, { recursive: true, force: true });
console.log('built dist/cli/main.js');
