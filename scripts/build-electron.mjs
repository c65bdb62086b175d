// Bundles the Electron main (node modules left external, packed by electron-builder) and the
// sandboxed preload (self-contained: a sandboxed preload can only require 'electron').
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node22', sourcemap: false, logLevel: 'warning' };
await build({ ...common, entryPoints: ['src/electron/main.ts'], outfile: 'dist/electron/main.cjs', packages: 'external' });
await build({ ...common, entryPoints: ['src/electron/preload.ts'], outfile: 'dist/electron/preload.cjs', external: ['electron'] });
console.log('built dist/electron/main.cjs and dist/electron/preload.cjs');
