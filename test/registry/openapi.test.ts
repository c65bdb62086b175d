// The contract: the OpenAPI file is valid OpenAPI 3.1, the kiosk's zod schemas match its
// components, and every answer of the simulator validates against it (ajv, JSON Schema 2020-12).
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { componentSchemasFromZod } from '../../src/registry/openapi-components.js';
import { cardSign, kioskTls, startSim, MURORAN } from './helpers.js';

const SPEC_PATH = 'api/registry.openapi.yaml';
const spec = YAML.parse(readFileSync(SPEC_PATH, 'utf8')) as {
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }> }
    >
  >;
  components: {
    schemas: Record<string, unknown>;
    responses: Record<string, { content: Record<string, { schema: unknown }> }>;
  };
};

/** Drop documentation-only keywords before comparing. */
function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => !['description', 'title', 'examples'].includes(k))
        .map(([k, x]) => [k, strip(x)]),
    );
  return v;
}

describe('OpenAPI contract', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const r = await new Validator().validate(SPEC_PATH);
    expect(r.errors ?? []).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it('has component schemas in lockstep with the zod schemas', () => {
    const fromZod = componentSchemasFromZod();
    expect(Object.keys(spec.components.schemas).sort()).toEqual(Object.keys(fromZod).sort());
    for (const [name, schema] of Object.entries(fromZod))
      expect({ name, schema: strip(spec.components.schemas[name]) }).toEqual({ name, schema: strip(schema) });
  });
});

