import { z } from 'zod';

export const PrintersSection = z
  .object({
    certificate: z
      .object({
        driver: z.enum(['simulator', 'cups', 'escpos']).default('simulator'),
        /** CUPS queue name when driver=cups. */
        queue: z.string().default('MADOGUCHI_A4'),
      })
      .strict()
      .prefault({}),
    receipt: z
      .object({
        driver: z.enum(['simulator', 'escpos']).default('simulator'),
        /** ESC/POS over TCP (9100-style) when driver=escpos. */
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(1).max(65535).default(9100),
        widthDots: z.union([z.literal(384), z.literal(576)]).default(576),
      })
      .strict()
      .prefault({}),
  })
  .strict();
