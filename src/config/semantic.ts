// Checks the schema cannot make: what the configuration refers to must exist and be readable by
// the user the kiosk runs as (these checks run as that user), a remote registry is reached over
// https with mutual TLS, the data directories are not system directories, and simulators or the
// embedded registry only run on a demo kiosk. A configuration that passes here starts.
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Config } from './schema.js';

export interface ConfigProblem {
  key: string;
  message: string;
}

/** Directories the kiosk must never take as its own (it writes, prunes and restores there). */
const SYSTEM_DIRS = new Set([
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/lib64',
  '/opt',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/srv',
  '/sys',
  '/tmp',
  '/usr',
  '/var',
  '/var/lib',
  '/var/log',
  '/var/tmp',
]);

/** Keys that select a simulator or the embedded registry, with what they select. */
export function simulatedParts(config: Config): string[] {
  return [
    config.card.driver === 'simulator' ? 'card.driver' : null,
    config.cash.driver === 'simulator' ? 'cash.driver' : null,
    config.printers.certificate.driver === 'simulator' ? 'printers.certificate.driver' : null,
    config.printers.receipt.driver === 'simulator' ? 'printers.receipt.driver' : null,
    config.registry.mode === 'embedded' ? 'registry.mode' : null,
  ].filter((k): k is string => k !== null);
}

/** A demo kiosk as the configuration says, or (unsaid) when everything is simulated: the embedded defaults are one. */
export function isDemoKiosk(config: Config): boolean {
  return config.kiosk.demo ?? simulatedParts(config).length === 5;
}

function readableFile(key: string, path: string, problems: ConfigProblem[]): void {
  if (!path) {
    problems.push({ key, message: 'required here: name the file' });
    return;
  }
  try {
    if (!statSync(path).isFile()) throw new Error('not a regular file');
    accessSync(path, constants.R_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    problems.push({
      key,
      message: `${path}: ${code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'not readable by the kiosk user' : (e as Error).message}`,
    });
  }
}

function ownDirectory(key: string, path: string, problems: ConfigProblem[]): void {
  if (!path) return;
  if (!isAbsolute(path)) problems.push({ key, message: `${path}: use an absolute path` });
  else if (SYSTEM_DIRS.has(resolve(path)))
    problems.push({
      key,
      message: `${path}: a system directory; give the kiosk a directory of its own (e.g. /var/lib/madoguchi)`,
    });
}

export function semanticProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!isDemoKiosk(config))
    for (const key of simulatedParts(config))
      problems.push({
        key,
        message: `${key === 'registry.mode' ? 'the embedded registry' : 'a simulator'} on a kiosk that is not a demo kiosk (set kiosk.demo: true only for a demo)`,
      });

  ownDirectory('kiosk.dataDir', config.kiosk.dataDir, problems);
  ownDirectory('log.dir', config.log.dir, problems);
  ownDirectory('technician.exportDir', config.technician.exportDir, problems);
  if (config.journal.path && SYSTEM_DIRS.has(resolve(config.journal.path)))
    problems.push({
      key: 'journal.path',
      message: `${config.journal.path}: a system directory, not a journal file`,
    });

  const r = config.registry;
  if (r.mode === 'remote') {
    let protocol = '';
    try {
      protocol = new URL(r.url).protocol;
    } catch {
      /* the schema already checked it is a URL */
    }
    if (protocol !== 'https:')
      problems.push({ key: 'registry.url', message: `${r.url}: the registry is reached over https only` });
    readableFile('registry.caFile', r.caFile, problems);
    readableFile('registry.certFile', r.certFile, problems);
    readableFile('registry.keyFile', r.keyFile, problems);
    readableFile('registry.signingKeys', r.signingKeys, problems);
  }

  config.technician.accounts.forEach((a, i) =>
    readableFile(`technician.accounts.${i}.totpSecretFile`, a.totpSecretFile, problems),
  );

  const mqtt = config.fleet.mqtt;
  if (mqtt.enabled) {
    if (mqtt.passwordFile) readableFile('fleet.mqtt.passwordFile', mqtt.passwordFile, problems);
    if (mqtt.caFile) readableFile('fleet.mqtt.caFile', mqtt.caFile, problems);
  }
  return problems;
}
