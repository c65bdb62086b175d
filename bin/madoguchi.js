#!/usr/bin/env node
// The madoguchi command: the compiled CLI in dist/cli (built by `npm ci` / `npm run build`).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write(
    'madoguchi: the command line is not built (dist/cli/main.js is missing): run "npm run build" or "npm ci"\n',
  );
  process.exit(1);
}
await import(main.href);
