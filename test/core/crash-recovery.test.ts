// Kills the kiosk process (SIGKILL) right after every journal write of a scripted transaction,
// restarts it on the same files, and checks that the cash position, the registry's records and
// the journal agree: nothing lost, nothing doubled.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { createKioskApp } from '../../src/app.js';
import { silentLogger } from '../../src/log/logger.js';
import { verifyJournal } from '../../src/core/journal/verify.js';

const CHILD = ['--import', 'tsx', 'test/support/crash-kiosk.ts'];

function runChild(env: Record<string, string>): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, CHILD, { env: { ...process.env, ...env }, timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr: stderr + (err && !child.signalCode ? String(err) : '') });
    });
  });
}

/** Every crash point of the script, learned from one uninterrupted run. */
async function crashPoints(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-crash-list-'));
  const file = join(dir, 'points.txt');
  const r = await runChild({ MADOGUCHI_DATA_DIR: dir, MADOGUCHI_CRASH_LIST: file });
  expect(r.stdout, r.stderr).toContain('DONE');
  return readFileSync(file, 'utf8').trim().split('\n');
}

interface Verdict {
  point: string;
  txStatus: string;
  outcome: string | null;
  registry: string;
  netYen: number;
  escrowYen: number;
  printed: number;
}

async function crashAndRecover(point: string): Promise<Verdict> {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-crash-'));
  const r = await runChild({ MADOGUCHI_DATA_DIR: dir, MADOGUCHI_CRASH_AT: point });
  expect(r.signal, `${point}: ${r.stderr.slice(-500)}`).toBe('SIGKILL');

  // Restart on the same files: recovery runs at start-up.
  const app = await createKioskApp(parseConfig({ kiosk: { dataDir: dir } }), { log: silentLogger });
  try {
    const j = app.core.journal;
    expect(j.openTransactions(), point).toEqual([]);
    const tx = j.db.prepare('SELECT * FROM transactions').get() as { id: string; status: string; outcome: string | null; fee_yen: number | null; issuance_id: string | null };
    const bal = j.cashBalance(tx.id);
    const printed = j.printJobs(tx.id).filter((p) => p.kind === 'certificate' && p.status === 'done').length;
    await app.core.devices.registry.flushOutbox();
    const reg = new Database(join(dir, 'registry', 'registry.sqlite3'), { readonly: true });
    const issuances = reg.prepare('SELECT id, state, total_yen FROM issuances').all() as { id: string; state: string; total_yen: number }[];
    reg.close();
    expect(issuances.length, `${point}: one issuance at most`).toBeLessThanOrEqual(1);
    const iss = issuances[0];
    expect(verifyJournal(j).problems, point).toEqual([]);
    return { point, txStatus: tx.status, outcome: tx.outcome, registry: iss?.state ?? 'none', netYen: bal.netYen, escrowYen: bal.escrowYen, printed };
  } finally {
    await app.stop();
  }
}

describe('crash at every step, then restart', () => {
  it('resolves every crash to a consistent outcome', async () => {
    const points = await crashPoints();
    expect(points.length).toBeGreaterThan(20);
    const verdicts: Verdict[] = [];
    // Two kiosks at a time: the machines have two cores.
    for (let i = 0; i < points.length; i += 2) verdicts.push(...(await Promise.all(points.slice(i, i + 2).map(crashAndRecover))));
    for (const v of verdicts) {
      // Nothing left in escrow, and the registry agrees with the money.
      expect(v.escrowYen, v.point).toBe(0);
      if (v.registry === 'finalized') {
        expect(v.printed, `${v.point}: finalized means every copy printed`).toBe(2);
        expect(v.netYen, `${v.point}: finalized means the fee was kept, no more`).toBeGreaterThan(0);
      } else {
        expect(['voided', 'none'], `${v.point}: an unprinted issuance is voided`).toContain(v.registry);
        expect(v.netYen, `${v.point}: no certificate, no money kept`).toBe(0);
      }
      expect(['completed', 'recovered', 'cancelled', 'failed'], v.point).toContain(v.txStatus);
    }
    // Crashes after the certificates were printed end finalized with the fee kept.
    const afterPrint = verdicts.filter((v) => v.point === 'print.certificate:done#2' || v.point.startsWith('payment.commit') || v.point.startsWith('cash.stack') || v.point.startsWith('cash.change') || v.point.startsWith('registry.finalize'));
    expect(afterPrint.length).toBeGreaterThan(5);
    for (const v of afterPrint) expect(v.registry, v.point).toBe('finalized');
    const fee = verdicts.find((v) => v.registry === 'finalized')!.netYen;
    for (const v of verdicts.filter((x) => x.registry === 'finalized')) expect(v.netYen, v.point).toBe(fee);
  }, 600_000);
});
