// A real Mosquitto for the fleet tests, on a free 127.0.0.1 port with a private configuration.
// A missing broker fails loudly with the command that installs it (never a skipped test).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { when } from '../support/wait.js';

const BINARY = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Broker {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startMosquitto(): Promise<Broker> {
  if (!BINARY) throw new Error('Mosquitto is not installed: run `apt-get install -y mosquitto`');
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-mqtt-'));
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      // Its "running" line on stderr comes once the listener is open: the readiness signal. (A log
      // file would not do: run as root, mosquitto drops to its own user and cannot write the temp dir.)
      'log_dest stderr',
      '',
    ].join('\n'),
  );
  const proc: ChildProcess = spawn(BINARY, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const running = () => / running$/m.test(stderr);
  await when(
    (l) => {
      proc.stderr!.on('data', l);
      proc.on('exit', l);
      return () => {
        proc.stderr!.off('data', l);
        proc.off('exit', l);
      };
    },
    () => running() || proc.exitCode !== null,
    'mosquitto to start',
    10_000,
    () => stderr,
  );
  if (!running()) throw new Error(`mosquitto did not start: ${stderr}`);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
