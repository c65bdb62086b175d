import { z } from 'zod';

export const PrintersSection = z
  .object({
    certificate: z
      .object({
        /** simulator: spool files (demo); cups: A4 page printer; escpos: the receipt roll (no page printer). */
        driver: z.enum(['simulator', 'cups', 'escpos']).default('simulator'),
        /** CUPS queue name when driver=cups. */
        queue: z.string().default('MADOGUCHI_A4'),
        /** cupsd as host:port when driver=cups; empty = the CUPS client default (CUPS_SERVER, client.conf). */
        server: z.string().default(''),
        /** Give up on a CUPS job that has not completed after this long. */
        jobTimeoutMs: z.number().int().min(1000).max(600_000).default(120_000),
        /**
         * How and where a resident or a recipient can check a certificate, printed at the foot of
         * every page (e.g. the municipality's verification page); empty = a sentence naming the municipality.
         */
        verificationNote: z.string().max(160).default(''),
      })
      .strict()
      .prefault({}),
    receipt: z
      .object({
        driver: z.enum(['simulator', 'escpos']).default('simulator'),
        /** epson: Kanji-mode Shift_JIS text; star: everything as a raster (node-thermal-printer's Star encoder). */
        commandSet: z.enum(['epson', 'star']).default('epson'),
        /** A serial device (e.g. /dev/ttyUSB0) instead of TCP when set. */
        serialPath: z.string().default(''),
        baudRate: z.number().int().min(1200).max(115_200).default(38400),
        /** ESC/POS over TCP (9100-style) when driver=escpos and no serialPath. */
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(1).max(65535).default(9100),
        widthDots: z.union([z.literal(384), z.literal(576)]).default(576),
        /** How long to wait for a DLE EOT answer before calling the printer offline. */
        statusTimeoutMs: z.number().int().min(100).max(30_000).default(2000),
      })
      .strict()
      .prefault({}),
  })
  .strict();
