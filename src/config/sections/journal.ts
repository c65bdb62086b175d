import { z } from 'zod';

export const JournalSection = z
  .object({
    /** Empty = <dataDir>/journal.sqlite3 */
    path: z.string().default(''),
    /**
     * The journal key (HMAC of the audit chain's head and of resident hashes), base64, mode 0600.
     * Empty = <data dir>-keys/journal.key: outside the data directory, never in a backup (under the
     * kiosk unit: the root-owned key's copy that systemd passes in $CREDENTIALS_DIRECTORY).
     */
    keyFile: z.string().default(''),
    /** Days of closed transactions kept before pruning (only reconciled days are ever pruned). */
    retentionDays: z.number().int().min(1).max(3650).default(400),
    /** Free space the journal's file system must keep; below it no new transaction (and no money) is taken. */
    minFreeMb: z.number().int().min(1).max(1_048_576).default(64),
    /** After a restart, minutes the resident has to come back (card + PIN) for a certificate or money owed; then an IOU. */
    reclaimWindowMinutes: z.number().int().min(1).max(1440).default(15),
    backup: z
      .object({
        /** Daily online backup of the journal (SQLite backup API) while the kiosk runs. */
        enabled: z.boolean().default(true),
        /** Empty = <journal dir>/backups. Pre-upgrade backups always go to <journal dir>/backups. */
        dir: z.string().default(''),
        /** Days a backup is kept; the newest backup is never deleted. */
        keepDays: z.number().int().min(1).max(3650).default(14),
        /** Local hour (0-23) after which the day's backup is taken. */
        atHour: z.number().int().min(0).max(23).default(3),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type JournalConfig = z.infer<typeof JournalSection>;
