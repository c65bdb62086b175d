import { z } from 'zod';

export const RegistrySection = z
  .object({
    /** "embedded" starts the local registry simulator in-process on loopback. */
    mode: z.enum(['embedded', 'remote']).default('embedded'),
    url: z.string().url().default('https://127.0.0.1:0/'),
    /** PEM files for mutual TLS; empty with mode=embedded uses the simulator's generated test PKI. */
    caFile: z.string().default(''),
    certFile: z.string().default(''),
    keyFile: z.string().default(''),
    timeoutMs: z.number().int().min(100).max(120000).default(10000),
    /** Extra attempts for idempotent calls, with exponential backoff and jitter. */
    retries: z.number().int().min(0).max(10).default(2),
    backoffBaseMs: z.number().int().min(10).max(60000).default(200),
    backoffMaxMs: z.number().int().min(10).max(300000).default(3000),
    /** Consecutive failures that take the kiosk out of service, and how long before a trial call. */
    breakerFailureThreshold: z.number().int().min(1).max(100).default(5),
    breakerCooldownMs: z.number().int().min(100).max(600000).default(15000),
    /** Retry interval of the outbox (finalize, void, heartbeat) while the registry is away. */
    outboxRetryMs: z.number().int().min(50).max(600000).default(5000),
    /** Extra document-signing public keys (JWK JSON files) besides the simulator's. */
    signingKeyFiles: z.array(z.string()).default([]),
  })
  .strict();
