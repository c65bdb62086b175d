// Structured logging with pino. Redaction is belt and braces: no code path should hand a PIN
// or personal data to a logger, but these paths are censored even if one does.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACT_PATHS = ['pin', '*.pin', 'name', '*.name', 'address', '*.address', 'birthDate', '*.birthDate', 'personal', '*.personal'];

export interface LoggerOptions {
  level?: string;
  /** Directory for madoguchi.log; omitted = stderr only. */
  dir?: string | undefined;
  /** Also write to stderr (default when no dir). */
  stderr?: boolean;
}

export function createLogger({ level = 'info', dir, stderr = !dir }: LoggerOptions = {}): Logger {
  const streams: pino.StreamEntry[] = [];
  if (dir) {
    mkdirSync(dir, { recursive: true });
    streams.push({ level: level as pino.Level, stream: pino.destination({ dest: join(dir, 'madoguchi.log'), mkdir: true, sync: false }) });
  }
  if (stderr) streams.push({ level: level as pino.Level, stream: pino.destination(2) });
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'madoguchi' } }, pino.multistream(streams));
}

export const silentLogger: Logger = pino({ level: 'silent' });
