// Spawns the virtual card program (fixtures/vcard/main.ts) against vpcd.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { CardFaults } from '../../../drivers/card/faults.js';
import { when } from '../../support/wait.js';

const ROOT = resolve(import.meta.dirname, '../../..');

export interface VcardProcess {
  child: ChildProcess;
  /** Resolves with the process' exit code. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
  output(): string;
}

export async function startVcard(o: {
  card: string;
  stateDir: string;
  pkiDir?: string;
  faults?: CardFaults;
}): Promise<VcardProcess> {
  const args = ['--import', 'tsx', 'fixtures/vcard/main.ts', '--card', o.card, '--state-dir', o.stateDir];
  if (o.pkiDir) args.push('--pki-dir', o.pkiDir);
  if (o.faults) args.push('--faults', JSON.stringify(o.faults));
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  // Ready when the program says its card is in the reader (or it has died trying).
  await when(
    (l) => {
      child.stdout!.on('data', l);
      child.on('exit', l);
      return () => {
        child.stdout!.off('data', l);
        child.off('exit', l);
      };
    },
    () => out.includes('inserted') || child.exitCode !== null,
    'the virtual card to start',
    30_000,
    () => out,
  );
  if (!out.includes('inserted')) throw new Error(`virtual card exited: ${out}`);
  return {
    child,
    exited,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
