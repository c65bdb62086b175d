import { describe, expect, it } from 'vitest';
import { serviceState } from '../../src/core/service-hours.js';

const hours = { opens: '06:30', closes: '23:00', closedDays: [{ from: '12-29', to: '01-03' }] };
const jst = (iso: string) => new Date(`${iso}+09:00`);

describe('service hours (Japan time)', () => {
  it('is open inside the hours and closed outside, with the reopening time', () => {
    expect(serviceState(jst('2026-11-26T06:30:00'), hours)).toEqual({ open: true });
    expect(serviceState(jst('2026-11-26T22:59:00'), hours)).toEqual({ open: true });
    expect(serviceState(jst('2026-11-26T23:00:00'), hours)).toEqual({
      open: false,
      why: 'hours',
      reopensAt: jst('2026-11-27T06:30:00').toISOString(),
    });
    expect(serviceState(jst('2026-11-27T05:00:00'), hours)).toMatchObject({
      open: false,
      reopensAt: jst('2026-11-27T06:30:00').toISOString(),
    });
  });

  it('is closed over the new year, across the year boundary, and reopens on 1/4', () => {
    expect(serviceState(jst('2026-12-28T12:00:00'), hours)).toEqual({ open: true });
    expect(serviceState(jst('2026-12-31T12:00:00'), hours)).toEqual({
      open: false,
      why: 'closedDay',
      reopensAt: jst('2027-01-04T06:30:00').toISOString(),
    });
    expect(serviceState(jst('2027-01-03T12:00:00'), hours)).toMatchObject({ why: 'closedDay' });
    expect(serviceState(jst('2027-01-04T12:00:00'), hours)).toEqual({ open: true });
  });

  it('is closed during an announced maintenance window until its end', () => {
    const w = [
      {
        start: jst('2026-11-26T10:00:00').toISOString(),
        end: jst('2026-11-26T12:00:00').toISOString(),
        note: 'システム保守',
      },
    ];
    expect(serviceState(jst('2026-11-26T11:00:00'), hours, w)).toEqual({
      open: false,
      why: 'maintenance',
      reopensAt: w[0]!.end,
    });
    expect(serviceState(jst('2026-11-26T12:00:00'), hours, w)).toEqual({ open: true });
  });
});
