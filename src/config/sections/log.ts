import { z } from 'zod';

export const LogSection = z
  .object({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    /** Empty = <dataDir>/logs */
    dir: z.string().default(''),
    /** madoguchi.log is rotated past this size; the logs never take more than maxFileMb × (maxFiles + 1) MiB. */
    maxFileMb: z.number().int().min(1).max(1024).default(10),
    /** Rotated files kept (madoguchi.log.1 … .N). */
    maxFiles: z.number().int().min(0).max(100).default(5),
    /** Lines one source (call site) may write per minute; the rest are counted and dropped. */
    linesPerSourcePerMinute: z.number().int().min(1).max(100_000).default(300),
  })
  .strict();
