import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { configFileFrom, configForStart } from '../options.js';
import { createKioskApp } from '../../app.js';
import { startBrowserHost } from '../../host/browser-host.js';
import { persistentSessionSecret, sessionSecretPath } from '../../host/session-secret.js';
import { installFatalHandlers } from '../../app/fatal.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The Electron binary when it is installed (it cannot be downloaded on every machine). */
export function electronBinary(): string | null {
  try {
    const pkg = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const rel = readFileSync(join(pkg, 'path.txt'), 'utf8').trim();
    const bin = join(pkg, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the kiosk (Electron when its binary is present, otherwise the browser host)')
    .option('--browser', 'always use the browser host and print its URL')
    .option('--port <n>', 'browser host port (default: configuration ui.httpPort)')
    .action(async (o: { browser?: boolean; port?: string }, cmd: Command) => {
      const config = configForStart(cmd);
      const electron = o.browser ? null : electronBinary();
      const main = join(ROOT, 'dist/electron/main.cjs');
      if (electron && existsSync(main)) {
        const child = spawn(electron, [main], { stdio: 'inherit', env: process.env });
        child.on('exit', (code) => process.exit(code ?? 0));
        return;
      }
      const rendererDir = join(ROOT, 'renderer/dist');
      if (!existsSync(join(rendererDir, 'index.html'))) {
        throw new Error(`the renderer is not built: run "npm run build" first (looked in ${rendererDir})`);
      }
      const app = await createKioskApp(config, {
        stderr: false,
        core: { configFile: configFileFrom(cmd), restart: () => void restart() },
      });
      installFatalHandlers(app);
      const host = await startBrowserHost({
        dispatch: app.dispatch,
        subscribe: (l) => app.core.subscribe(l),
        rendererDir,
        port: o.port ? Number(o.port) : config.ui.httpPort,
        log: app.log,
        token: persistentSessionSecret(sessionSecretPath(app.paths.dataDir)),
      });
      process.stdout.write(
        [
          `Madoguchi kiosk "${config.kiosk.name}" (${config.kiosk.id}) is running.`,
          electron === null && !o.browser ? '  Electron binary not installed: using the browser host.' : '',
          `  open:    ${host.url}  (one-time link: the first visit within a minute signs the browser in)`,
          `  journal: ${app.paths.journal}`,
          `  logs:    ${app.paths.logDir}`,
          '  stop:    Ctrl+C',
          '',
        ]
          .filter((l) => l !== '')
          .join('\n') + '\n',
      );
      // The renderers (pdfkit, fonts, canvas) load after the kiosk answers, before the first job needs them.
      setTimeout(
        () =>
          void import('../../printing/index.js')
            .then((m) => m.warmUpRenderers())
            .catch((e: Error) => app.log.warn({ err: e.message }, 'renderer warm-up failed')),
        200,
      );
      const shutdown = async () => {
        await host.close();
        await app.stop();
        process.exit(0);
      };
      // After a technician's configuration edit. Under systemd (INVOCATION_ID set) the unit restarts
      // us; run by hand, we start a fresh copy of ourselves on the terminal, which prints its new URL.
      async function restart() {
        app.log.warn('restarting after a configuration change');
        await host.close();
        await app.stop();
        if (!process.env.INVOCATION_ID)
          spawn(process.execPath, process.argv.slice(1), {
            stdio: 'inherit',
            detached: false,
            env: process.env,
          }).unref();
        process.exit(75);
      }
      process.once('SIGINT', () => void shutdown());
      process.once('SIGTERM', () => void shutdown());
    });
}
