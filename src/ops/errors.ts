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
