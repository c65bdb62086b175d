import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toMermaid } from '../../src/core/machine/draw.js';

describe('the transaction chart', () => {
  it('docs/transaction.md shows the machine as it is in the code', () => {
    const doc = readFileSync('docs/transaction.md', 'utf8');
    const drawn = doc.slice(doc.indexOf('```mermaid\n') + '```mermaid\n'.length, doc.lastIndexOf('```'));
    expect(drawn).toBe(toMermaid());
  });

  it('every state of the session is reachable in the drawing and every screen state has a way out', () => {
    const m = toMermaid();
    for (const s of ['session_pin', 'session_payment', 'session_printing', 'session_unwinding', 'session_refused']) expect(m).toContain(`--> ${s}`);
    for (const s of ['session_insertCard', 'session_pin', 'session_municipality', 'session_certificate', 'session_options', 'session_confirm', 'session_payment']) {
      expect(m).toMatch(new RegExp(`${s} --> session_cancelling: (CANCEL|TIMEOUT)`));
    }
  });
});
