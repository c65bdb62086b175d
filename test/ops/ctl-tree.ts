// madoguchi-ctl as the package installs it, in a temporary directory: the tree scripts/build-ctl.mjs
// assembles (resources/ctl) and build/linux/madoguchi-ctl pointed at it. Tests run as root here, so
// the wrapper's switch to the madoguchi user is left out; everything after it runs as shipped.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CtlTree {
  /** resources/ctl */
  dir: string;
  /** The wrapper, reading the tree at `dir`. */
  wrapper: string;
}

export function buildCtlTree(): CtlTree {
  const root = mkdtempSync(join(tmpdir(), 'madoguchi-ctl-'));
  const dir = join(root, 'ctl');
  execFileSync(process.execPath, ['scripts/build-ctl.mjs', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const shipped = readFileSync('build/linux/madoguchi-ctl', 'utf8');
  const wrapper = join(root, 'madoguchi-ctl');
  const adapted = shipped.replace(/^if \[ "\$\(id -u\)" = 0 \].*\n/m, '').replace(/^CTL=.*$/m, `CTL=${dir}`);
  if (adapted === shipped || !adapted.includes(`CTL=${dir}`))
    throw new Error('build/linux/madoguchi-ctl changed shape: adapt test/ops/ctl-tree.ts');
  writeFileSync(wrapper, adapted);
  chmodSync(wrapper, 0o755);
  return { dir, wrapper };
}

/** Runs the wrapper away from the checkout (cwd = tmp), with only the environment given. */
export function runCtl(tree: CtlTree, args: string[], env: Record<string, string>) {
  return spawnSync(tree.wrapper, args, {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    encoding: 'utf8',
  });
}
