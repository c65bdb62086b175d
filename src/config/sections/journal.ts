import { z } from 'zod';

export const JournalSection = z
  .object({
    /** Empty = <dataDir>/journal.sqlite3 */
    path: z.string().default(''),
    /** Days of closed transactions kept before pruning. */
    retentionDays: z.number().int().min(1).max(3650).default(400),
  })
  .strict();
