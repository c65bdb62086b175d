// The contract's own negative cases, sent as they stand: every request-body and parameter example
// in api/registry.openapi.yaml marked with `x-status` must get exactly that status and a Problem
// body; every operation with a body answers 413 (listed in the contract) for one over the limit.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { Problem } from '../../src/registry/api.js';
import { BODY_LIMIT } from '../../fixtures/registry/server.js';
import { cardSign, kioskTls, startSim } from './helpers.js';

interface Example {
  summary?: string;
  value: unknown;
  'x-status'?: number;
}
interface Operation {
  operationId: string;
  parameters?: Array<{ name: string; in: string; examples?: Record<string, Example> } | { $ref: string }>;
  requestBody?: { content: { 'application/json': { examples?: Record<string, Example> } } };
  responses: Record<string, unknown>;
  security?: Array<Record<string, unknown>>;
}
const spec = YAML.parse(readFileSync('api/registry.openapi.yaml', 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};

/** A valid value for each path parameter and header the negative case does not replace. */
const VALID: Record<string, string> = {
  issuanceId: 'ISS-unknown',
  idempotencyKey: 'contract-negative-key',
  'Idempotency-Key': 'contract-negative-key',
};

const cases: Array<{
  name: string;
  method: string;
  path: string;
  param?: { name: string; in: string };
  example: Example;
}> = [];
for (const [path, ops] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(ops)) {
    for (const [name, example] of Object.entries(op.requestBody?.content['application/json'].examples ?? {}))
      if (example['x-status']) cases.push({ name: `${op.operationId} body ${name}`, method, path, example });
    for (const p of op.parameters ?? []) {
      if ('$ref' in p) continue;
      for (const [name, example] of Object.entries(p.examples ?? {}))
        if (example['x-status'])
          cases.push({
            name: `${op.operationId} ${p.in} ${p.name} ${name}`,
            method,
            path,
            param: p,
            example,
          });
    }
  }
}
const withBody = Object.entries(spec.paths).flatMap(([path, ops]) =>
  Object.entries(ops)
    .filter(([, op]) => op.requestBody)
    .map(([method, op]) => ({ path, method, op })),
);

let sim: Awaited<ReturnType<typeof startSim>>;
let agent: Agent;
let token: string;

async function send(method: string, path: string, o: { body?: string; headers?: Record<string, string> }) {
  const r = await request(sim.url + path, {
    method: method.toUpperCase() as 'POST',
    dispatcher: agent,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...o.headers },
    body: o.body ?? null,
  });
  return { status: r.statusCode, json: JSON.parse(await r.body.text()) as unknown };
}

beforeAll(async () => {
  sim = await startSim();
  const tls = await kioskTls();
  agent = new Agent({ connect: { ca: tls.ca, cert: tls.cert, key: tls.key } });
  const ch = (await (
    await request(`${sim.url}/v1/auth/challenges`, { method: 'POST', dispatcher: agent })
  ).body.json()) as { challengeId: string; nonce: string };
  const { certificate, signature } = await cardSign('yamada-taro', Buffer.from(ch.nonce, 'base64'));
  const s = await request(`${sim.url}/v1/auth/sessions`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      challengeId: ch.challengeId,
      certificate: Buffer.from(certificate).toString('base64'),
      signature: Buffer.from(signature).toString('base64'),
    }),
  });
  token = ((await s.body.json()) as { token: string }).token;
});
afterAll(async () => {
  await agent.close();
  await sim.close();
});

describe("the contract's negative examples", () => {
  it('are there for every operation that takes a body, and for the too-short keys', () => {
    for (const { op } of withBody)
      expect(
        cases.some((c) => c.name.startsWith(`${op.operationId} body`)),
        op.operationId,
      ).toBe(true);
    expect(cases.filter((c) => c.param).map((c) => c.name)).toEqual([
      'issue header Idempotency-Key tooShort',
      'voidByKey path idempotencyKey tooShort',
    ]);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    let path = c.path;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(VALID))
      path = path.replace(
        `{${name}}`,
        encodeURIComponent(c.param?.name === name && c.param.in === 'path' ? String(c.example.value) : value),
      );
    if (c.method === 'post' && c.path === '/v1/issuances')
      headers['idempotency-key'] =
        c.param?.in === 'header' ? String(c.example.value) : VALID['Idempotency-Key']!;
    const body = c.param
      ? JSON.stringify(
          c.path.includes('void')
            ? { reason: 'recovered' }
            : { municipalityCode: '012050', certificate: 'juminhyo', options: {}, copies: 1 },
        )
      : JSON.stringify(c.example.value);
    const r = await send(c.method, path, { body, headers });
    expect(r.status, JSON.stringify(r.json)).toBe(c.example['x-status']);
    const op = spec.paths[c.path]![c.method]!;
    expect(Object.keys(op.responses)).toContain(String(r.status));
    expect(Problem.parse(r.json).code).toBe('badRequest');
  });

  it.each(withBody.map((w) => [w.op.operationId, w] as const))(
    '%s: a body over the limit is 413 payloadTooLarge, as listed',
    async (_id, w) => {
      expect(Object.keys(w.op.responses)).toContain('413');
      const path = Object.entries(VALID).reduce((p, [name, value]) => p.replace(`{${name}}`, value), w.path);
      const r = await send(w.method, path, {
        body: JSON.stringify({ pad: 'x'.repeat(BODY_LIMIT) }),
        headers: { 'idempotency-key': VALID['Idempotency-Key']! },
      });
      expect(r.status).toBe(413);
      expect(Problem.parse(r.json).code).toBe('payloadTooLarge');
    },
  );
});
