// The RegistryPort adapter the transaction engine uses. Finalize and void go through the outbox
// (durable first, delivered in order); everything else is a direct call. The adapter's status is the
// breaker's: an open circuit takes the kiosk out of service with a reason, a probe brings it back.
// A refusal surfaces as { eligible: false, reference } or RegistryError('rejected', {reference}) —
// the registry never tells the kiosk why, and neither does this module.
import type Database from 'better-sqlite3';
import type { JWK } from 'jose';
import type { z } from 'zod';
import type { DeviceStatus } from '../../drivers/common/status.js';
import { deviceError } from '../../drivers/common/status.js';
import type {
  AuthenticatedResident,
  Eligibility,
  IssuanceRequest,
  IssuedDocument,
  RegistryPort,
} from '../core/ports.js';
import type { Logger } from '../log/logger.js';
import { systemClock, unref, type Clock, type TimerId } from '../core/clock.js';
import type { HeartbeatRequest, IssuanceResponse } from './api.js';
import type { CircuitState } from './breaker.js';
import { RegistryClient } from './client.js';
import { RegistryError } from './errors.js';
import { RegistryOutbox, type OutboxMessage, type OutboxAudit } from './outbox.js';

export interface RegistryAdapterOptions {
  url: string;
  tls: { ca: string; cert: string; key: string };
  timeoutMs: number;
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  breakerFailureThreshold?: number;
  breakerCooldownMs?: number;
  outboxRetryMs?: number;
  /** The registry document-signing keys this kiosk trusts (its configured JWKS). */
  publicKeys: JWK[];
  /** The kiosk's SQLite (journal database): the outbox lives in it. */
  db: Database.Database;
  /** Copies an outbox row into the journal's audit chain, inside the outbox's own write transaction. */
  auditOutbox?: OutboxAudit;
  log: Logger;
  /** Time for the outbox retry, the circuit probe and the heartbeats (default: the system clock). */
  clock?: Clock;
}

export interface RegistryAdapter extends RegistryPort {
  readonly client: RegistryClient;
  readonly outbox: RegistryOutbox;
  /** Queue a heartbeat (replaces an undelivered older one). */
  heartbeat(body: z.infer<typeof HeartbeatRequest>): void;
  /** Queue a heartbeat built by `build` every `everyMs` (and once now); returns a stop function. */
  startHeartbeats(everyMs: number, build: () => z.infer<typeof HeartbeatRequest>): () => void;
  catalog(): ReturnType<RegistryClient['catalog']>;
  /** Technician card login: the registry checks the certificate and signature and names the role. */
  technicianSession(args: {
    challengeId: string;
    certificate: Uint8Array;
    signature: Uint8Array;
  }): ReturnType<RegistryClient['technicianSession']>;
  reconciliation(date: string): ReturnType<RegistryClient['reconciliation']>;
  /** The highest audit head the registry acknowledged for this kiosk. */
  auditAnchor(): ReturnType<RegistryClient['auditAnchor']>;
  /** Try to deliver the outbox now; resolves when it is drained or stuck on a transient failure. */
  flushOutbox(): Promise<{ drained: boolean }>;
  onStatusChange(listener: (s: DeviceStatus) => void): () => void;
  close(): Promise<void>;
}

/** Reads the newest audit row of the kiosk's journal (null before the first, or without a journal). */
export function auditHeadOf(db: Database.Database): () => { seq: number; hash: string } | null {
  let stmt: Database.Statement | null = null;
  return () => {
    try {
      stmt ??= db.prepare('SELECT id AS seq, hash FROM audit_log ORDER BY id DESC LIMIT 1');
      return (stmt.get() as { seq: number; hash: string } | undefined) ?? null;
    } catch {
      return null;
    }
  };
}

