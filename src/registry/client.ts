// The kiosk's HTTP client for the registry: undici over mutual TLS (the kiosk's own certificate, the
// registry CA pinned as the only trust anchor), a deadline per call, retries with exponential backoff
// and full jitter for idempotent operations only, a circuit breaker, and zod validation of every
// response. Logs carry operation names, status codes and durations — never bodies.
import { Agent, request, errors as undiciErrors } from 'undici';
import type { JWK } from 'jose';
import type { z } from 'zod';
import type { Logger } from '../log/logger.js';
import {
  AuditAnchorResponse,
  AuthenticateResponse,
  CatalogResponse,
  CertificateStatusResponse,
  ChallengeResponse,
  EligibilityResponse,
  Health,
  HeartbeatResponse,
  IssuanceResponse,
  IssuanceStatus,
  Jwks,
  Problem,
  ReconciliationResponse,
  ReprintResponse,
  TechnicianSessionResponse,
  type AuditHead,
  type AuthenticateRequest,
  type HeartbeatRequest,
  type IssuanceRequestBody,
  type VoidReason,
  VoidByKeyResponse,
} from './api.js';
import { CircuitBreaker } from './breaker.js';
import { DocumentSignatureError, verifyDocument } from './document.js';
import { RegistryError } from './errors.js';

export interface RegistryClientOptions {
  url: string;
  /** PEM of the registry CA: the only CA trusted for this connection. */
  ca: string;
  /** This kiosk's client certificate and key (PEM). */
  cert: string;
  key: string;
  timeoutMs: number;
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  breaker?: { failureThreshold: number; cooldownMs: number };
  /** The registry document-signing keys this kiosk trusts; every issued document is verified against them. */
  publicKeys: JWK[];
  log: Logger;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface Call<S extends z.ZodType> {
  op: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  /** Safe to send again: reads, and writes the registry deduplicates (Idempotency-Key, finalize, void). */
  idempotent: boolean;
  schema: S;
}

export interface ClientCounters {
  calls: number;
  failures: number;
  retries: number;
}

const TLS_TRUST_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ALTNAME|alert/i;

export class RegistryClient {
  readonly breaker: CircuitBreaker;
  readonly counters: ClientCounters = { calls: 0, failures: 0, retries: 0 };
  private readonly agent: Agent;
  private readonly base: string;
  private readonly retries: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: RegistryClientOptions) {
    this.base = o.url.replace(/\/+$/, '');
    this.retries = o.retries ?? 2;
    this.random = o.random ?? Math.random;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.breaker = new CircuitBreaker(o.breaker ?? { failureThreshold: 5, cooldownMs: 15_000 });
    this.agent = new Agent({
      connect: { ca: o.ca, cert: o.cert, key: o.key, rejectUnauthorized: true, timeout: o.timeoutMs },
      keepAliveTimeout: 30_000,
      connections: 16,
    });
  }

