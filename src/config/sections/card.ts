import { z } from 'zod';

const regex = (what: string) =>
  z.string().refine((p) => {
    try {
      new RegExp(p);
      return true;
    } catch {
      return false;
    }
  }, `${what} must be a valid regular expression`);

export const CardSection = z
  .object({
    driver: z.enum(['simulator', 'pcsc']).default('simulator'),
    /** Regular expression matched against PC/SC reader names; the first match is used. */
    readerPattern: z
      .string()
      .default('.*')
      .refine((p) => {
        try {
          new RegExp(p);
          return true;
        } catch {
          return false;
        }
      }, 'readerPattern must be a valid regular expression'),
    /**
     * A second, contactless (NFC) reader where residents hold a phone; empty = the reader above serves
     * both cards and phones (a dual-interface reader). Whichever reader a token appears in is used.
     */
    contactlessReaderPattern: regex('contactlessReaderPattern').default(''),
    /** Accept the JPKI certificate held in a phone (スマホ用電子証明書): the screens offer it and phone tokens are read. */
    phone: z
      .object({ enabled: z.boolean().default(true) })
      .strict()
      .prefault({}),
    /** APDU timeout, milliseconds. */
    timeoutMs: z.number().int().min(100).max(60000).default(5000),
    /** READ BINARY chunk size for certificates (the card allows 256 with short APDUs). */
    readChunk: z.number().int().min(16).max(256).default(256),
    /** In-process simulator (demo mode). */
    simulator: z
      .object({
        /** Where the virtual cards' PIN counters persist (pins.json). Empty = <dataDir>/card-sim, else <tmpdir>/madoguchi-card-sim. */
        stateDir: z.string().default(''),
        /** Test JPKI PKI cache. Empty = <tmpdir>/madoguchi-pki. */
        pkiDir: z.string().default(''),
        /** Fixture card inserted at start (empty = none; the demo panel inserts one). */
        insertAtStart: z.string().default(''),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type CardConfig = z.output<typeof CardSection>;
