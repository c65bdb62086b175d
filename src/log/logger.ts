// Structured logging with pino. Redaction is belt and braces: no code path should hand a PIN
// or personal data to a logger, but the privacy policy's fields are censored at any depth if one does. Lines are rate
// limited per source and the log file rotates by size under a hard cap, so no amount of hostile
// traffic can fill the disk the journal lives on.
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { redactPersonal } from '../privacy/policy.js';
import { LogRateLimiter, type RateLimitOptions } from './rate-limit.js';
import { RotatingFile, type RotatingFileOptions } from './rotating-file.js';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  /** Directory for madoguchi.log; omitted = stderr only. */
  dir?: string | undefined;
  /** Also write to stderr (default when no dir). */
  stderr?: boolean;
  /** Size rotation of madoguchi.log (defaults: 10 MiB, 5 rotated files). */
  rotation?: Partial<RotatingFileOptions>;
  /** Per-source rate limit (default: 300 lines per source per minute). */
  rateLimit?: Partial<RateLimitOptions>;
}

export const LOG_DEFAULTS = { maxFileBytes: 10 * 1024 * 1024, maxFiles: 5, perWindow: 300, windowMs: 60_000 };

export function createLogger({
  level = 'info',
  dir,
  stderr = !dir,
  rotation = {},
  rateLimit = {},
}: LoggerOptions = {}): Logger {
  const streams: pino.StreamEntry[] = [];
  if (dir) {
    const file = new RotatingFile(join(dir, 'madoguchi.log'), {
      maxFileBytes: rotation.maxFileBytes ?? LOG_DEFAULTS.maxFileBytes,
      maxFiles: rotation.maxFiles ?? LOG_DEFAULTS.maxFiles,
    });
    streams.push({ level: level as pino.Level, stream: { write: (line: string) => file.write(line) } });
  }
  if (stderr) streams.push({ level: level as pino.Level, stream: pino.destination(2) });
  const limiter = new LogRateLimiter({
    perWindow: rateLimit.perWindow ?? LOG_DEFAULTS.perWindow,
    windowMs: rateLimit.windowMs ?? LOG_DEFAULTS.windowMs,
  });
  return redactingChildren(
    pino(
      {
        level,
        // The privacy policy censors personal fields at any depth (child bindings: redactingChildren).
        formatters: { log: (o) => redactPersonal(o) as Record<string, unknown> },
        base: { app: 'madoguchi' },
        hooks: {
          logMethod(args, method) {
            const msg = args.find((a): a is string => typeof a === 'string') ?? '';
            const area = (this as unknown as { bindings(): { area?: string } }).bindings().area ?? '';
            const gate = limiter.admit(`${area}\0${msg}`);
            if (!gate.ok) return;
            if (gate.suppressed > 0) {
              const [first, ...rest] = args;
              if (first !== null && typeof first === 'object')
                return method.apply(this, [
                  { ...(first as object), suppressed: gate.suppressed },
                  ...rest,
                ] as Parameters<typeof method>);
              return method.apply(this, [{ suppressed: gate.suppressed }, ...args] as Parameters<
                typeof method
              >);
            }
            return method.apply(this, args);
          },
        },
      },
      pino.multistream(streams),
    ),
  );
}

/**
 * Child loggers' bindings go through the same redaction as each line. pino serialises a child's
 * bindings once, when it is made, and applies no formatter to them; so `child` itself is wrapped.
 * Children inherit from their parent's object, so grandchildren are covered too.
 */
function redactingChildren(logger: Logger): Logger {
  const child = logger.child;
  logger.child = function (this: Logger, bindings, options) {
    return child.call(this, redactPersonal(bindings) as typeof bindings, options);
  } as Logger['child'];
  return logger;
}

export const silentLogger: Logger = pino({ level: 'silent' });
