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
    /**
     * JWKS file of the registry's document-signing public keys (a kid per key; list old and new
     * together while the registry rotates). Required with mode=remote: nothing else is trusted.
     * With mode=embedded the simulator's own generated key is trusted as well.
     */
    signingKeys: z.string().default(''),
  })
  .strict()
  .refine((r) => r.mode !== 'remote' || r.signingKeys !== '', {
    message: 'registry.mode remote needs registry.signingKeys (the registry JWKS file)',
    path: ['signingKeys'],
  });
