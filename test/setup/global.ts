// Builds what the tests run as programs when it is missing or older than its sources: the
// renderer (end-to-end tests) and the compiled command line (tests that run bin/madoguchi.js).
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

const olderThan = (file: string, sources: number) => !existsSync(file) || statSync(file).mtimeMs < sources;

export default function setup() {
  if (
    olderThan(
      'renderer/dist/index.html',
      Math.max(newest('renderer/src'), newest('src/contract'), statSync('renderer/index.html').mtimeMs),
    )
  ) {
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  }
  if (olderThan('dist/cli/main.js', Math.max(...['src', 'drivers', 'fixtures', 'bench'].map(newest)))) {
    try {
      execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
    } catch {
      // Tests that run the compiled command line fail on their own; the others still run.
      process.stderr.write(
        'global setup: the command line did not build (see above); tests that run bin/madoguchi.js will fail\n',
      );
    }
  }
}
