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
  })
  .strict();
