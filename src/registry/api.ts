// Wire schemas of the kiosk ↔ registry API. api/registry.openapi.yaml is the contract; these zod
// schemas mirror its components one for one (test/registry/openapi-lockstep.test.ts keeps them in
// step) and validate every response the kiosk receives and every request the simulator accepts.
import { z } from 'zod';
import { IsoDate, SignedDocument } from './document.js';

export const API_PREFIX = '/v1';

const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');
const Timestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'expected an ISO timestamp in UTC');

export const ProblemCode = z.enum([
  'badRequest',
  'unauthorized',
  'certificateUntrusted',
  'certificateExpired',
  'certificateRevoked',
  'certificateUnknown',
  'badSignature',
  'challengeUnknown',
  'sessionExpired',
  'notFound',
  'conflict',
  'idempotencyKeyReused',
  'refused',
  'unavailable',
  'payloadTooLarge',
  'serverError',
]);
export type ProblemCode = z.infer<typeof ProblemCode>;

/** Every non-2xx body. `reference` is the registry's opaque reference of a refusal, for counter staff. */
export const Problem = z.object({ code: ProblemCode, message: z.string(), reference: z.string().optional() });
export type Problem = z.infer<typeof Problem>;

export const Health = z.object({ status: z.enum(['ok', 'degraded']), serverTime: Timestamp });

export const Jwks = z.object({
  keys: z.array(
    z.object({
      kty: z.literal('EC'),
      crv: z.literal('P-256'),
      x: z.string(),
      y: z.string(),
      kid: z.string(),
      alg: z.literal('ES256'),
      use: z.literal('sig'),
    }),
  ),
});

/* ───────────── catalog ───────────── */

/** Someone the resident may choose: a household member (住民票) or a person in the 戸籍 (個人事項). */
export const OptionPerson = z.object({ id: z.string().min(1), name: z.string() });
/**
 * `members`: several of `people` (string[] of ids); `person`: one of them (an id); `counterOnly`: the
 * item exists but is only issued at the counter (e.g. 個人番号), never sent back in a request.
 * `people` is personal data, in the per-resident catalog only, for the session.
 */
export const CatalogOption = z.object({
  id: z.string(),
  kind: z.enum(['boolean', 'choice', 'members', 'person', 'fiscalYear', 'counterOnly']),
  choices: z.array(z.string()).optional(),
  default: z.union([z.string(), z.boolean()]).optional(),
  people: z.array(OptionPerson).optional(),
  /** Asked only when another option has this value (the members when the scope is "members"). */
  when: z.object({ option: z.string(), equals: z.string() }).optional(),
});
export const CatalogCertificate = z.object({
  type: z.string(),
  name: z.string(),
  feeYen: z.number().int().min(0),
  maxCopies: z.number().int().min(1),
  options: z.array(CatalogOption),
});
export const ServiceHours = z.object({
  /** Local time (Asia/Tokyo) "HH:MM". */
  opens: z.string().regex(/^\d{2}:\d{2}$/),
  closes: z.string().regex(/^\d{2}:\d{2}$/),
  /** Closed every year from/to "MM-DD" inclusive (年末年始). */
  closedDays: z.array(
    z.object({ from: z.string().regex(/^\d{2}-\d{2}$/), to: z.string().regex(/^\d{2}-\d{2}$/) }),
  ),
});
export const MaintenanceWindow = z.object({ start: Timestamp, end: Timestamp, note: z.string() });
export const MunicipalityCatalog = z.object({
  code: z.string().regex(/^\d{6}$/),
  name: z.string(),
  prefecture: z.string(),
  certificates: z.array(CatalogCertificate),
  serviceHours: ServiceHours,
  maintenanceWindows: z.array(MaintenanceWindow),
});
export const CatalogResponse = z.object({ municipalities: z.array(MunicipalityCatalog) });

/* ───────────── authentication ───────────── */

export const ChallengeResponse = z.object({ challengeId: z.string(), nonce: Base64, expiresAt: Timestamp });
export const AuthenticateRequest = z.object({
  challengeId: z.string().min(1),
  /** DER of the JPKI user-authentication certificate, base64. */
  certificate: Base64.min(1),
  /** RSASSA-PKCS1-v1_5 / SHA-256 signature over the nonce bytes, base64. */
  signature: Base64.min(1),
});
export const ResidentMunicipality = z.object({
  code: z.string().regex(/^\d{6}$/),
  name: z.string(),
  relation: z.array(z.enum(['residence', 'honseki'])).min(1),
  certificates: z.array(CatalogCertificate),
});
export const AuthenticateResponse = z.object({
  token: z.string().min(16),
  expiresAt: Timestamp,
  residentRef: z.string(),
  display: z.object({ name: z.string(), birthDate: IsoDate }),
  municipalities: z.array(ResidentMunicipality),
});

/**
 * Asked before the PIN: is the card's user-authentication certificate still usable — issued by the
 * JPKI CA, within its validity, not on the CRL? Read-only and without a resident session; the answer
 * carries no personal data. Authentication checks all of it again, so this only saves the resident a
 * PIN try and names the procedure to do at the counter.
 */
