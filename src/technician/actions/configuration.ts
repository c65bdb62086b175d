// The engineer's configuration view and edit. The file is shown with its secrets replaced by a
// placeholder; an edit is parsed as a yaml Document (comments and order kept), placeholders are
// put back from the file on disk, the result is validated (schema, then what it refers to), tried
// in a dry run, and only then written atomically beside a backup, followed by a restart. Every
// edit, refused or accepted, is journaled with the keys it changed, never their values.
import {
  accessSync,
  constants,
  copyFileSync,
  existsSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import type { ConfigProblem, TechnicianAnswer, TechnicianResultOf } from '../../contract/technician.js';
import { unref } from '../../core/clock.js';
import { startTrial } from '../../ops/config-guard.js';
import { tryConfiguration } from '../../ops/dry-run.js';
import {
  changedKeys,
  parseConfigDocument,
  redactedConfigText,
  restoreSecrets,
  SECRET_PLACEHOLDER,
  YAML_OUTPUT,
} from '../config-document.js';
import { CONFIG_FALLBACK, ENGINEER, fail, type ActionContext, type ActionTable } from '../context.js';

function configView(ctx: ActionContext): TechnicianResultOf<'configView'> {
  const { configFile, config } = ctx.deps;
  const text =
    configFile && existsSync(configFile)
      ? redactedConfigText(readFileSync(configFile, 'utf8'))
      : stringify({
          ...config,
          technician: {
            ...config.technician,
            accounts: config.technician.accounts.map((a) => ({ ...a, pinHash: SECRET_PLACEHOLDER })),
          },
        });
  ctx.record('configView');
  return { ok: true, file: configFile, text };
}

function writable(file: string): boolean {
  try {
    accessSync(dirname(file), constants.W_OK);
    if (existsSync(file)) accessSync(file, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function configEdit(ctx: ActionContext, yaml: string): Promise<TechnicianAnswer<'configEdit'>> {
  const { configFile } = ctx.deps;
  const refuse = (
    error: 'invalid' | 'notWritable' | 'dryRunFailed' | 'noConfigFile',
    problems: ConfigProblem[] = [],
    keys: string[] = [],
  ) => {
    ctx.record('configEdit', {
      ok: false,
      error,
      changedKeys: keys,
      problemKeys: problems.map((p) => p.key),
    });
    return fail(error, problems.length ? { problems } : {});
  };
  if (!configFile) return refuse('noConfigFile');
  const parsed = parseConfigDocument(yaml);
  if (!('doc' in parsed)) return refuse('invalid', parsed.problems);
  const disk = existsSync(configFile) ? parseConfigDocument(readFileSync(configFile, 'utf8')) : null;
  const onDisk = disk && 'doc' in disk ? disk.doc : null;
  const secretProblems = restoreSecrets(parsed.doc, onDisk);
  if (secretProblems.length) return refuse('invalid', secretProblems);
  const next: unknown = parsed.doc.toJS() ?? {};
  const keys = changedKeys(onDisk?.toJS() ?? {}, next);
  // Schema, semantics (files, https, demo-only parts, ranges), then a dry run of start-up.
  const tried = tryConfiguration(next, configFile);
  if (!('config' in tried))
    return refuse(tried.stage === 'dryRun' ? 'dryRunFailed' : 'invalid', tried.problems, keys);
  if (!writable(configFile))
    return refuse(
      'notWritable',
      [{ key: '(file)', message: `${configFile} cannot be written by the kiosk's service user` }],
      keys,
    );
  if (keys.length === 0) {
    ctx.record('configEdit', { ok: true, changedKeys: keys, restart: 'unchanged' });
    return { ok: true, restart: 'unchanged', changedKeys: keys, backup: `${configFile}.bak` };
  }
  const text = parsed.doc.toString(YAML_OUTPUT);
  const previous = existsSync(configFile) ? readFileSync(configFile, 'utf8') : '';
  if (existsSync(configFile)) copyFileSync(configFile, `${configFile}.bak`);
  writeFileSync(`${configFile}.new`, text, { mode: 0o640 });
  renameSync(`${configFile}.new`, configFile);
  // On trial until a start on it comes up; two failed starts put the running one back.
  startTrial(configFile, previous);
  ctx.deps.journal.setState(CONFIG_FALLBACK, null);
  const restart = ctx.deps.restart ? 'restarting' : 'requested';
  ctx.record('configEdit', { ok: true, changedKeys: keys, restart });
  ctx.deps.journal.setState('restartRequested', { at: ctx.now().toISOString(), by: ctx.session.id });
  if (ctx.deps.restart) unref(ctx.clock.setTimeout(ctx.deps.restart, 500));
  return { ok: true, restart, changedKeys: keys, backup: `${configFile}.bak` };
}

export const configurationActions: ActionTable = {
  configView: { action: 'configView', roles: ENGINEER, handler: configView },
  configEdit: { action: 'configEdit', roles: ENGINEER, handler: (ctx, req) => configEdit(ctx, req.yaml) },
};
