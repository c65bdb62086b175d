// JSON Schema (2020-12, as OpenAPI 3.1 uses) of the zod wire schemas, named like the OpenAPI
// components and cross-referenced the same way. The lockstep test compares this with the
// checked-in contract; it is never used to write the contract at run time.
import { z } from 'zod';
import { API_COMPONENTS } from './api.js';
import {
  DocumentBody,
  FuhyoContent,
  InkanContent,
  JuminhyoContent,
  KosekiContent,
  MunicipalityInfo,
  ShotokuKazeiContent,
} from './document.js';

const DOCUMENT_COMPONENTS = {
  MunicipalityInfo,
  JuminhyoContent,
  InkanContent,
  KosekiContent,
  FuhyoContent,
  ShotokuKazeiContent,
  DocumentBody,
} as const;

/** zod writes Number.MAX_SAFE_INTEGER bounds on every int; the contract leaves them out. */
export function dropSafeIntegerBounds(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropSafeIntegerBounds);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (
        (k === 'maximum' && x === Number.MAX_SAFE_INTEGER) ||
        (k === 'minimum' && x === Number.MIN_SAFE_INTEGER)
      )
        continue;
      out[k] = dropSafeIntegerBounds(x);
    }
    return out;
  }
  return v;
}

export function componentSchemasFromZod(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries({ ...API_COMPONENTS, ...DOCUMENT_COMPONENTS }))
    registry.add(schema, { id });
  const out = z.toJSONSchema(registry, {
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'throw',
    io: 'output',
  });
  const schemas: Record<string, unknown> = {};
  for (const [id, s] of Object.entries(out.schemas)) {
    const { $schema: _s, $id: _i, ...rest } = s as Record<string, unknown>;
    schemas[id] = dropSafeIntegerBounds(rest);
  }
  return schemas;
}
