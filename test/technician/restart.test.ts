// What the console counts and remembers survives a restart: hopper levels and the cash box are
// derived from the journal, a locked technician id stays locked, and a spent one-time code stays spent.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKioskApp, type KioskApp } from '../../src/app.js';
import { parseConfig } from '../../src/config/load.js';
import { TechnicianRequest, TechnicianResults } from '../../src/contract/technician.js';
import { silentLogger } from '../../src/log/logger.js';
import { currentTotp, hashTechnicianPin, newTotpSecret } from '../../src/technician/auth.js';
import { ManualClock } from '../support/manual-clock.js';

const dir = mkdtempSync(join(tmpdir(), 'madoguchi-tech-restart-'));
const secret = newTotpSecret();
writeFileSync(join(dir, 'totp'), secret, { mode: 0o600 });
const config = parseConfig({
  kiosk: { dataDir: dir, serviceHours: 'always' },
  fleet: { heartbeat: false },
  technician: {
    lockoutAttempts: 2,
    lockoutSeconds: 600,
    accounts: [
      {
        id: 'op1',
        role: 'operator',
        pinHash: hashTechnicianPin('246810'),
        totpSecretFile: join(dir, 'totp'),
      },
      {
        id: 'op2',
        role: 'operator',
        pinHash: hashTechnicianPin('135790'),
        totpSecretFile: join(dir, 'totp'),
      },
    ],
  },
});
// One clock across both starts, moved by hand: back-offs pass without waiting.
const clock = new ManualClock(Date.now());
const start = () => createKioskApp(config, { log: silentLogger, core: { clock } });
const call = async (app: KioskApp, r: unknown) =>
  (await app.core.handlers.technician({ request: TechnicianRequest.parse(r) })).result;
/** Waits out the screen's short back-off (it grows 1, 2, 4 … s with failures in a row). */
async function backOff(app: KioskApp) {
  const view = app.core.snapshot().view;
  const until =
    'lockedUntil' in view && typeof view.lockedUntil === 'string' ? Date.parse(view.lockedUntil) : 0;
  expect(until - clock.now()).toBeLessThanOrEqual(30_000);
  if (until > clock.now()) await clock.advance(until - clock.now());
}
const reasons = (app: KioskApp) =>
  (
    app.core.journal.db
      .prepare("SELECT detail FROM technician_actions WHERE action = 'loginFailed' ORDER BY id")
      .all() as Array<{ detail: string }>
  ).map((r) => (JSON.parse(r.detail) as { reason: string }).reason);

describe('after a restart', () => {
  it('hopper and cash-box counts are the same, a locked id is still locked and a spent code still spent', async () => {
    const a = await start();
    const code = currentTotp(secret, new Date(clock.now()));
    let before: ReturnType<typeof TechnicianResults.cashCounts.parse> | null = null;
    try {
      await call(a, { action: 'enter' });
      expect(
        await call(a, { action: 'loginPin', technicianId: 'op2', pin: '135790', totp: code }),
      ).toMatchObject({ ok: true });
      expect(await call(a, { action: 'hopperRefill', yen: 100, count: 20 })).toMatchObject({ ok: true });
      expect(await call(a, { action: 'hopperCount', yen: 10, count: 57 })).toMatchObject({ ok: true });
      // Change paid out by the hoppers, as after a sale.
      const paid = await a.core.devices.cash.payout(110, 'tx-change');
      expect(paid.paidYen).toBe(110);
      before = TechnicianResults.cashCounts.parse(await call(a, { action: 'cashCounts' }));
      expect(before).toMatchObject({
        ok: true,
        hoppers: expect.arrayContaining([
          { yen: 100, count: 100 + 20 - 1 },
          { yen: 10, count: 57 - 1 },
        ]),
      });
      await call(a, { action: 'logout' });
      // Two wrong PINs lock op1 (lockoutAttempts 2).
      await call(a, { action: 'enter' });
      await call(a, { action: 'loginPin', technicianId: 'op1', pin: '000000', totp: code });
      await call(a, { action: 'loginPin', technicianId: 'op1', pin: '000000', totp: code });
    } finally {
      await a.stop();
    }

    const b = await start();
    try {
      // Hoppers start from the journal, not from the configured load.
      expect(b.core.devices.cash.levels()).toEqual(
        expect.arrayContaining([
          { yen: 100, count: 119 },
          { yen: 10, count: 56 },
        ]),
      );
      await call(b, { action: 'enter' });
      await backOff(b);
      // op1 stays locked with the right PIN; the spent code of op2 stays spent.
      expect(
        await call(b, {
          action: 'loginPin',
          technicianId: 'op1',
          pin: '246810',
          totp: currentTotp(secret, new Date(clock.now() + 30_000)),
        }),
      ).toEqual({ ok: false, error: 'loginFailed' });
      await backOff(b);
      expect(await call(b, { action: 'loginPin', technicianId: 'op2', pin: '135790', totp: code })).toEqual({
        ok: false,
        error: 'loginFailed',
      });
      expect(reasons(b).slice(-2)).toEqual(['locked', 'totpReused']);
      // The locked id does not keep anyone else out: op2 with a new code gets in.
      await backOff(b);
      expect(
        await call(b, {
          action: 'loginPin',
          technicianId: 'op2',
          pin: '135790',
          totp: currentTotp(secret, new Date(clock.now() + 30_000)),
        }),
      ).toMatchObject({ ok: true });
      const after = TechnicianResults.cashCounts.parse(await call(b, { action: 'cashCounts' }));
      expect({ cashBox: after.cashBox, hoppers: after.hoppers }).toEqual({
        cashBox: before!.cashBox,
        hoppers: before!.hoppers,
      });
    } finally {
      await b.stop();
    }
  }, 60_000);
});
