// Tagged errors of the operations tools: each names what a technician must do next.

export class UpgradeRefused extends Error {
  readonly kind = 'upgradeRefused' as const;
  constructor(readonly reasons: string[]) {
    super(
      `upgrade refused: the journal has unfinished work (${reasons.join('; ')}). ` +
        'Start the previous version so that recovery resolves it, then upgrade again (docs/OPERATIONS.md, "Upgrades").',
    );
  }
}

export class JournalNewerThanApp extends Error {
  readonly kind = 'journalNewer' as const;
  constructor(
    readonly journalVersion: number,
    readonly appVersion: number,
  ) {
    super(
      `the journal is at schema v${journalVersion} but this Madoguchi only knows v${appVersion}: ` +
        'a newer version migrated it. Reinstall the newer version, or roll back with `madoguchi upgrade rollback`.',
    );
  }
}

export class BackupFailed extends Error {
  readonly kind = 'backupFailed' as const;
}

export class RestoreRefused extends Error {
  readonly kind = 'restoreRefused' as const;
}

export class PruneRefused extends Error {
  readonly kind = 'pruneRefused' as const;
}

/** Exit codes of the command line, one per kind of failure (sysexits.h where one fits). */
export const EXIT_CODES = {
  backupFailed: 65, // EX_DATAERR: a backup that cannot be read or has no key
  pruneRefused: 73,
  upgradeRefused: 75, // EX_TEMPFAIL: start the previous version, let recovery finish, retry
  journalNewer: 76,
  restoreRefused: 77, // EX_NOPERM
  config: 78, // EX_CONFIG
  journalKey: 78, // a key missing beside a journal, or readable by others: fix the file or journal.keyFile
  internal: 70, // EX_SOFTWARE
} as const;

/** One line for the terminal and an exit code, for any error a command throws: never a stack trace. */
export function describeFailure(e: unknown): { line: string; code: number } {
  const kind =
    typeof e === 'object' && e !== null && 'kind' in e ? String((e as { kind: unknown }).kind) : '';
  const message = (e instanceof Error ? e.message : String(e))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('; ');
  const code = kind in EXIT_CODES ? EXIT_CODES[kind as keyof typeof EXIT_CODES] : EXIT_CODES.internal;
  return { line: code === EXIT_CODES.internal ? `internal error: ${message}` : message, code };
}
