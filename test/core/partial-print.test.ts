// A printer that fails after some copies are out: the sale stands, so the end screen tells the change
// given and the copies given and owed — never that the money was refunded.
import { afterEach, describe, expect, it } from 'vitest';
import { viewOn } from '../../src/contract/index.js';
import { makeEngine } from './harness.js';

let h: ReturnType<typeof makeEngine>;
afterEach(() => h?.engine.stop());

describe('printer failure after the first copy', () => {
  it('says what was given back and what is owed, not "refunded"', async () => {
    h = makeEngine();
    await h.toPayment(2);
    h.printer.failOnCopy = 2;
    h.cash.session!.bill(1000);
    await h.until(
      () => h.engine.snapshot().screen === 'error' && !viewOn(h.engine.snapshot(), 'error').busy,
      'error screen settled',
    );
    const { id } = h.journal.db.prepare('SELECT id FROM transactions').get() as { id: string };
    const change = h.journal.cashBalance(id).paidOutYen;
    expect(change).toBeGreaterThan(0);
    expect(viewOn(h.engine.snapshot(), 'error')).toMatchObject({
      refundedYen: 0,
      changeYen: change,
      owedYen: 0,
      copiesPrinted: 1,
      copiesOwed: 1,
    });
    // The issuance stands: nothing voided, the missing copy owed at the counter.
    expect(h.registry.voided).toEqual([]);
    expect(h.printer.printed).toEqual([{ issuanceId: 'ISS-1', copy: 1 }]);
  });
});
