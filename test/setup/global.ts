// Builds the renderer once for the end-to-end tests when it is missing or older than its sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export default function setup() {
  const index = 'renderer/dist/index.html';
  const stale = !existsSync(index) || statSync(index).mtimeMs < Math.max(newest('renderer/src'), newest('src/contract'), statSync('renderer/index.html').mtimeMs);
  if (stale) execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}
