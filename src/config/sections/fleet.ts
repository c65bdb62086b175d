import { z } from 'zod';

export const FleetSection = z
  .object({
    /** Registry heartbeat (status and counters) interval; `heartbeat: false` turns heartbeats off. */
    heartbeatSeconds: z.number().int().min(5).max(3600).default(60),
    heartbeat: z.boolean().default(true),
    mqtt: z
      .object({
        enabled: z.boolean().default(false),
        url: z
          .string()
          .regex(/^mqtts?:\/\/[^\s]+$/, 'expected mqtt://host:port or mqtts://host:port')
          .default('mqtt://127.0.0.1:1883'),
        /** Topics are <topicPrefix>/<municipalityCode>/<kioskId>/status. */
        topicPrefix: z
          .string()
          .regex(/^[^#+\s]+$/, 'no MQTT wildcards or spaces')
          .default('madoguchi'),
        username: z.string().optional(),
        /** File holding the broker password (never in the configuration). */
        passwordFile: z.string().optional(),
        /** CA of an mqtts broker (PEM file). */
        caFile: z.string().optional(),
        intervalSeconds: z.number().int().min(1).max(3600).default(30),
        qos: z.union([z.literal(0), z.literal(1)]).default(1),
      })
      .strict()
      .prefault({}),
  })
  .strict();
