// The configuration file as the console sees it: a yaml Document (comments and key order kept)
// whose secret values are replaced by a placeholder before it is shown, and put back from the
// file on disk, matched by the account's id, when an edit keeps the placeholder.
import { isMap, isSeq, parseDocument, Scalar, type Document } from 'yaml';
import type { ConfigProblem } from '../contract/technician.js';

/** Shown instead of a PIN hash; saving it keeps the hash on disk. */
export const SECRET_PLACEHOLDER = '[scrypt]';
const ACCOUNTS = ['technician', 'accounts'] as const;
/** Long values (hashes) stay on one line. */
export const YAML_OUTPUT = { lineWidth: 0 } as const;

function plain(value: string): Scalar {
  const s = new Scalar(value);
  s.type = Scalar.PLAIN;
  return s;
}

function accountNodes(doc: Document) {
  const seq = doc.getIn(ACCOUNTS, true);
  return isSeq(seq) ? seq.items.filter(isMap) : [];
}

/** Parses YAML text; a syntax error is a problem naming the line, never an exception. */
export function parseConfigDocument(text: string): { doc: Document } | { problems: ConfigProblem[] } {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length)
    return {
      problems: doc.errors.map((e) => ({
        key: '(file)',
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
      })),
    };
  if (doc.contents !== null && !isMap(doc.contents))
    return { problems: [{ key: '(root)', message: 'expected a mapping of sections' }] };
  return { doc };
}

/** The text with every PIN hash replaced by the placeholder. */
export function redactedConfigText(text: string): string {
  const parsed = parseConfigDocument(text);
  if (!('doc' in parsed)) return '';
  for (const a of accountNodes(parsed.doc)) if (a.has('pinHash')) a.set('pinHash', SECRET_PLACEHOLDER);
  return parsed.doc.toString(YAML_OUTPUT);
}

/**
 * Puts back each placeholder from the account with the same id on disk. A placeholder for an id
 * that has no hash on disk is a problem (the edit cannot invent a hash).
 */
export function restoreSecrets(edited: Document, onDisk: Document | null): ConfigProblem[] {
  const hashes = new Map<string, unknown>();
  if (onDisk) for (const a of accountNodes(onDisk)) hashes.set(String(a.get('id')), a.get('pinHash'));
  const problems: ConfigProblem[] = [];
  accountNodes(edited).forEach((a, i) => {
    if (a.get('pinHash') !== SECRET_PLACEHOLDER) return;
    const hash = hashes.get(String(a.get('id')));
    if (typeof hash === 'string') a.set('pinHash', plain(hash));
    else
      problems.push({
        key: `technician.accounts.${i}.pinHash`,
        message: 'a new account needs its own PIN hash (the placeholder only keeps an existing one)',
      });
  });
  return problems;
}

/** Dotted paths of every leaf that differs between two parsed configurations (values never included). */
export function changedKeys(before: unknown, after: unknown, path = ''): string[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  // A section added or removed as a whole lists its leaves.
  if (before === undefined && isObj(after) && !Array.isArray(after)) before = {};
  if (after === undefined && isObj(before) && !Array.isArray(before)) after = {};
  if (isObj(before) && isObj(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => changedKeys(before[k], after[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [path || '(root)'];
}
