import { z } from 'zod';

export const LogSection = z
  .object({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    /** Empty = <dataDir>/logs */
    dir: z.string().default(''),
  })
  .strict();
