import { describe, expect, it } from 'vitest';
import { planChange, planPartial } from '../../src/payment/change.js';

const lv = (o: Record<number, number>) =>
  Object.entries(o).map(([yen, count]) => ({ yen: Number(yen), count }));

describe('planChange', () => {
  it('makes change with the fewest coins', () => {
    expect(planChange(650, lv({ 100: 50, 10: 50 }))).toEqual(
      new Map([
        [100, 6],
        [10, 5],
      ]),
    );
    expect(planChange(0, lv({}))).toEqual(new Map());
  });
  it('falls back to smaller coins when the large hopper is short', () => {
    expect(planChange(300, lv({ 100: 1, 10: 20 }))).toEqual(
      new Map([
        [100, 1],
        [10, 20],
      ]),
    );
  });
  it('says no when the levels cannot make the amount', () => {
    expect(planChange(300, lv({ 100: 1, 10: 19 }))).toBeNull();
    expect(planChange(5, lv({ 10: 10 }))).toBeNull();
  });
  it('finds bounded combinations a plain greedy would miss', () => {
    expect(planChange(60, lv({ 50: 1, 30: 2 }))).toEqual(new Map([[30, 2]]));
  });
  it('plans as much as possible when exact change is impossible', () => {
    expect(planPartial(350, lv({ 100: 2, 10: 3 }))).toEqual(
      new Map([
        [100, 2],
        [10, 3],
      ]),
    );
  });
});
