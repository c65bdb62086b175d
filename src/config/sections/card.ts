import { z } from 'zod';

export const CardSection = z
  .object({
    driver: z.enum(['simulator', 'pcsc']).default('simulator'),
    /** Regular expression matched against PC/SC reader names; the first match is used. */
    readerPattern: z.string().default('.*'),
    /** APDU timeout, milliseconds. */
    timeoutMs: z.number().int().min(100).max(60000).default(5000),
  })
  .strict();
