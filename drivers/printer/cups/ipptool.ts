// IPP requests to cupsd through `ipptool` (CUPS's own IPP client, Debian package cups-ipp-utils),
// chosen over the npm `ipp` package, which is unmaintained (engines node<4, deprecated Buffer
// API). Each request is a small ipptool test file; answers come back as CSV of the attributes we
// DISPLAY and are mapped by ./ipp-state.ts. Values are IPP keywords, whatever the locale.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrinterError } from '../errors.js';
import { parseIpptoolCsv, type IppAttributes } from './ipp-state.js';

const HEAD = [
  'GROUP operation-attributes-tag',
  'ATTR charset attributes-charset utf-8',
  'ATTR naturalLanguage attributes-natural-language en',
  'ATTR uri printer-uri $uri',
];

/** The requests, in ipptool's test-file language. `$name` are variables set with -d. */
const TESTS = {
  printer: [
    'OPERATION Get-Printer-Attributes',
    ...HEAD,
    'ATTR keyword requested-attributes printer-state,printer-state-reasons,printer-is-accepting-jobs',
    'STATUS successful-ok',
    'DISPLAY printer-state',
    'DISPLAY printer-state-reasons',
    'DISPLAY printer-is-accepting-jobs',
  ],
  job: [
    'OPERATION Get-Job-Attributes',
    ...HEAD,
    'ATTR integer job-id $jobid',
    'ATTR keyword requested-attributes job-state,job-state-reasons',
    'STATUS successful-ok',
    'DISPLAY job-state',
    'DISPLAY job-state-reasons',
  ],
  print: [
    'OPERATION Print-Job',
    ...HEAD,
    'ATTR name requesting-user-name $user',
    'ATTR name job-name $jobname',
    'ATTR mimeMediaType document-format $format',
    'FILE $filename',
    'STATUS successful-ok',
    'DISPLAY job-id',
  ],
  cancel: [
    'OPERATION Cancel-Job',
    ...HEAD,
    'ATTR integer job-id $jobid',
    'STATUS successful-ok',
    'STATUS client-error-not-possible',
  ],
} as const;
type TestName = keyof typeof TESTS;

let testDir: string | null = null;
function testFile(name: TestName): string {
  if (!testDir) {
    testDir = mkdtempSync(join(tmpdir(), 'madoguchi-ipp-'));
    for (const [n, lines] of Object.entries(TESTS))
      writeFileSync(join(testDir, `${n}.test`), `{\n  ${lines.join('\n  ')}\n}\n`);
    const dir = testDir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return join(testDir, `${name}.test`);
}

export interface IppTarget {
  /** host:port of cupsd. */
  server: string;
  queue: string;
  timeoutMs?: number;
}

export const printerUri = (t: IppTarget) => `ipp://${t.server}/printers/${encodeURIComponent(t.queue)}`;

/** Runs one request; rejects with PrinterError 'offline' when cupsd does not answer or refuses it. */
export function ipp(
  t: IppTarget,
  name: TestName,
  vars: Record<string, string> = {},
): Promise<IppAttributes[]> {
  const args = ['-c', '-T', String(Math.max(1, Math.ceil((t.timeoutMs ?? 10_000) / 1000)))];
  for (const [k, v] of Object.entries(vars)) args.push('-d', `${k}=${v}`);
  args.push(printerUri(t), testFile(name));
  return new Promise((resolve, reject) => {
    execFile('ipptool', args, { timeout: (t.timeoutMs ?? 10_000) + 2000 }, (err, stdout, stderr) => {
      if (err) {
        const detail = `${stdout}\n${stderr}`.replace(/\s+/g, ' ').trim().slice(0, 300);
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        reject(
          new PrinterError(
            'offline',
            missing
              ? 'ipptool is not installed (Debian package cups-ipp-utils)'
              : `IPP ${name} to ${printerUri(t)} failed: ${detail || err.message}`,
          ),
        );
        return;
      }
      resolve(parseIpptoolCsv(stdout));
    });
  });
}
