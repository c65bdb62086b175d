// The Electron shell's policy, written against an injected `electron` module so unit tests can
// run it with a mock: a hardened fullscreen kiosk window over the one contract.
import type * as Electron from 'electron';
import { existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { IPC_EVENT, IPC_REQUEST } from '../contract/channels.js';
import type { CoreEvent } from '../contract/envelope.js';
import {
  APP_INDEX_URL,
  APP_SCHEME,
  SHELL_CONTENT_SECURITY_POLICY,
  appRequestHandler,
  isAppUrl,
} from './app-scheme.js';

export interface ShellDeps {
  dispatch(raw: unknown): Promise<unknown>;
  subscribe(listener: (event: CoreEvent) => void): () => void;
  /** renderer/dist, served as madoguchi://app/ (registerAppScheme must have run before ready). */
  rendererDir: string;
  preload: string;
  /** Development flag: devtools allowed, not fullscreen. */
  dev: boolean;
  /** The only place downloads (the console's CSV and log exports) are written; never a Save dialog. */
  exportDir: string;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/** How long the renderer may stay unresponsive before it is reloaded. */
export const HANG_RELOAD_MS = 10_000;

/** Exports the console offers: CSV and NDJSON. */
const EXPORT_EXTENSIONS = new Set(['.csv', '.ndjson']);

/**
 * Where a download goes: inside exportDir, under its own plain name, never over an existing file.
 * Null refuses it (any other kind of file, or a name that is not a plain one).
 */
export function downloadPath(
  exportDir: string,
  suggested: string,
  exists: (p: string) => boolean = existsSync,
): string | null {
  const name = basename(suggested);
  if (
    name !== suggested ||
    !/^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$/.test(name) ||
    !EXPORT_EXTENSIONS.has(extname(name))
  )
    return null;
  const stem = name.slice(0, -extname(name).length);
  for (let i = 0; i < 1000; i++) {
    const p = join(exportDir, i === 0 ? name : `${stem}-${i}${extname(name)}`);
    if (!exists(p)) return p;
  }
  return null;
}

export function webPreferences(deps: Pick<ShellDeps, 'preload' | 'dev'>): Electron.WebPreferences {
  return {
    preload: deps.preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    devTools: deps.dev,
    spellcheck: false,
    navigateOnDragDrop: false,
  };
}

export function runShell(electron: typeof Electron, deps: ShellDeps): void {
  const { app, BrowserWindow, ipcMain, session, powerSaveBlocker, protocol } = electron;

  if (!app.requestSingleInstanceLock()) {
    deps.log.warn({}, 'another kiosk instance is running; exiting');
    app.quit();
    return;
  }

  let win: Electron.BrowserWindow | null = null;

  app.on('web-contents-created', (_e, contents) => {
    // Only within the app's own origin (a reload, the same page); never out of it.
    contents.on('will-navigate', (ev) => {
      if (!isAppUrl(ev.url)) ev.preventDefault();
    });
    contents.on('will-redirect', (ev) => {
      if (!isAppUrl(ev.url)) ev.preventDefault();
    });
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  app.on('second-instance', () => win?.focus());

  void app.whenReady().then(() => {
    const ses = session.defaultSession;
    protocol.handle(APP_SCHEME, appRequestHandler(deps.rendererDir));
    ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    ses.setPermissionCheckHandler(() => false);
    ses.webRequest.onHeadersReceived((details, callback) =>
      callback({
        responseHeaders: {
          ...details.responseHeaders,
          'Content-Security-Policy': [SHELL_CONTENT_SECURITY_POLICY],
        },
      }),
    );
    powerSaveBlocker.start('prevent-display-sleep');
    // An export is saved in the export directory without asking: under cage a native Save dialog
    // could browse the file system and overwrite the journal.
    ses.on('will-download', (_e, item) => {
      const path = downloadPath(deps.exportDir, item.getFilename());
      if (!path) {
        deps.log.warn({ file: item.getFilename() }, 'download refused');
        item.cancel();
        return;
      }
      item.setSavePath(path);
      deps.log.info({ file: path }, 'export saved');
    });

    ipcMain.handle(IPC_REQUEST, (event, raw: unknown) => {
      // Only the kiosk window's own top frame, showing the app's origin, may speak the contract.
      if (
        !win ||
        event.sender !== win.webContents ||
        event.senderFrame !== win.webContents.mainFrame ||
        !isAppUrl(event.senderFrame.url)
      ) {
        deps.log.warn({}, 'ipc: message from a foreign frame ignored');
        return {
          kind: 'response',
          id: null,
          ok: false,
          error: { code: 'rejected', message: 'foreign frame' },
        };
      }
      return deps.dispatch(raw);
    });

    win = new BrowserWindow({
      fullscreen: !deps.dev,
      kiosk: !deps.dev,
      autoHideMenuBar: true,
      backgroundColor: '#ffffff',
      webPreferences: webPreferences(deps),
    });
    const w = win;
    deps.subscribe((event) => {
      if (!w.isDestroyed()) w.webContents.send(IPC_EVENT, { kind: 'event', event });
    });

    let hang: NodeJS.Timeout | null = null;
    w.webContents.on('render-process-gone', (_e, details) => {
      deps.log.warn({ reason: details.reason }, 'renderer gone; reloading');
      w.webContents.reload();
    });
    w.on('unresponsive', () => {
      hang ??= setTimeout(() => {
        deps.log.warn({}, 'renderer hung; reloading');
        w.webContents.forcefullyCrashRenderer();
        w.webContents.reload();
        hang = null;
      }, HANG_RELOAD_MS);
    });
    w.on('responsive', () => {
      if (hang) clearTimeout(hang);
      hang = null;
    });
    if (!deps.dev) w.webContents.on('devtools-opened', () => w.webContents.closeDevTools());
    void w.loadURL(APP_INDEX_URL);
  });

  app.on('window-all-closed', () => app.quit());
}