describe('simulator responses against the contract', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema(spec, 'api');
  const bodies: string[] = [];
  let sim: Awaited<ReturnType<typeof startSim>>;
  let agent: Agent;

  function check(method: string, path: string, status: number, body: unknown): void {
    const op = spec.paths[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`no operation ${method} ${path} in the contract`);
    const key = op.responses[String(status)] ? String(status) : 'default';
    let res = op.responses[key];
    if (!res) throw new Error(`status ${status} not in the contract for ${method} ${path}`);
    let pointer = `api#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method.toLowerCase()}/responses/${key}/content/application~1json/schema`;
    if (res.$ref) {
      const name = res.$ref.split('/').pop()!;
      res = spec.components.responses[name]!;
      pointer = `api#/components/responses/${name}/content/application~1json/schema`;
    }
    const validate = ajv.getSchema(pointer) ?? ajv.compile({ $ref: pointer });
    expect(validate(body), `${method} ${path} ${status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  }

  async function call(
    method: 'GET' | 'POST',
    template: string,
    path: string,
    o: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...o.headers };
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    const r = await request(sim.url + path, {
      method,
      headers,
      body: o.body === undefined ? null : JSON.stringify(o.body),
      dispatcher: agent,
    });
    const text = await r.body.text();
    bodies.push(text);
    const json = JSON.parse(text) as Record<string, unknown>;
    check(method, template, r.statusCode, json);
    return { status: r.statusCode, json };
  }

  async function session(cardId: string): Promise<string> {
    const ch = await call('POST', '/v1/auth/challenges', '/v1/auth/challenges');
    const { certificate, signature } = await cardSign(cardId, Buffer.from(ch.json.nonce as string, 'base64'));
    const s = await call('POST', '/v1/auth/sessions', '/v1/auth/sessions', {
      body: {
        challengeId: ch.json.challengeId,
        certificate: Buffer.from(certificate).toString('base64'),
        signature: Buffer.from(signature).toString('base64'),
      },
    });
    return s.json.token as string;
  }

  beforeAll(async () => {
    sim = await startSim();
    const tls = await kioskTls();
    agent = new Agent({ connect: { ca: tls.ca, cert: tls.cert, key: tls.key } });
  });
  afterAll(async () => {
    await agent.close();
    await sim.close();
  });

  it('validates every operation, success and error answers', async () => {
    expect((await call('GET', '/v1/health', '/v1/health')).status).toBe(200);
    expect((await call('GET', '/v1/keys', '/v1/keys')).status).toBe(200);
    expect((await call('GET', '/v1/municipalities', '/v1/municipalities')).status).toBe(200);

    const token = await session('yamada-taro');
    const juminhyo = {
      municipalityCode: MURORAN,
      certificate: 'juminhyo',
      options: { scope: 'household', showHonseki: true },
      copies: 2,
    };
    expect(
      (await call('POST', '/v1/eligibility', '/v1/eligibility', { token, body: juminhyo })).json,
    ).toEqual({ eligible: true, feeYen: 200, totalYen: 400 });
    const issued = await call('POST', '/v1/issuances', '/v1/issuances', {
      token,
      body: juminhyo,
      headers: { 'idempotency-key': 'openapi-test-0001' },
    });
    expect(issued.status).toBe(201);
    const id = issued.json.issuanceId as string;
    expect(
      (
        await call('POST', '/v1/issuances', '/v1/issuances', {
          token,
          body: { ...juminhyo, copies: 1 },
          headers: { 'idempotency-key': 'openapi-test-0001' },
        })
      ).status,
    ).toBe(422);
    expect((await call('POST', '/v1/issuances', '/v1/issuances', { token, body: juminhyo })).status).toBe(
      400,
    );
    expect(
      (
        await call('POST', '/v1/eligibility', '/v1/eligibility', {
          token,
          body: { ...juminhyo, options: { colour: 'red' } },
        })
      ).status,
    ).toBe(400);
    for (const cert of [
      'inkan',
      'koseki-zenbu',
      'koseki-kojin',
      'fuhyo',
      'shotoku-kazei',
      'juminhyo-kisai',
    ]) {
      const r = await call('POST', '/v1/issuances', '/v1/issuances', {
        token,
        body: { municipalityCode: MURORAN, certificate: cert, options: {}, copies: 1 },
        headers: { 'idempotency-key': `openapi-${cert}` },
      });
      expect(r.status, cert).toBe(201);
    }
    expect(
      (await call('POST', '/v1/issuances/{issuanceId}/reprint', `/v1/issuances/${id}/reprint`)).json
        .authorized,
    ).toBe(true);
    expect(
      (await call('POST', '/v1/issuances/{issuanceId}/finalize', `/v1/issuances/${id}/finalize`)).json.state,
    ).toBe('finalized');
    expect(
      (await call('POST', '/v1/issuances/{issuanceId}/reprint', `/v1/issuances/${id}/reprint`)).json
        .authorized,
    ).toBe(false);
    expect(
      (
        await call('POST', '/v1/issuances/{issuanceId}/void', `/v1/issuances/${id}/void`, {
          body: { reason: 'printFailed' },
        })
      ).status,
    ).toBe(409);
    expect(
      (await call('POST', '/v1/issuances/{issuanceId}/finalize', '/v1/issuances/ISS-nope/finalize')).status,
    ).toBe(404);
    expect(
      (
        await call('POST', '/v1/kiosks/heartbeat', '/v1/kiosks/heartbeat', {
          body: {
            at: new Date().toISOString(),
            state: 'inService',
            devices: [{ id: 'cardReader', state: 'online' }],
            outboxDepth: 0,
            softwareVersion: '0.1.0',
          },
        })
      ).status,
    ).toBe(200);
    const day = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
    const rec = await call('GET', '/v1/kiosks/reconciliation', `/v1/kiosks/reconciliation?date=${day}`);
    expect(rec.json).toMatchObject({ finalized: 1, finalizedFeeYen: 400, issued: 7 });

    // refusals: a reference, never a reason
    const hidden = await session('shien-sochi');
    const refused = await call('POST', '/v1/eligibility', '/v1/eligibility', {
      token: hidden,
      body: { ...juminhyo, copies: 1 },
    });
    expect(refused.json).toEqual({ eligible: false, reference: expect.stringMatching(/^REF-/) });
    const refusedIssue = await call('POST', '/v1/issuances', '/v1/issuances', {
      token: hidden,
      body: { ...juminhyo, copies: 1 },
      headers: { 'idempotency-key': 'openapi-refused-1' },
    });
    expect(refusedIssue.status).toBe(403);
    expect(sim.lookupRefusal(refusedIssue.json.reference as string)?.reason).toBe('shienSochi');

    // authentication failures
    const ch = await call('POST', '/v1/auth/challenges', '/v1/auth/challenges');
    const revoked = await cardSign('revoked', Buffer.from(ch.json.nonce as string, 'base64'));
    const r401 = await call('POST', '/v1/auth/sessions', '/v1/auth/sessions', {
      body: {
        challengeId: ch.json.challengeId,
        certificate: Buffer.from(revoked.certificate).toString('base64'),
        signature: Buffer.from(revoked.signature).toString('base64'),
      },
    });
    expect(r401.json.code).toBe('certificateRevoked');
    expect(
      (await call('POST', '/v1/eligibility', '/v1/eligibility', { token: 'not-a-token', body: juminhyo }))
        .status,
    ).toBe(401);

    for (const b of bodies)
      expect(b).not.toMatch(/shienSochi|支援措置|tenshutsu|転出|deceased|死亡|gaiji|外字|noSeal/);
  });
});
