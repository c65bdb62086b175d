import { z } from 'zod';

export const CashSection = z
  .object({
    driver: z.enum(['simulator', 'cctalk']).default('simulator'),
    /** Serial device of the shared ccTalk bus. */
    port: z.string().default('/dev/ttyUSB0'),
    /** ccTalk runs at 9600 baud; other rates only for converters that need them. */
    baudRate: z.number().int().min(1200).max(115_200).default(9600),
    replyTimeoutMs: z.number().int().min(10).max(5000).default(200),
    /**
     * Pause between two polls of the acceptors while a payment is open. Polling both takes ~45 ms
     * at 9600 baud, so 100 ms keeps the bus two-thirds free, shows a coin on screen at once and
     * never lets a 5-event buffer overflow.
     */
    pollIntervalMs: z.number().int().min(20).max(2000).default(100),
    /** Extra attempts for a poll or setting whose reply timed out or arrived corrupted. */
    retries: z.number().int().min(0).max(5).default(2),
    addresses: z
      .object({
        coin: z.number().int().min(2).max(255).default(2),
        bill: z.number().int().min(2).max(255).default(40),
      })
      .strict()
      .prefault({}),
    /** Devices programmed for CRC-16/CCITT instead of the simple checksum, by address. */
    crc16Addresses: z.array(z.number().int().min(2).max(255)).default([]),
    /**
     * Hoppers by coin value and ccTalk address. `coins` is the count loaded at the last refill:
     * hoppers only have level sensors, so the host counts coins out itself. `lowLevelCoins` is
     * about what is left when the low-level sensor trips (a host count above it is then wrong).
     */
    hoppers: z
      .array(
        z
          .object({
            yen: z.union([
              z.literal(1),
              z.literal(5),
              z.literal(10),
              z.literal(50),
              z.literal(100),
              z.literal(500),
            ]),
            address: z.number().int().min(2).max(255),
            coins: z.number().int().min(0).max(5000).default(100),
            lowLevelCoins: z.number().int().min(0).max(5000).default(10),
          })
          .strict(),
      )
      .default([
        { yen: 100, address: 3, coins: 100, lowLevelCoins: 10 },
        { yen: 10, address: 4, coins: 100, lowLevelCoins: 10 },
      ]),
    acceptBills: z
      .array(z.union([z.literal(1000), z.literal(2000), z.literal(5000), z.literal(10000)]))
      .default([1000]),
    /** Ask the bill validator to hold bills in escrow (153); the mode it reports back (152) rules. */
    billEscrow: z.boolean().default(true),
    acceptCoins: z
      .array(z.union([z.literal(10), z.literal(50), z.literal(100), z.literal(500)]))
      .default([10, 50, 100, 500]),
    /** Embedded simulator (driver "simulator"): echo on the line, ms per coin paid out. */
    simulator: z
      .object({
        echo: z.boolean().default(true),
        coinIntervalMs: z.number().int().min(1).max(1000).default(5),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type CashConfig = z.infer<typeof CashSection>;