  health() {
    return this.call({ op: 'health', method: 'GET', path: '/v1/health', idempotent: true, schema: Health });
  }
  keys() {
    return this.call({ op: 'keys', method: 'GET', path: '/v1/keys', idempotent: true, schema: Jwks });
  }
  catalog() {
    return this.call({
      op: 'catalog',
      method: 'GET',
      path: '/v1/municipalities',
      idempotent: true,
      schema: CatalogResponse,
    });
  }
  /** Read-only: safe to retry. The reply is checked against the contract like every other. */
  certificateStatus(certificateBase64: string) {
    return this.call({
      op: 'certificateStatus',
      method: 'POST',
      path: '/v1/certificates/status',
      body: { certificate: certificateBase64 },
      idempotent: true,
      schema: CertificateStatusResponse,
    });
  }
  /** A new challenge has no effect on the registry beyond itself, so retrying is harmless. */
  challenge() {
    return this.call({
      op: 'challenge',
      method: 'POST',
      path: '/v1/auth/challenges',
      idempotent: true,
      schema: ChallengeResponse,
    });
  }
  /** Consumes the challenge: never retried. */
  authenticate(body: z.infer<typeof AuthenticateRequest>) {
    return this.call({
      op: 'authenticate',
      method: 'POST',
      path: '/v1/auth/sessions',
      body,
      idempotent: false,
      schema: AuthenticateResponse,
    });
  }
  /** Technician card login; consumes the challenge: never retried. */
  technicianSession(body: z.infer<typeof AuthenticateRequest>) {
    return this.call({
      op: 'technicianSession',
      method: 'POST',
      path: '/v1/technicians/sessions',
      body,
      idempotent: false,
      schema: TechnicianSessionResponse,
    });
  }
  eligibility(token: string, body: z.infer<typeof IssuanceRequestBody>) {
    return this.call({
      op: 'eligibility',
      method: 'POST',
      path: '/v1/eligibility',
      body,
      token,
      idempotent: true,
      schema: EligibilityResponse,
    });
  }
  async issue(token: string, body: z.infer<typeof IssuanceRequestBody>, idempotencyKey: string) {
    return this.call(
      {
        op: 'issue',
        method: 'POST',
        path: '/v1/issuances',
        body,
        token,
        headers: { 'idempotency-key': idempotencyKey },
        idempotent: true,
        schema: IssuanceResponse,
      },
      (r) => this.verify(r.document).then(() => r),
    );
  }
  /** With the kiosk's audit head, which the registry keeps as the anchor of the kiosk's chain. */
  finalize(issuanceId: string, auditHead?: z.infer<typeof AuditHead>) {
    return this.call({
      op: 'finalize',
      method: 'POST',
      path: `/v1/issuances/${encodeURIComponent(issuanceId)}/finalize`,
      ...(auditHead ? { body: { auditHead } } : {}),
      idempotent: true,
      schema: IssuanceStatus,
    });
  }
  /** The highest audit head the registry acknowledged for this kiosk. */
  auditAnchor() {
    return this.call({
      op: 'auditAnchor',
      method: 'GET',
      path: '/v1/kiosks/audit-anchor',
      idempotent: true,
      schema: AuditAnchorResponse,
    });
  }
  voidByKey(idempotencyKey: string, reason: z.infer<typeof VoidReason>) {
    return this.call({
      op: 'voidByKey',
      method: 'POST',
      path: `/v1/issuances/by-key/${encodeURIComponent(idempotencyKey)}/void`,
      body: { reason },
      idempotent: true,
      schema: VoidByKeyResponse,
    });
  }