const toBody = (req: IssuanceRequest) => ({
  municipalityCode: req.municipalityCode,
  certificate: req.certificate,
  options: req.options,
  copies: req.copies,
});
const toIssued = (r: z.infer<typeof IssuanceResponse>): IssuedDocument => ({
  issuanceId: r.issuanceId,
  document: r.document,
  copies: r.copies,
  feeYen: r.totalYen,
});

export function createRegistryAdapter(o: RegistryAdapterOptions): RegistryAdapter {
  const log = o.log.child({ area: 'registry' });
  const client = new RegistryClient({
    url: o.url,
    ca: o.tls.ca,
    cert: o.tls.cert,
    key: o.tls.key,
    timeoutMs: o.timeoutMs,
    retries: o.retries ?? 2,
    backoffBaseMs: o.backoffBaseMs ?? 200,
    backoffMaxMs: o.backoffMaxMs ?? 3000,
    breaker: { failureThreshold: o.breakerFailureThreshold ?? 5, cooldownMs: o.breakerCooldownMs ?? 15_000 },
    publicKeys: o.publicKeys,
    log,
  });
  const outbox = new RegistryOutbox(o.db, log, o.auditOutbox);
  const listeners = new Set<(s: DeviceStatus) => void>();
  let closed = false;
  let flushing: Promise<{ drained: boolean }> | null = null;
  const clock = o.clock ?? systemClock;
  let retryTimer: TimerId | null = null;
  let probeTimer: TimerId | null = null;
  const heartbeatTimers = new Set<TimerId>();

  // The audit head goes with every finalize and heartbeat, read when the message leaves (the newest).
  const head = auditHeadOf(o.db);
  const deliver = async (m: OutboxMessage) => {
    const auditHead = head() ?? undefined;
    if (m.kind === 'finalize') await client.finalize(m.issuanceId, auditHead);
    else if (m.kind === 'void') await client.void(m.issuanceId, m.reason);
    else
      await client.heartbeat({
        ...(m.body as z.infer<typeof HeartbeatRequest>),
        ...(auditHead ? { auditHead } : {}),
      });
  };

  function scheduleRetry(): void {
    if (closed || retryTimer) return;
    retryTimer = unref(
      clock.setTimeout(() => {
        retryTimer = null;
        void flushOutbox();
      }, o.outboxRetryMs ?? 5000),
    );
  }

  function flushOutbox(): Promise<{ drained: boolean }> {
    if (flushing) return flushing;
    flushing = outbox
      .flush(deliver)
      .then((r) => {
        if (!r.drained) scheduleRetry();
        return { drained: r.drained };
      })
      .catch((e: unknown) => {
        log.error({ err: (e as Error).message }, 'registry outbox flush failed');
        scheduleRetry();
        return { drained: false };
      })
      .finally(() => {
        flushing = null;
        emit();
      });
    return flushing;
  }

  function status(): DeviceStatus {
    const circuit: CircuitState = client.breaker.current;
    const fail = client.breaker.lastFailure;
    return {
      id: 'registry',
      kind: 'registry',
      state: circuit === 'closed' ? 'online' : 'offline',
      media: { circuit, outbox: outbox.depth() > 0 ? 'pending' : 'empty' },
      counters: { ...client.counters, outboxDepth: outbox.depth() },
      lastError:
        circuit === 'closed' || !fail ? null : deviceError(`circuitOpen/${fail.kind}`, fail.message, fail.at),
    };
  }
  function emit(): void {
    const s = status();
    for (const l of listeners) l(s);
  }

  // While the circuit is open, probe the registry so the kiosk returns to service by itself.
  client.breaker.onChange((state, reason) => {
    log.warn({ circuit: state, reason }, 'registry circuit changed');
    emit();
    if (state === 'open' && !probeTimer && !closed) {
      probeTimer = clock.setInterval(
        () => {
          if (client.breaker.current === 'closed') {
            clock.clearInterval(probeTimer!);
            probeTimer = null;
            return;
          }
          client.health().then(
            () => void flushOutbox(),
            () => undefined,
          );
        },
        Math.max(100, o.breakerCooldownMs ?? 15_000),
      );
      unref(probeTimer);
    }
  });

  // Replay whatever a previous run left behind.
  if (outbox.depth() > 0) void flushOutbox();

  return {
    client,
    outbox,
    async certificateStatus(certificate) {
      return (await client.certificateStatus(Buffer.from(certificate).toString('base64'))).status;
    },
    async challenge() {
      const c = await client.challenge();
      return { challengeId: c.challengeId, nonce: new Uint8Array(Buffer.from(c.nonce, 'base64')) };
    },
    async authenticate({ challengeId, certificate, signature }): Promise<AuthenticatedResident> {
      const r = await client.authenticate({
        challengeId,
        certificate: Buffer.from(certificate).toString('base64'),
        signature: Buffer.from(signature).toString('base64'),
      });
      return {
        token: r.token,
        municipalities: r.municipalities.map((m) => ({
          code: m.code,
          name: m.name,
          relation: m.relation,
          certificates: m.certificates,
        })),
        // The registry's display (name, birth date) is not kept: no screen shows it.
        residentRef: r.residentRef,
      };
    },
    async eligibility(token, req): Promise<Eligibility> {
      const r = await client.eligibility(token, toBody(req));
      if (r.eligible) return { eligible: true, feeYen: r.totalYen };
      log.info(
        { op: 'eligibility', outcome: 'refused', reference: r.reference },
        'registry refused; resident sent to the counter',
      );
      return { eligible: false, reference: r.reference };
    },
    async issue(token, req, idempotencyKey) {
      try {
        return toIssued(await client.issue(token, toBody(req), idempotencyKey));
      } catch (e) {
        if (e instanceof RegistryError && e.details.code === 'refused')
          log.info(
            { op: 'issue', outcome: 'refused', reference: e.details.reference },
            'registry refused; resident sent to the counter',
          );
        throw e;
      }
    },
    async finalize(issuanceId) {
      outbox.enqueue({ kind: 'finalize', issuanceId });
      void flushOutbox();
    },
    async void(issuanceId, reason) {
      outbox.enqueue({ kind: 'void', issuanceId, reason });
      void flushOutbox();
    },
    async voidByIdempotencyKey(idempotencyKey, reason) {
      // Recovery only, and must know the answer now: a direct call, not the outbox.
      const r = await client.voidByKey(idempotencyKey, reason);
      return { found: r.found, state: r.status?.state ?? null };
    },
    async authorizeReprint(issuanceId) {
      const r = await client.reprint(issuanceId);
      return r.authorized ? { authorized: true, document: toIssued(r.issuance) } : { authorized: false };
    },
    heartbeat(body) {
      outbox.enqueue({ kind: 'heartbeat', body });
      void flushOutbox();
    },
    startHeartbeats(everyMs, build) {
      const beat = () => {
        try {
          outbox.enqueue({ kind: 'heartbeat', body: build() });
          void flushOutbox();
        } catch (e) {
          log.error({ err: (e as Error).message }, 'heartbeat not queued');
        }
      };
      beat();
      const timer = unref(clock.setInterval(beat, everyMs));
      heartbeatTimers.add(timer);
      return () => {
        clock.clearInterval(timer);
        heartbeatTimers.delete(timer);
      };
    },
    catalog: () => client.catalog(),
    technicianSession: ({ challengeId, certificate, signature }) =>
      client.technicianSession({
        challengeId,
        certificate: Buffer.from(certificate).toString('base64'),
        signature: Buffer.from(signature).toString('base64'),
      }),
    reconciliation: (date) => client.reconciliation(date),
    auditAnchor: () => client.auditAnchor(),
    flushOutbox,
    status,
    onStatusChange(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async close() {
      closed = true;
      if (retryTimer) clock.clearTimeout(retryTimer);
      if (probeTimer) clock.clearInterval(probeTimer);
      for (const t of heartbeatTimers) clock.clearInterval(t);
      await flushing;
      await client.close();
    },
  };
}