export const CertificateStatusRequest = z.object({ certificate: Base64.min(1) });
export const CertificateStatusResponse = z.object({
  status: z.enum(['good', 'revoked', 'expired', 'untrusted']),
  checkedAt: Timestamp,
});

/** A technician card's certificate must name the technician role; the registry says who and which role. */
export const TechnicianSessionResponse = z.object({
  technicianId: z.string().min(1),
  role: z.enum(['operator', 'engineer']),
  expiresAt: Timestamp,
});

/* ───────────── issuance ───────────── */

export const OptionValue = z.union([z.string(), z.boolean(), z.number(), z.array(z.string())]);
export const IssuanceRequestBody = z.object({
  municipalityCode: z.string().regex(/^\d{6}$/),
  certificate: z.string().min(1),
  options: z.record(z.string(), OptionValue),
  copies: z.number().int().min(1).max(10),
});
export const EligibilityResponse = z.discriminatedUnion('eligible', [
  z.object({ eligible: z.literal(true), feeYen: z.number().int().min(0), totalYen: z.number().int().min(0) }),
  z.object({ eligible: z.literal(false), reference: z.string() }),
]);
export const IssuanceState = z.enum(['issued', 'finalized', 'voided']);
export const VoidReason = z.enum(['notPaid', 'printFailed', 'cancelled', 'recovered']);
export const IssuanceResponse = z.object({
  issuanceId: z.string(),
  state: IssuanceState,
  copies: z.number().int().min(1),
  feeYen: z.number().int().min(0),
  totalYen: z.number().int().min(0),
  createdAt: Timestamp,
  document: SignedDocument,
});
export const IssuanceStatus = z.object({
  issuanceId: z.string(),
  state: IssuanceState,
  voidReason: VoidReason.optional(),
});
export const VoidRequest = z.object({ reason: VoidReason });
/** Recovery after a crash between the registry issuing and the kiosk journaling the answer. */
export const VoidByKeyResponse = z.object({ found: z.boolean(), status: IssuanceStatus.nullable() });
export const ReprintResponse = z.discriminatedUnion('authorized', [
  z.object({ authorized: z.literal(true), issuance: IssuanceResponse }),
  z.object({ authorized: z.literal(false) }),
]);

/* ───────────── kiosk operations ───────────── */

/** The newest row of the kiosk's audit chain; the registry keeps the highest it was sent (the anchor). */
export const AuditHead = z.object({ seq: z.number().int().min(1), hash: z.string().regex(/^[0-9a-f]{64}$/) });
/** Finalize carries the audit head too, so every issuance the kiosk completes advances the anchor. */
export const FinalizeRequest = z.object({ auditHead: AuditHead });
/** What the registry holds for this kiosk: the highest head it acknowledged, and when. */
export const AuditAnchorResponse = z.object({
  auditHead: AuditHead.nullable(),
  acknowledgedAt: Timestamp.nullable(),
});

export const HeartbeatRequest = z.object({
  at: Timestamp,
  state: z.enum(['inService', 'outOfService', 'maintenance']),
  devices: z.array(z.object({ id: z.string(), state: z.string() })),
  outboxDepth: z.number().int().min(0),
  softwareVersion: z.string(),
  /** Fleet counters (transactions, jobs, cash, paper), by name. */
  counters: z.record(z.string(), z.number().int().min(0)).optional(),
  auditHead: AuditHead.optional(),
});
export const HeartbeatResponse = z.object({
  serverTime: Timestamp,
  maintenance: MaintenanceWindow.nullable(),
  auditHead: AuditHead.nullable(),
});
export const ReconciliationResponse = z.object({
  date: IsoDate,
  kioskId: z.string(),
  issued: z.number().int().min(0),
  finalized: z.number().int().min(0),
  voided: z.number().int().min(0),
  outstanding: z.number().int().min(0),
  finalizedFeeYen: z.number().int().min(0),
  byCertificate: z.array(
    z.object({
      certificate: z.string(),
      finalized: z.number().int().min(0),
      copies: z.number().int().min(0),
      feeYen: z.number().int().min(0),
    }),
  ),
});

/** Components of the OpenAPI file, by name, that these schemas must match. */
export const API_COMPONENTS = {
  Problem,
  Health,
  Jwks,
  OptionPerson,
  CatalogOption,
  CatalogCertificate,
  ServiceHours,
  MaintenanceWindow,
  MunicipalityCatalog,
  CatalogResponse,
  ChallengeResponse,
  AuthenticateRequest,
  ResidentMunicipality,
  AuthenticateResponse,
  CertificateStatusRequest,
  CertificateStatusResponse,
  TechnicianSessionResponse,
  IssuanceRequestBody,
  EligibilityResponse,
  IssuanceResponse,
  IssuanceStatus,
  VoidRequest,
  VoidByKeyResponse,
  ReprintResponse,
  AuditHead,
  FinalizeRequest,
  AuditAnchorResponse,
  HeartbeatRequest,
  HeartbeatResponse,
  ReconciliationResponse,
  SignedDocument,
} as const;
