// Starts pcscd (with vsmartcard-vpcd) for the integration tests unless one is already running,
// and stops it afterwards only if the test started it. pcscd's socket path is fixed at build
// time, so the daemon is the machine's; the virtual card side listens on 127.0.0.1:35963.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

const SOCKET = '/run/pcscd/pcscd.comm';
const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';

function socketAlive(): Promise<boolean> {
  return new Promise((resolve) => {
    if (!existsSync(SOCKET)) return resolve(false);
    const s = connect(SOCKET, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export interface PcscdHandle {
  startedByUs: boolean;
  stop(): Promise<void>;
}

export async function ensurePcscd(): Promise<PcscdHandle> {
  if (spawnSync('sh', ['-c', 'command -v pcscd']).status !== 0 || !existsSync(VPCD_DRIVER)) {
    throw new Error('pcscd or vsmartcard-vpcd is missing: sudo apt-get install -y pcscd libpcsclite-dev vsmartcard-vpcd');
  }
  if (await socketAlive()) return { startedByUs: false, stop: async () => {} };
  const child: ChildProcess = spawn('pcscd', ['-f'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 10_000;
  while (!(await socketAlive())) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`pcscd exited (${child.exitCode ?? child.signalCode}): ${stderr}`);
    if (Date.now() > deadline) throw new Error(`pcscd did not open ${SOCKET}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    startedByUs: true,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }
      await exited;
    },
  };
}
