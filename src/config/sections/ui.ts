import { z } from 'zod';
import { LANGUAGES } from '../../contract/snapshot.js';

const seconds = z.number().int().min(5).max(600);

export const UiSection = z
  .object({
    languages: z.array(z.enum(LANGUAGES)).min(1).default([...LANGUAGES]),
    defaultLanguage: z.enum(LANGUAGES).default('ja'),
    /** Shuffle the PIN pad's digits each time it is shown (shoulder-surfing protection). */
    shufflePinPad: z.boolean().default(false),
    /** Inactivity timeout per screen, seconds; "default" applies to screens not listed. */
    timeouts: z.record(z.string(), seconds).default({ default: 60, pin: 60, payment: 120 }),
    /** Seconds of countdown warning before the timeout fires. */
    timeoutWarning: z.number().int().min(3).max(60).default(15),
    /** The browser host's port (0 = pick a free one). */
    httpPort: z.number().int().min(0).max(65535).default(0),
  })
  .strict();
