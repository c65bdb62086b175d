// `madoguchi journal verify`: the audit chain, its anchored head, and every journal row against
// its audit mirror. Any edited, deleted or forged row is reported with where it is.
import type { Journal } from './journal.js';

export interface VerifyReport {
  ok: boolean;
  auditRows: number;
  problems: string[];
}

export function verifyJournal(journal: Journal): VerifyReport {
  const chain = journal.verifyAudit();
  const mirrors = journal.verifyMirrors();
  const problems = [
    ...chain.problems.map(
      (p) => `audit_log${p.id === null ? '' : ` row ${p.id}`}: ${p.problem}: ${p.message}`,
    ),
    ...mirrors.map(
      (m) =>
        `${m.table} row ${m.id}: ${m.problem}${m.problem === 'edited' ? ' (differs from its audited copy)' : m.problem === 'deleted' ? ' (audited, now missing)' : ' (no audited copy)'}`,
    ),
  ];
  return { ok: problems.length === 0, auditRows: chain.rows, problems };
}
