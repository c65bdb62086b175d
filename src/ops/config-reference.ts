// The configuration reference in docs/CONFIG.md, generated from the configuration schema: keys,
// types, limits and defaults from z.toJSONSchema; descriptions from the doc comments above each key
// in src/config/sections/<section>.ts (read with the TypeScript parser). A test fails when the
// committed file differs: regenerate with `npx tsx scripts/gen-config-reference.ts`.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { z } from 'zod';
import { ConfigSchema } from '../config/schema.js';

const SECTIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../config/sections');

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
  pattern?: string;
  description?: string;
}

/** Doc comments by key path ("certificate.driver", "hoppers.yen") in one section file. */
export function sectionComments(file: string): Map<string, string> {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out = new Map<string, string>();
  const visit = (node: ts.Node, path: string[]) => {
    let next = path;
    if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
      next = [...path, node.name.text];
      const doc = ts
        .getJSDocCommentsAndTags(node)
        .map((d) => (typeof d.comment === 'string' ? d.comment : (ts.getTextOfJSDocComment(d.comment) ?? '')))
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim();
      if (doc && !out.has(next.join('.'))) out.set(next.join('.'), doc);
    }
    ts.forEachChild(node, (c) => visit(c, next));
  };
  visit(src, []);
  return out;
}

const big = (n: number | undefined) => n === undefined || Math.abs(n) >= Number.MAX_SAFE_INTEGER;
const code = (v: unknown) => '`' + JSON.stringify(v).replace(/\|/g, '\\|') + '`';

function typeOf(s: JsonSchema): string {
  if (s.anyOf) return s.anyOf.map(typeOf).join(' \\| ');
  if (s.const !== undefined) return code(s.const);
  if (s.enum) return s.enum.map(code).join(' \\| ');
  const limits: string[] = [];
  if (!big(s.minimum)) limits.push(`≥ ${s.minimum}`);
  if (!big(s.maximum)) limits.push(`≤ ${s.maximum}`);
  if (s.minLength !== undefined) limits.push(`length ≥ ${s.minLength}`);
  if (s.maxLength !== undefined) limits.push(`length ≤ ${s.maxLength}`);
  if (s.format) limits.push(s.format);
  if (s.type === 'array') return `array of ${s.items ? typeOf(s.items) : 'any'}`;
  return [s.type ?? 'any', ...limits].join(', ');
}

const envName = (path: string[]) =>
  'MADOGUCHI__' + path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('__');

interface Row {
  key: string;
  type: string;
  default: string;
  env: string;
  description: string;
}

function rows(
  section: string,
  schema: JsonSchema,
  comments: Map<string, string>,
  path: string[] = [],
  inArray = false,
): Row[] {
  const out: Row[] = [];
  const required = new Set(schema.required ?? []);
  for (const [key, s] of Object.entries(schema.properties ?? {})) {
    const p = [...path, key];
    const description = (s.description ?? comments.get(p.join('.')) ?? '')
      .replace(/\|/g, '\\|')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;');
    const full = [section, ...p].join('.').replace(/\.\[\]/g, '[]');
    if (s.type === 'object' && s.properties) {
      if (description) out.push({ key: full, type: 'object', default: '', env: '', description });
      out.push(...rows(section, s, comments, p, inArray));
    } else if (s.type === 'array' && s.items?.type === 'object' && s.items.properties) {
      out.push({
        key: full,
        type: 'array of objects',
        default: s.default === undefined ? '' : code(s.default),
        env: inArray ? '' : envName([section, ...p]) + ' (JSON)',
        description,
      });
      out.push(
        ...rows(section, s.items, comments, [...p], true).map((r) => ({
          ...r,
          key: r.key.replace(`${full}.`, `${full}[].`),
        })),
      );
    } else {
      out.push({
        key: full,
        type: typeOf(s),
        default: s.default !== undefined ? code(s.default) : required.has(key) ? '(required)' : '(optional)',
        env: inArray ? '' : envName([section, ...p]),
        description,
      });
    }
  }
  return out;
}

export function configReference(): string {
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const lines = [
    '<!-- GENERATED from src/config/sections/*.ts by scripts/gen-config-reference.ts: do not edit by hand. test/ops/config-reference.test.ts fails when this file is out of date. -->',
    '# Configuration reference / 設定リファレンス',
    '',
    'The kiosk reads `/etc/madoguchi/config.yaml` (the file named by `MADOGUCHI_CONFIG`, or `--config`), then `MADOGUCHI__SECTION__KEY` environment variables, over the defaults below. Values in the environment are parsed as JSON when they parse. Unknown keys are errors. Check a file with `madoguchi-ctl config check`.',
    '',
    'キオスクは `/etc/madoguchi/config.yaml`(環境変数 `MADOGUCHI_CONFIG` または `--config` で指定したファイル)を読み、次に `MADOGUCHI__セクション__キー` 環境変数を重ねます。指定のないキーは下表の既定値になります。未知のキーはエラーです。説明文は設定スキーマのコメント(英語)から生成しています。',
    '',
  ];
  for (const [section, s] of Object.entries(schema.properties ?? {})) {
    const comments = sectionComments(join(SECTIONS_DIR, `${section}.ts`));
    lines.push(
      `## \`${section}\``,
      '',
      '| key | type | default | environment | description |',
      '|---|---|---|---|---|',
    );
    for (const r of rows(section, s, comments))
      lines.push(
        `| \`${r.key}\` | ${r.type} | ${r.default} | ${r.env ? '`' + r.env + '`' : ''} | ${r.description} |`,
      );
    lines.push('');
  }
  return lines.join('\n');
}
