import { z } from 'zod';

export const TechnicianSection = z
  .object({
    /** Inactivity before the console logs the technician out, seconds. */
    idleLogoutSeconds: z.number().int().min(30).max(3600).default(300),
  })
  .strict();
