// A dry run of start-up on a configuration, without opening a device the running kiosk holds:
// the schema and semantic checks, then what start-up would load — the registry's TLS identity,
// its signing keys, every TOTP secret — and the directories it would write. Used before a
// technician's edit replaces the configuration, and by `madoguchi config check --dry-run`.
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { dirname } from 'node:path';
import { ConfigError, checkConfig, dataPaths } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { ConfigProblem } from '../config/semantic.js';
import { readTotpSecret } from '../technician/auth.js';

function writableDir(key: string, dir: string, problems: ConfigProblem[]) {
  try {
    // The nearest existing ancestor must let the kiosk create the rest.
    let d = dir;
    while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
    if (!statSync(d).isDirectory()) throw new Error('not a directory');
    accessSync(d, constants.W_OK | constants.X_OK);
  } catch {
    problems.push({ key, message: `${dir}: the kiosk user cannot write here` });
  }
}

export function dryRunProblems(config: Config, env: NodeJS.ProcessEnv = process.env): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const r = config.registry;
  if (r.mode === 'remote') {
    try {
      createSecureContext({
        ca: readFileSync(r.caFile),
        cert: readFileSync(r.certFile),
        key: readFileSync(r.keyFile),
      });
    } catch (e) {
      problems.push({
        key: 'registry.certFile',
        message: `the TLS identity does not load: ${(e as Error).message}`,
      });
    }
    try {
      const jwks = JSON.parse(readFileSync(r.signingKeys, 'utf8')) as { keys?: unknown };
      if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) throw new Error('no "keys"');
    } catch (e) {
      problems.push({
        key: 'registry.signingKeys',
        message: `not a JWKS with keys: ${(e as Error).message}`,
      });
    }
  }
  config.technician.accounts.forEach((a, i) => {
    try {
      readTotpSecret(a.totpSecretFile);
    } catch (e) {
      problems.push({ key: `technician.accounts.${i}.totpSecretFile`, message: (e as Error).message });
    }
  });
  const paths = dataPaths(config, env);
  writableDir('kiosk.dataDir', paths.dataDir, problems);
  writableDir('log.dir', paths.logDir, problems);
  writableDir('journal.path', dirname(paths.journal), problems);
  return problems;
}

/** Schema, semantics and the dry run: the problems that would stop a start on this configuration. */
export function tryConfiguration(
  input: unknown,
  source: string,
  env: NodeJS.ProcessEnv = process.env,
): { config: Config } | { stage: 'check' | 'dryRun'; problems: ConfigProblem[] } {
  let config: Config;
  try {
    config = checkConfig(input, source);
  } catch (e) {
    if (e instanceof ConfigError) return { stage: 'check', problems: e.problems };
    throw e;
  }
  const problems = dryRunProblems(config, env);
  return problems.length ? { stage: 'dryRun', problems } : { config };
}

/** Creates the data directory when the dry run passes but it does not exist yet (first start). */
export function ensureDataDir(config: Config, env: NodeJS.ProcessEnv = process.env): void {
  mkdirSync(dataPaths(config, env).dataDir, { recursive: true });
}
