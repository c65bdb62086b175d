// The whole kiosk after a real crash: a kiosk process is killed with SIGKILL right after the ¥1000 bill
// was stacked for a ¥400 fee (both copies out, the change not yet paid); the restarted kiosk offers the
// ¥600 to that card only, within the window. (A bill still in escrow at the crash may come back out of
// the validator: that fee is flagged for the technician, not offered.)
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKioskApp, type KioskApp } from '../../src/app.js';
import { parseConfig } from '../../src/config/load.js';
import { checkLedger } from '../../src/core/journal/ledger.js';
import { openClaims } from '../../src/core/reclaim.js';
import { silentLogger } from '../../src/log/logger.js';
import { reclaimAttempt } from '../../fixtures/faults/script.js';
import { ManualClock } from '../support/manual-clock.js';

const configFor = (dataDir: string) => parseConfig({ kiosk: { dataDir, serviceHours: 'always' } });

/** Runs the scripted transaction in a kiosk process killed right after the given journal write. */
function crashAt(dataDir: string, point: string): Promise<void> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'fixtures/faults/kiosk-child.ts'], {
      env: { ...process.env, MADOGUCHI_DATA_DIR: dataDir, MADOGUCHI_CRASH_AT: point },
      stdio: 'ignore',
    });
    p.on('exit', () => resolve());
  });
}

let app: KioskApp | null = null;
afterEach(async () => {
  await app?.stop();
  app = null;
});

async function restartAfterCrash() {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-reclaim-'));
  await crashAt(dir, 'cash.stack:done#1');
  const clock = new ManualClock(Date.now());
  app = await createKioskApp(configFor(dir), { log: silentLogger, core: { monitorMs: 60_000, clock } });
  await app.core.checkService();
  return { app, clock };
}

describe('reclaim on the whole kiosk after a SIGKILL', () => {
  it('another card gets nothing; the same card and PIN get the change; the ledger holds', async () => {
    const { app } = await restartAfterCrash();
    const j = app.core.journal;
    expect(openClaims(j)).toMatchObject([{ copiesOwed: 0, owedYen: 600 }]);
    expect(app.core.snapshot()).toMatchObject({ screen: 'reclaim', view: { phase: 'waiting' } });
    const sim = app.core.devices.cash.simulator!.raw;

    expect(await reclaimAttempt(app, 'yamada-hanako', '2580')).toBe('notOwed');
    expect(sim.paidOutYen()).toBe(0);
    expect(openClaims(j)).toHaveLength(1);

    expect(await reclaimAttempt(app, 'yamada-taro', '1234')).toBe('delivered');
    expect(sim.paidOutYen()).toBe(600);
    const copies = j.db
      .prepare("SELECT copy_index FROM print_jobs WHERE kind = 'certificate' AND status = 'done' ORDER BY id")
      .all() as { copy_index: number }[];
    expect(copies.map((c) => c.copy_index)).toEqual([1, 2]);
    const ledger = checkLedger(j);
    expect(ledger.violations).toEqual([]);
    expect(ledger).toMatchObject({ iouYen: 0, feesKept: 400, paidOut: 600 });
    expect(openClaims(j)).toEqual([]);
    await app.core.checkService();
    expect(app.core.snapshot().state).toBe('idle');
  }, 60_000);

  it('nobody comes back within the window: nothing given, the technician is called', async () => {
    const { app, clock } = await restartAfterCrash();
    await clock.advance(16 * 60_000);
    await app.core.checkService();
    expect(openClaims(app.core.journal)).toEqual([]);
    expect(app.core.snapshot()).toMatchObject({ screen: 'outOfService' });
    expect(await app.core.checkService()).toContain('needsTechnician');
    expect(app.core.devices.cash.simulator!.raw.paidOutYen()).toBe(0);
    expect(checkLedger(app.core.journal)).toMatchObject({ iouYen: 600, violations: [] });
  }, 60_000);
});
