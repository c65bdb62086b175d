import { z } from 'zod';

export const FleetSection = z
  .object({
    heartbeatSeconds: z.number().int().min(5).max(3600).default(60),
    mqtt: z
      .object({ enabled: z.boolean().default(false), url: z.string().default('mqtt://127.0.0.1:1883'), topicPrefix: z.string().default('madoguchi') })
      .strict()
      .prefault({}),
  })
  .strict();
