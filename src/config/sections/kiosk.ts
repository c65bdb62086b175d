import { z } from 'zod';

export const KioskSection = z
  .object({
    /** Identifies this machine to the registry, the journal and fleet reporting. */
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/)
      .default('MRN-DEMO-01'),
    name: z.string().min(1).max(64).default('室蘭市役所 本庁舎 1F'),
    /** 全国地方公共団体コード of the municipality operating the kiosk. */
    municipalityCode: z
      .string()
      .regex(/^\d{6}$/)
      .default('012050'),
    /**
     * "registry": serve only within the municipality's service hours, closed days and maintenance
     * windows from the registry catalog. "always": ignore them (a 24-hour facility, demos, tests).
     */
    serviceHours: z.enum(['registry', 'always']).default('registry'),
    /** Printed on receipts and slips. */
    municipalityName: z.string().min(1).max(32).default('室蘭市'),
    /** Where the SQLite journal, logs and spool live. Empty = the per-user default. */
    dataDir: z.string().default(''),
    /**
     * A demo kiosk may use simulators and the embedded registry (and shows the demo panel). Unset:
     * a demo kiosk exactly when every device and the registry are simulated, as in the embedded
     * defaults; a kiosk with any real device refuses simulators unless this says true.
     */
    demo: z.boolean().optional(),
  })
  .strict();
