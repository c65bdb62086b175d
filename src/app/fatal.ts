// Process-wide last resort. An uncaught exception or unhandled rejection leaves the process in an
// unknown state, so the kiosk records what it can, stops taking money, and exits for the service
// manager (systemd Restart=on-failure) to start it again; recovery then settles whatever was open.
// It never carries on as if nothing happened.
import type { KioskApp } from '../app.js';

/** Exit status for the service manager: EX_SOFTWARE. */
export const FATAL_EXIT = 70;

export interface FatalHandlerOptions {
  /** How long inhibiting the acceptors and closing the devices may take before exiting anyway. */
  graceMs?: number;
  exit?: (code: number) => void;
}

/** The handler itself: records, inhibits, stops, exits. Runs once, whatever calls it next. */
export function createFatalHandler(
  app: KioskApp,
  opts: FatalHandlerOptions = {},
): (kind: 'uncaughtException' | 'unhandledRejection', err: unknown) => void {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let handling = false;
  return (kind, err) => {
    if (handling) return;
    handling = true;
    const e = err instanceof Error ? err : new Error(String(err));
    app.log.fatal(
      { kind, err: { name: e.name, message: e.message, stack: e.stack } },
      'fatal error: acceptors inhibited, exiting for a restart',
    );
    try {
      // Only the error's class and code: a message could carry anything.
      app.core.journal.audit('kiosk', 'fatal', null, {
        kind,
        error: e.name,
        code: (e as { code?: unknown }).code ?? null,
      });
    } catch {
      // the journal may be what failed
    }
    const grace = new Promise<void>((resolve) => setTimeout(resolve, opts.graceMs ?? 5000).unref());
    void Promise.race([
      app.core
        .inhibitAcceptors()
        .catch(() => undefined)
        .then(() => app.stop())
        .catch(() => undefined),
      grace,
    ]).finally(() => {
      app.log.flush?.();
      exit(FATAL_EXIT);
    });
  };
}

export function installFatalHandlers(app: KioskApp, opts: FatalHandlerOptions = {}): () => void {
  const handle = createFatalHandler(app, opts);
  const onException = (e: unknown) => handle('uncaughtException', e);
  const onRejection = (e: unknown) => handle('unhandledRejection', e);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
