// Bundles the Electron main (node modules left external, packed by electron-builder) and the
// sandboxed preload (self-contained: a sandboxed preload can only require 'electron').
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';

// CommonJS has no import.meta: a source file's import.meta.url becomes its own path below the
// package root, reached from dist/electron/ (as scripts/build-cli.mjs does for the ES modules).
const ROOT = resolve(import.meta.dirname, '..');
const sourceUrl = {
  name: 'source-import-meta-url-cjs',
  setup(b) {
    b.onLoad({ filter: /\.(ts|tsx)$/, namespace: 'file' }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url') && !text.includes('import.meta.dirname')) return undefined;
      const rel = relative(ROOT, args.path).split('\\').join('/');
      const contents = text
        .replaceAll('import.meta.url', `__sourceUrl(${JSON.stringify(rel)})`)
        .replaceAll('import.meta.dirname', `__sourceDir(${JSON.stringify(rel)})`);
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};
// Defined at the top of the bundle, where `require` is CommonJS's own (a source file may shadow it).
const sourceUrlHelpers = [
  "const __sourcePath = (rel) => require('node:path').join(__dirname, '../..', rel);",
  "const __sourceUrl = (rel) => require('node:url').pathToFileURL(__sourcePath(rel)).href;",
  "const __sourceDir = (rel) => require('node:path').dirname(__sourcePath(rel));",
].join('\n');

// Packages stay external (electron-builder packs node_modules), except those that publish only an
// ES module entry ("import" condition): CommonJS cannot require them, so they are bundled in.
const ESM_ONLY = /^cborg(\/|$)/;
const externalPackages = {
  name: 'external-packages-but-esm-only',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      ESM_ONLY.test(args.path) ? undefined : { path: args.path, external: true },
    );
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: false,
  logLevel: 'warning',
};
await build({
  ...common,
  entryPoints: ['src/electron/main.ts'],
  outfile: 'dist/electron/main.cjs',
  plugins: [externalPackages, sourceUrl],
  banner: { js: sourceUrlHelpers },
});
await build({
  ...common,
  entryPoints: ['src/electron/preload.ts'],
  outfile: 'dist/electron/preload.cjs',
  external: ['electron'],
});
console.log('built dist/electron/main.cjs and dist/electron/preload.cjs');
