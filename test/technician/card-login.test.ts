// Technician card login on a whole kiosk: the card's PIN, then the registry names the role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TechnicianRequest } from '../../src/contract/technician.js';
import { startTestKiosk } from '../support/kiosk.js';
import { snapshotWhere } from '../support/wait.js';

let k: Awaited<ReturnType<typeof startTestKiosk>>;
const call = async (r: unknown) =>
  (await k.app.core.handlers.technician({ request: TechnicianRequest.parse(r) })).result as Record<
    string,
    unknown
  >;
const rows = () =>
  k.app.core.journal.db
    .prepare('SELECT technician, role, action, detail FROM technician_actions ORDER BY id')
    .all() as Array<{ technician: string; role: string; action: string; detail: string | null }>;

beforeAll(async () => {
  k = await startTestKiosk();
}, 60_000);
afterAll(() => k?.stop());

describe('technician card login', () => {
  it('needs a card, refuses a resident card and a wrong PIN, then logs the engineer in', async () => {
    await call({ action: 'enter' });
    expect(await call({ action: 'loginCard', pin: '0000' })).toEqual({ ok: false, error: 'loginFailed' });
    const sim = k.app.core.devices.card.simulator!;
    sim.resetPins();
    await sim.insert('yamada-taro');
    expect(await call({ action: 'loginCard', pin: '1234' })).toEqual({ ok: false, error: 'loginFailed' });
    await sim.insert('technician');
    expect(await call({ action: 'loginCard', pin: '9999' })).toEqual({ ok: false, error: 'loginFailed' });
    expect(await call({ action: 'loginCard', pin: '0000' })).toMatchObject({
      ok: true,
      technician: { id: 'T-0001', role: 'engineer', method: 'card' },
    });
    expect(k.app.core.snapshot().view).toMatchObject({
      stage: 'console',
      technician: { id: 'T-0001', role: 'engineer', method: 'card' },
      cardPresent: true,
    });
    expect(rows().map((r) => [r.technician, r.action, r.detail && JSON.parse(r.detail).reason])).toEqual([
      ['-', 'enter', null],
      ['card', 'loginFailed', 'noCard'],
      ['card', 'loginFailed', 'notTechnicianCard'],
      ['card', 'loginFailed', 'wrongPin'],
      ['T-0001', 'login', undefined],
    ]);
    // The registry's session has an end; the login row carries it.
    expect(JSON.parse(rows().at(-1)!.detail!)).toMatchObject({
      method: 'card',
      expiresAt: expect.any(String),
    });
    // Taking the technician card out ends the session.
    sim.remove();
    await snapshotWhere(k.app.core.engine, (s) => s.screen === 'idle', 'back to idle');
    expect(rows().at(-1)).toMatchObject({
      technician: 'T-0001',
      action: 'logout',
      detail: JSON.stringify({ reason: 'cardRemoved' }),
    });
    sim.resetPins('technician');
  });
});
