// An edited configuration that never comes up is replaced by the last good one on the third start,
// and the kiosk says so; one that comes up becomes the last good one.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  beforeStart,
  lastGoodFile,
  rejectedFile,
  startedUp,
  startTrial,
} from '../../src/ops/config-guard.js';

const fresh = () => {
  const file = join(mkdtempSync(join(tmpdir(), 'madoguchi-guard-')), 'config.yaml');
  writeFileSync(file, 'new: edited\n');
  startTrial(file, 'old: good\n');
  return file;
};

describe('configuration trial after an edit', () => {
  it('falls back to the last good configuration after two failed starts, and says so once', () => {
    const file = fresh();
    expect(beforeStart(file)).toBeNull(); // first start on the edit…
    expect(beforeStart(file)).toBeNull(); // …and the second never came up
    const notice = beforeStart(file, new Date('2026-11-30T01:00:00Z'));
    expect(notice).toEqual({ at: '2026-11-30T01:00:00.000Z', startsFailed: 2, rejected: rejectedFile(file) });
    expect(readFileSync(file, 'utf8')).toBe('old: good\n');
    expect(readFileSync(rejectedFile(file), 'utf8')).toBe('new: edited\n');
    // The kiosk comes up on the good one and journals the notice once.
    expect(startedUp(file)).toEqual(notice);
    expect(startedUp(file)).toBeNull();
    expect(beforeStart(file)).toBeNull();
  });

  it('an edit that starts becomes the last good configuration and later starts are not counted', () => {
    const file = fresh();
    expect(beforeStart(file)).toBeNull();
    expect(startedUp(file)).toBeNull();
    expect(readFileSync(lastGoodFile(file), 'utf8')).toBe('new: edited\n');
    for (let i = 0; i < 4; i++) expect(beforeStart(file)).toBeNull();
    expect(readFileSync(file, 'utf8')).toBe('new: edited\n');
    expect(existsSync(rejectedFile(file))).toBe(false);
  });

  it('without a configuration file nothing is counted', () => {
    expect(beforeStart(null)).toBeNull();
    expect(startedUp(null)).toBeNull();
  });
});
