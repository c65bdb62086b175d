import { z } from 'zod';

export const CashSection = z
  .object({
    driver: z.enum(['simulator', 'cctalk']).default('simulator'),
    /** Serial device of the shared ccTalk bus. */
    port: z.string().default('/dev/ttyUSB0'),
    baudRate: z.number().int().default(9600),
    replyTimeoutMs: z.number().int().min(10).max(5000).default(200),
    pollIntervalMs: z.number().int().min(20).max(2000).default(200),
    addresses: z
      .object({ coin: z.number().int().min(2).max(255).default(2), bill: z.number().int().min(2).max(255).default(40) })
      .strict()
      .prefault({}),
    /** Hoppers by coin value and ccTalk address. */
    hoppers: z
      .array(z.object({ yen: z.number().int(), address: z.number().int().min(2).max(255) }).strict())
      .default([
        { yen: 100, address: 3 },
        { yen: 10, address: 4 },
      ]),
    acceptBills: z.array(z.number().int()).default([1000]),
  })
  .strict();
