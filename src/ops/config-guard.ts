// A configuration edit must not brick the kiosk. The edit keeps the configuration the kiosk was
// running on as <file>.last-good and marks <file> as on trial. Each start on trial counts itself;
// the third start after two that never came up puts the last good configuration back (the
// refused one kept as <file>.rejected) and leaves a notice the kiosk journals once it is up.
// A start that comes up ends the trial: the configuration becomes the last good one.
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/** Starts on a new configuration that may fail before the last good one is put back. */
export const FAILED_STARTS_BEFORE_FALLBACK = 2;

const trialFile = (file: string) => `${file}.trial.json`;
const noticeFile = (file: string) => `${file}.fallback.json`;
export const lastGoodFile = (file: string) => `${file}.last-good`;
export const rejectedFile = (file: string) => `${file}.rejected`;

export interface FallbackNotice {
  at: string;
  startsFailed: number;
  rejected: string;
}

function writeJson(path: string, value: unknown) {
  writeFileSync(`${path}.new`, JSON.stringify(value), { mode: 0o600 });
  renameSync(`${path}.new`, path);
}

/** After an edit wrote `file`: `previous` is what the kiosk ran on (known good). */
export function startTrial(file: string, previous: string): void {
  writeFileSync(`${lastGoodFile(file)}.new`, previous, { mode: 0o600 });
  renameSync(`${lastGoodFile(file)}.new`, lastGoodFile(file));
  writeJson(trialFile(file), { starts: 0 });
}

/** Before the configuration is loaded at start: counts the start, or falls back. Returns the notice when it fell back now. */
export function beforeStart(file: string | null, now: Date = new Date()): FallbackNotice | null {
  if (!file || !existsSync(trialFile(file))) return null;
  let starts = 0;
  try {
    starts = (JSON.parse(readFileSync(trialFile(file), 'utf8')) as { starts: number }).starts;
  } catch {
    starts = FAILED_STARTS_BEFORE_FALLBACK; // an unreadable trial is a failed one
  }
  if (starts < FAILED_STARTS_BEFORE_FALLBACK || !existsSync(lastGoodFile(file))) {
    writeJson(trialFile(file), { starts: starts + 1 });
    return null;
  }
  copyFileSync(file, rejectedFile(file));
  copyFileSync(lastGoodFile(file), `${file}.new`);
  renameSync(`${file}.new`, file);
  rmSync(trialFile(file), { force: true });
  const notice: FallbackNotice = {
    at: now.toISOString(),
    startsFailed: starts,
    rejected: rejectedFile(file),
  };
  writeJson(noticeFile(file), notice);
  return notice;
}

/** The kiosk is up on `file`: the trial (if any) is over. Returns a fallback notice not yet journaled. */
export function startedUp(file: string | null): FallbackNotice | null {
  if (!file) return null;
  if (existsSync(trialFile(file))) {
    rmSync(trialFile(file), { force: true });
    if (existsSync(file)) copyFileSync(file, lastGoodFile(file));
  }
  if (!existsSync(noticeFile(file))) return null;
  try {
    return JSON.parse(readFileSync(noticeFile(file), 'utf8')) as FallbackNotice;
  } finally {
    rmSync(noticeFile(file), { force: true });
  }
}