  void(issuanceId: string, reason: z.infer<typeof VoidReason>) {
    return this.call({
      op: 'void',
      method: 'POST',
      path: `/v1/issuances/${encodeURIComponent(issuanceId)}/void`,
      body: { reason },
      idempotent: true,
      schema: IssuanceStatus,
    });
  }
  /** Each authorization counts against the reprint limit: never retried. */
  async reprint(issuanceId: string) {
    return this.call(
      {
        op: 'reprint',
        method: 'POST',
        path: `/v1/issuances/${encodeURIComponent(issuanceId)}/reprint`,
        idempotent: false,
        schema: ReprintResponse,
      },
      async (r) => {
        if (r.authorized) await this.verify(r.issuance.document);
        return r;
      },
    );
  }
  heartbeat(body: z.infer<typeof HeartbeatRequest>) {
    return this.call({
      op: 'heartbeat',
      method: 'POST',
      path: '/v1/kiosks/heartbeat',
      body,
      idempotent: true,
      schema: HeartbeatResponse,
    });
  }
  reconciliation(date: string) {
    return this.call({
      op: 'reconciliation',
      method: 'GET',
      path: `/v1/kiosks/reconciliation?date=${encodeURIComponent(date)}`,
      idempotent: true,
      schema: ReconciliationResponse,
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async verify(doc: Parameters<typeof verifyDocument>[0]): Promise<void> {
    try {
      await verifyDocument(doc, this.o.publicKeys);
    } catch (e) {
      if (e instanceof DocumentSignatureError)
        throw new RegistryError(
          'malformed',
          `issued document failed verification (${e.reason}): ${e.message}`,
          { retryable: e.reason !== 'unknownKey' },
        );
      throw e;
    }
  }

  /** One logical call: attempts, backoff, breaker bookkeeping; `check` adds checks past the schema. */
  private async call<S extends z.ZodType, R = z.infer<S>>(
    c: Call<S>,
    check?: (r: z.infer<S>) => Promise<R>,
  ): Promise<R> {
    const attempts = c.idempotent ? this.retries + 1 : 1;
    let last: RegistryError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        this.counters.retries += 1;
        const cap = Math.min(
          this.o.backoffMaxMs ?? 3_000,
          (this.o.backoffBaseMs ?? 200) * 2 ** (attempt - 1),
        );
        await this.sleep(cap / 2 + this.random() * (cap / 2));
      }
      if (!this.breaker.allow())
        throw new RegistryError('unreachable', 'registry circuit open', { op: c.op });
      this.counters.calls += 1;
      const started = performance.now();
      try {
        const parsed = await this.once(c);
        const result = check ? await check(parsed) : (parsed as R);
        this.breaker.success();
        this.o.log.debug({ op: c.op, ms: Math.round(performance.now() - started), attempt }, 'registry call');
        return result;
      } catch (e) {
        const err =
          e instanceof RegistryError
            ? e
            : new RegistryError('server', `unexpected client failure: ${(e as Error).message}`);
        err.details.op = c.op;
        if (err.countsAgainstHealth) {
          this.counters.failures += 1;
          this.breaker.failure(err.kind, err.message);
        } else this.breaker.success();
        this.o.log.warn(
          {
            op: c.op,
            kind: err.kind,
            code: err.details.code,
            status: err.details.status,
            attempt,
            ms: Math.round(performance.now() - started),
          },
          'registry call failed',
        );
        last = err;
        if (!err.retryable) throw err;
      }
    }
    throw last!;
  }

  private async once<S extends z.ZodType>(c: Call<S>): Promise<z.infer<S>> {
    const headers: Record<string, string> = { accept: 'application/json', ...c.headers };
    if (c.body !== undefined) headers['content-type'] = 'application/json';
    if (c.token) headers.authorization = `Bearer ${c.token}`;
    let status: number;
    let text: string;
    try {
      const res = await request(this.base + c.path, {
        method: c.method,
        headers,
        body: c.body === undefined ? null : JSON.stringify(c.body),
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (e) {
      throw transportError(e, this.o.timeoutMs);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new RegistryError(
        status >= 500 ? 'server' : 'malformed',
        `registry answered ${status} with a body that is not JSON`,
        { status, retryable: true },
      );
    }
    if (status >= 200 && status < 300) {
      const r = c.schema.safeParse(json);
      if (!r.success)
        throw new RegistryError(
          'malformed',
          `registry response to ${c.op} does not match the contract: ${r.error.issues[0]?.path.join('.') ?? ''}`,
          { status, retryable: true },
        );
      return r.data;
    }
    const p = Problem.safeParse(json);
    const code = p.success ? p.data.code : undefined;
    const reference = p.success ? p.data.reference : undefined;
    const details = { status, ...(code ? { code } : {}), ...(reference ? { reference } : {}) };
    if (status >= 500)
      throw new RegistryError('server', `registry error ${status}`, { ...details, retryable: true });
    if (status === 401)
      throw new RegistryError(
        'unauthorized',
        `registry refused the credentials (${code ?? status})`,
        details,
      );
    if (!p.success)
      throw new RegistryError('malformed', `registry answered ${status} without a problem body`, { status });
    return Promise.reject(new RegistryError('rejected', `registry rejected ${c.op} (${code})`, details));
  }
}

function transportError(e: unknown, timeoutMs: number): RegistryError {
  const err = e as Error & { code?: string; cause?: Error & { code?: string } };
  if (
    err.name === 'TimeoutError' ||
    err.name === 'AbortError' ||
    err instanceof undiciErrors.HeadersTimeoutError ||
    err instanceof undiciErrors.BodyTimeoutError ||
    err instanceof undiciErrors.ConnectTimeoutError
  ) {
    return new RegistryError('timeout', `no answer within ${timeoutMs} ms`, { retryable: true });
  }
  const code = err.code ?? err.cause?.code ?? '';
  const message = `${err.message} ${err.cause?.message ?? ''}`;
  // A registry that does not present a certificate from the pinned CA is not the registry: do not retry.
  if (TLS_TRUST_ERRORS.test(code) || /certificate/i.test(message))
    return new RegistryError('unreachable', `TLS failure talking to the registry (${code || 'handshake'})`, {
      retryable: false,
    });
  return new RegistryError('unreachable', `registry unreachable (${code || err.name})`, { retryable: true });
}
