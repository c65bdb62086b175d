import { z } from 'zod';

/** scrypt$N$r$p$salt(base64)$hash(base64): a PIN is never stored in plain text. */
export const PIN_HASH = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/;

/** The fallback login (hidden gesture + technician PIN + TOTP) of one technician. */
export const TechnicianAccount = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{2,32}$/, 'technician ids are 2–32 letters, digits, - or _'),
    role: z.enum(['operator', 'engineer']),
    /** scrypt hash of the technician PIN (`madoguchi`'s hashTechnicianPin, see docs/technician.md). */
    pinHash: z.string().regex(PIN_HASH, 'expected scrypt$N$r$p$salt$hash — never a plain PIN'),
    /** File holding the base32 TOTP secret (mode 0600, outside the configuration). */
    totpSecretFile: z.string().min(1),
  })
  .strict();

export const TechnicianSection = z
  .object({
    /** Inactivity before the console logs the technician out, seconds. */
    idleLogoutSeconds: z.number().int().min(30).max(3600).default(300),
    /** Fallback logins; the technician card (checked with the registry) needs none. */
    accounts: z
      .array(TechnicianAccount)
      .default([])
      .refine((a) => new Set(a.map((x) => x.id)).size === a.length, 'technician ids must be unique'),
    /** Failed fallback logins in a row before the fallback is locked. */
    lockoutAttempts: z.number().int().min(1).max(20).default(5),
    lockoutSeconds: z.number().int().min(10).max(86_400).default(300),
    /** Where the console's exports (journal CSV, 日計表 CSV, logs) are saved. Empty = <dataDir>/exports. */
    exportDir: z.string().default(''),
    /** TOTP: 30 s steps, 6 digits; codes one step either side are accepted (clock drift). */
    totpWindow: z.number().int().min(0).max(2).default(1),
  })
  .strict();
