import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getNextSnapshot } from 'xstate';
import { toMermaid } from '../../src/core/machine/draw.js';
import { transactionMachine } from '../../src/core/machine/transaction.machine.js';
import { emptyContext, type SessionContext } from '../../src/core/machine/types.js';
import { SESSION_SCREENS } from '../../src/core/view.js';

describe('the transaction chart', () => {
  it('docs/transaction.md shows the machine as it is in the code', () => {
    const doc = readFileSync('docs/transaction.md', 'utf8');
    const drawn = doc.slice(doc.indexOf('```mermaid\n') + '```mermaid\n'.length, doc.lastIndexOf('```'));
    expect(drawn).toBe(toMermaid());
  });

  it('every state of the session is reachable in the drawing and every screen state has a way out', () => {
    const m = toMermaid();
    for (const s of [
      'session_pin',
      'session_payment',
      'session_printing',
      'session_unwinding',
      'session_refused',
    ])
      expect(m).toContain(`--> ${s}`);
    expect(m).toContain('session --> session_cancelling: CANCEL [waitingForResident]');
    expect(m).toContain('session --> session_cancelling: TIMEOUT [waitingForResident]');
  });

  it('every state of the session has its screen, and the screen table names no state the chart lacks', () => {
    expect(Object.keys(SESSION_SCREENS).sort()).toEqual(
      Object.keys(transactionMachine.root.states.session!.states).sort(),
    );
  });

  const at = (state: string, ctx: Partial<SessionContext> = {}) =>
    transactionMachine.resolveState({
      value: { session: state },
      context: { ...emptyContext(), txId: 'tx', cardPresent: true, ...ctx },
    });
  const after = (
    state: string,
    type: 'CANCEL' | 'TIMEOUT' | 'CARD_REMOVED',
    ctx: Partial<SessionContext> = {},
  ) => getNextSnapshot(transactionMachine, at(state, ctx), { type });

  it('the shared exits end the session from every screen that waits for the resident, and from nowhere else', () => {
    const waiting = [
      'insertCard',
      'pin',
      'phoneAway',
      'municipality',
      'certificate',
      'options',
      'confirm',
      'takeCard',
      'payment',
    ];
    for (const s of waiting) {
      expect(after(s, 'CANCEL').context.ending, s).toBe('cancelled');
      expect(after(s, 'TIMEOUT').context).toMatchObject({ ending: 'timeout', failure: 'session/timeout' });
    }
    for (const s of [
      'opening',
      'readingCard',
      'verifyingPin',
      'authenticating',
      'checkingEligibility',
      'requesting',
      'printing',
      'settling',
    ]) {
      expect(after(s, 'CANCEL').value, s).toEqual({ session: s });
      expect(after(s, 'TIMEOUT').value, s).toEqual({ session: s });
    }
    expect(after('thankYou', 'TIMEOUT', { cardPresent: false }).value).toBe('idle');
  });

  it('taking the card away cancels while it is needed; a phone may leave until the resident is known', () => {
    const needed = [
      'readingCard',
      'pin',
      'verifyingPin',
      'authenticating',
      'municipality',
      'certificate',
      'options',
      'checkingEligibility',
      'confirm',
    ];
    for (const s of needed)
      expect(after(s, 'CARD_REMOVED').context, s).toMatchObject({
        ending: 'removed',
        failure: 'session/removed',
        cardPresent: false,
      });
    for (const s of ['readingCard', 'pin', 'verifyingPin', 'authenticating'])
      expect(after(s, 'CARD_REMOVED', { tokenForm: 'phone' }).value, s).toEqual({ session: 'phoneAway' });
    for (const s of ['municipality', 'certificate', 'options', 'checkingEligibility', 'confirm']) {
      const next = after(s, 'CARD_REMOVED', { tokenForm: 'phone' });
      expect(next.value, s).toEqual({ session: s });
      expect(next.context.cardPresent).toBe(false);
    }
    expect(after('takeCard', 'CARD_REMOVED').value).toEqual({ session: 'payment' });
    for (const s of ['requesting', 'payment', 'printing'])
      expect(after(s, 'CARD_REMOVED').value, s).toEqual({ session: s });
  });
});
