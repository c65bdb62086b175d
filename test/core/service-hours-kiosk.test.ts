// The kiosk follows the municipality's service hours from the registry catalog (Japan time).
import { describe, expect, it } from 'vitest';
import { startTestKiosk } from '../support/kiosk.js';

describe('kiosk service hours', () => {
  it('is outside hours at 23:30 JST and says when it reopens; resident input is ignored', async () => {
    let now = new Date('2026-11-26T23:30:00+09:00');
    const k = await startTestKiosk(
      { kiosk: { serviceHours: 'registry' } },
      { core: { now: () => now, monitorMs: 60_000 } },
    );
    try {
      expect(k.app.core.snapshot().screen).toBe('outsideHours');
      expect(k.app.core.snapshot().view).toEqual({
        why: 'hours',
        reopensAt: new Date('2026-11-27T06:30:00+09:00').toISOString(),
      });
      await k.app.dispatch({
        kind: 'request',
        id: 1,
        command: 'input',
        payload: { input: { type: 'START' } },
      });
      expect(k.app.core.snapshot().screen).toBe('outsideHours');
      // Morning comes: back in service.
      now = new Date('2026-11-27T06:30:00+09:00');
      await k.app.core.checkService();
      expect(k.app.core.snapshot().screen).toBe('idle');
    } finally {
      await k.stop();
    }
  });

  it('is closed over the new year holidays', async () => {
    const k = await startTestKiosk(
      { kiosk: { serviceHours: 'registry' } },
      { core: { now: () => new Date('2026-12-30T12:00:00+09:00'), monitorMs: 60_000 } },
    );
    try {
      expect(k.app.core.snapshot().view).toMatchObject({
        why: 'closedDay',
        reopensAt: new Date('2027-01-04T06:30:00+09:00').toISOString(),
      });
    } finally {
      await k.stop();
    }
  });

  it('"always" ignores the hours', async () => {
    const k = await startTestKiosk(
      { kiosk: { serviceHours: 'always' } },
      { core: { now: () => new Date('2026-11-26T03:00:00+09:00'), monitorMs: 60_000 } },
    );
    try {
      expect(k.app.core.snapshot().screen).toBe('idle');
    } finally {
      await k.stop();
    }
  });
});
