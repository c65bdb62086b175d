// The Electron shell's policy, written against an injected `electron` module so unit tests can
// run it with a mock: a hardened fullscreen kiosk window over the one contract.
import type * as Electron from 'electron';
import { IPC_EVENT, IPC_REQUEST } from '../contract/channels.js';
import type { CoreEvent } from '../contract/envelope.js';
import { CONTENT_SECURITY_POLICY } from '../host/csp.js';

export interface ShellDeps {
  dispatch(raw: unknown): Promise<unknown>;
  subscribe(listener: (event: CoreEvent) => void): () => void;
  indexHtml: string;
  preload: string;
  /** Development flag: devtools allowed, not fullscreen. */
  dev: boolean;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/** How long the renderer may stay unresponsive before it is reloaded. */
export const HANG_RELOAD_MS = 10_000;

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
  const { app, BrowserWindow, ipcMain, session, powerSaveBlocker } = electron;

  if (!app.requestSingleInstanceLock()) {
    deps.log.warn({}, 'another kiosk instance is running; exiting');
    app.quit();
    return;
  }

  let win: Electron.BrowserWindow | null = null;

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (ev) => ev.preventDefault());
    contents.on('will-redirect', (ev) => ev.preventDefault());
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  app.on('second-instance', () => win?.focus());

  void app.whenReady().then(() => {
    const ses = session.defaultSession;
    ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    ses.setPermissionCheckHandler(() => false);
    ses.webRequest.onHeadersReceived((details, callback) =>
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } }),
    );
    powerSaveBlocker.start('prevent-display-sleep');

    ipcMain.handle(IPC_REQUEST, (event, raw: unknown) => {
      // Only the kiosk window's own top frame may speak the contract.
      if (!win || event.sender !== win.webContents || event.senderFrame !== win.webContents.mainFrame) {
        deps.log.warn({}, 'ipc: message from a foreign frame ignored');
        return { kind: 'response', id: null, ok: false, error: { code: 'rejected', message: 'foreign frame' } };
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
    void w.loadFile(deps.indexHtml);
  });

  app.on('window-all-closed', () => app.quit());
}
