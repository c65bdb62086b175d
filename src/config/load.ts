// Loads the configuration: embedded defaults ← optional YAML/JSON file ← MADOGUCHI__* environment.
// Any problem stops start-up with a message naming the key and what is wrong with it.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigSchema, type Config } from './schema.js';
import { semanticProblems } from './semantic.js';

export class ConfigError extends Error {
  readonly kind = 'config' as const;
  constructor(
    readonly source: string,
    readonly problems: { key: string; message: string }[],
  ) {
    super(
      `invalid configuration (${source}):\n` + problems.map((p) => `  ${p.key}: ${p.message}`).join('\n'),
    );
  }
}

const ENV_PREFIX = 'MADOGUCHI__';

/** MADOGUCHI__CARD__DRIVER=pcsc → { card: { driver: 'pcsc' } }. Values are JSON when they parse as JSON. */
export function envOverrides(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const path = name.slice(ENV_PREFIX.length).split('__').map(camel);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      /* a plain string */
    }
    let node = out;
    path.forEach((key, i) => {
      if (i === path.length - 1) node[key] = value;
      else node = (node[key] ??= {}) as Record<string, unknown>;
    });
  }
  return out;
}

function camel(s: string): string {
  return s.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

export function formatIssues(issues: z.core.$ZodIssue[]): { key: string; message: string }[] {
  return issues.map((i) => {
    const key = i.path.map(String).join('.') || '(root)';
    const keys =
      i.code === 'unrecognized_keys'
        ? ` (${i.keys.map((k) => [...i.path.map(String), k].join('.')).join(', ')})`
        : '';
    return { key, message: i.message + keys };
  });
}

export function parseConfig(input: unknown, source = 'embedded defaults'): Config {
  const result = ConfigSchema.safeParse(input ?? {});
  if (!result.success) throw new ConfigError(source, formatIssues(result.error.issues));
  return result.data;
}

/** Schema, then what the configuration refers to (files, https, demo-only parts): what start-up and edits check. */
export function checkConfig(input: unknown, source: string): Config {
  const config = parseConfig(input, source);
  const problems = semanticProblems(config);
  if (problems.length) throw new ConfigError(source, problems);
  return config;
}

export interface LoadOptions {
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

export function loadConfig({ file, env = process.env }: LoadOptions = {}): Config {
  const path = file ?? env.MADOGUCHI_CONFIG;
  let fromFile: unknown = {};
  if (path) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new ConfigError(path, [{ key: '(file)', message: `cannot read: ${(e as Error).message}` }]);
    }
    try {
      fromFile = parseYaml(text) ?? {};
    } catch (e) {
      throw new ConfigError(path, [
        { key: '(file)', message: `not valid YAML/JSON: ${(e as Error).message.split('\n')[0]}` },
      ]);
    }
    if (!isObject(fromFile))
      throw new ConfigError(path, [{ key: '(root)', message: 'expected a mapping of sections' }]);
  }
  const overrides = envOverrides(env);
  const source = [
    path ?? 'embedded defaults',
    Object.keys(overrides).length ? 'MADOGUCHI__* environment' : '',
  ]
    .filter(Boolean)
    .join(' + ');
  return checkConfig(deepMerge(fromFile, overrides), source);
}

/**
 * Default place of a journal's key: beside the journal's directory, not inside it, so that a copy of
 * the data directory (or any backup) never carries the key that signs the audit chain.
 */
export function defaultJournalKeyPath(journalPath: string): string {
  const dir = dirname(journalPath);
  return join(dirname(dir), `${basename(dir)}-keys`, 'journal.key');
}

/**
 * The journal key as systemd hands it to the kiosk unit (LoadCredential=journal:/var/lib/madoguchi-keys):
 * the key file stays root-owned 0600 and the kiosk reads only this private copy.
 */
export const credentialKeyPath = (credentialsDir: string) => join(credentialsDir, 'journal_journal.key');

/** Paths derived from the configuration. */
export function dataPaths(config: Config, env: NodeJS.ProcessEnv = process.env) {
  const dataDir = resolve(
    config.kiosk.dataDir || env.MADOGUCHI_DATA_DIR || join(homedir(), '.local', 'share', 'madoguchi'),
  );
  const journal = config.journal.path ? resolve(config.journal.path) : join(dataDir, 'journal.sqlite3');
  return {
    dataDir,
    journal,
    journalKey: config.journal.keyFile
      ? resolve(config.journal.keyFile)
      : env.CREDENTIALS_DIRECTORY
        ? credentialKeyPath(env.CREDENTIALS_DIRECTORY)
        : defaultJournalKeyPath(journal),
    logDir: config.log.dir ? resolve(config.log.dir) : join(dataDir, 'logs'),
    spoolDir: join(dataDir, 'spool'),
  };
}

/** True when any device or service is simulated: the demo panel may then be offered. */
export function usesSimulators(config: Config): boolean {
  return (
    config.card.driver === 'simulator' ||
    config.cash.driver === 'simulator' ||
    config.printers.certificate.driver === 'simulator' ||
    config.printers.receipt.driver === 'simulator' ||
    config.registry.mode === 'embedded'
  );
}
