// The printer with no hardware names only its latest job files: a demo kiosk prints for months.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRINTED_KEPT, SimulatedPrinter } from '../../drivers/printer/simulator/simulator.js';

describe('simulated printer', () => {
  it('keeps the latest job files in its list, oldest first, and every file in the spool', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'madoguchi-spool-'));
    const printer = new SimulatedPrinter(spoolDir, 'pdf');
    const jobs = PRINTED_KEPT + 5;
    for (let i = 1; i <= jobs; i++)
      await printer.submit({ id: `job-${i}`, data: new Uint8Array([i & 0xff]) });
    expect(printer.printed).toHaveLength(PRINTED_KEPT);
    expect(printer.printed[0]).toBe(join(spoolDir, 'job-6.pdf'));
    expect(printer.printed.at(-1)).toBe(join(spoolDir, `job-${jobs}.pdf`));
    expect(existsSync(join(spoolDir, 'job-1.pdf'))).toBe(true);
  });
});
