// The Electron shell's policy against a mocked `electron` (the binary cannot run here).
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type * as Electron from 'electron';
import { downloadPath, runShell, webPreferences } from '../../src/electron/shell.js';
import { IPC_EVENT, IPC_REQUEST } from '../../src/contract/channels.js';

function fakeElectron(lock = true) {
  const app = Object.assign(new EventEmitter(), {
    requestSingleInstanceLock: vi.fn(() => lock),
    quit: vi.fn(),
    whenReady: vi.fn(() => Promise.resolve()),
  });
  const handlers = new Map<string, (...a: unknown[]) => unknown>();
  const ipcMain = { handle: vi.fn((ch: string, fn: (...a: unknown[]) => unknown) => handlers.set(ch, fn)) };
  const ses = Object.assign(new EventEmitter(), {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    webRequest: { onHeadersReceived: vi.fn() },
  });
  const windows: FakeWindow[] = [];
  class FakeWindow extends EventEmitter {
    mainFrame = { id: 'main' };
    webContents = Object.assign(new EventEmitter(), {
      mainFrame: this.mainFrame,
      send: vi.fn(),
      reload: vi.fn(),
      closeDevTools: vi.fn(),
      forcefullyCrashRenderer: vi.fn(),
    });
    loadFile = vi.fn(() => Promise.resolve());
    isDestroyed = () => false;
    focus = vi.fn();
    constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
      super();
      windows.push(this);
    }
  }
  const powerSaveBlocker = { start: vi.fn(() => 1) };
  const electron = {
    app,
    ipcMain,
    session: { defaultSession: ses },
    BrowserWindow: FakeWindow,
    powerSaveBlocker,
  } as unknown as typeof Electron;
  return { electron, app, ipcMain, handlers, ses, windows, powerSaveBlocker };
}

const log = { warn: vi.fn(), info: vi.fn() };

async function started(dev = false) {
  const f = fakeElectron();
  const listeners: ((e: unknown) => void)[] = [];
  const dispatch = vi.fn(async (raw: unknown) => ({ echoed: raw }));
  runShell(f.electron, {
    dispatch,
    subscribe: (l) => (listeners.push(l as (e: unknown) => void), () => {}),
    indexHtml: '/x/index.html',
    preload: '/x/preload.cjs',
    dev,
    log,
    exportDir: '/x/exports',
  });
  await Promise.resolve();
  await Promise.resolve();
  return { ...f, dispatch, listeners, win: f.windows[0]! };
}

describe('electron shell', () => {
  it('hardens the renderer', () => {
    const p = webPreferences({ preload: '/p.cjs', dev: false });
    expect(p).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      devTools: false,
      webSecurity: true,
    });
    expect(webPreferences({ preload: '/p.cjs', dev: true }).devTools).toBe(true);
  });

  it('quits when another instance holds the lock', () => {
    const f = fakeElectron(false);
    runShell(f.electron, {
      dispatch: vi.fn(),
      subscribe: () => () => {},
      indexHtml: '',
      preload: '',
      dev: false,
      log,
      exportDir: '/x/exports',
    });
    expect(f.app.quit).toHaveBeenCalled();
    expect(f.ipcMain.handle).not.toHaveBeenCalled();
  });

  it('opens one fullscreen kiosk window, keeps the display awake and denies permissions', async () => {
    const { win, ses, powerSaveBlocker } = await started();
    expect(win.options).toMatchObject({ fullscreen: true, kiosk: true });
    expect(win.loadFile).toHaveBeenCalledWith('/x/index.html');
    expect(powerSaveBlocker.start).toHaveBeenCalledWith('prevent-display-sleep');
    const onRequest = ses.setPermissionRequestHandler.mock.calls[0]![0] as (
      wc: unknown,
      p: string,
      cb: (ok: boolean) => void,
    ) => void;
    const cb = vi.fn();
    onRequest({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    const onHeaders = ses.webRequest.onHeadersReceived.mock.calls[0]![0] as (
      d: unknown,
      cb: (r: { responseHeaders: Record<string, string[]> }) => void,
    ) => void;
    onHeaders({ responseHeaders: {} }, (r) =>
      expect(r.responseHeaders['Content-Security-Policy']![0]).toContain("default-src 'none'"),
    );
  });

  it('blocks navigation, redirects, webviews and new windows in every web contents', async () => {
    const { app } = await started();
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    app.emit('web-contents-created', {}, contents);
    for (const ev of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = { preventDefault: vi.fn() };
      contents.emit(ev, e);
      expect(e.preventDefault, ev).toHaveBeenCalled();
    }
    const opener = contents.setWindowOpenHandler.mock.calls[0]![0] as () => { action: string };
    expect(opener()).toEqual({ action: 'deny' });
  });

  it('dispatches contract messages only from the kiosk window main frame', async () => {
    const { handlers, win, dispatch } = await started();
    const handle = handlers.get(IPC_REQUEST)!;
    await expect(handle({ sender: win.webContents, senderFrame: win.mainFrame }, { a: 1 })).resolves.toEqual({
      echoed: { a: 1 },
    });
    const foreign = await handle({ sender: win.webContents, senderFrame: { id: 'iframe' } }, { a: 2 });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'rejected' } });
    expect(dispatch).toHaveBeenCalledTimes(1);
  });

  it('forwards core events to the renderer and reloads a crashed or hung renderer', async () => {
    vi.useFakeTimers();
    const { win, listeners } = await started();
    listeners[0]!({ type: 'snapshot' });
    expect(win.webContents.send).toHaveBeenCalledWith(IPC_EVENT, {
      kind: 'event',
      event: { type: 'snapshot' },
    });
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
    expect(win.webContents.reload).toHaveBeenCalledTimes(1);
    win.emit('unresponsive');
    vi.advanceTimersByTime(10_001);
    expect(win.webContents.reload).toHaveBeenCalledTimes(2);
    win.emit('unresponsive');
    win.emit('responsive');
    vi.advanceTimersByTime(20_000);
    expect(win.webContents.reload).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
  });

  it('closes devtools in production', async () => {
    const { win } = await started(false);
    win.webContents.emit('devtools-opened');
    expect(win.webContents.closeDevTools).toHaveBeenCalled();
  });
});

describe('downloads', () => {
  it('saves exports in the export directory only, under a plain name, never over a file, and refuses anything else', () => {
    const taken = new Set(['/x/exports/journal-K-2026-11-30.csv']);
    const exists = (p: string) => taken.has(p);
    expect(downloadPath('/x/exports', 'madoguchi-K-2026-11-30.ndjson', exists)).toBe(
      '/x/exports/madoguchi-K-2026-11-30.ndjson',
    );
    expect(downloadPath('/x/exports', 'journal-K-2026-11-30.csv', exists)).toBe(
      '/x/exports/journal-K-2026-11-30-1.csv',
    );
    for (const bad of [
      '../journal.sqlite3',
      '/var/lib/madoguchi/journal.sqlite3',
      'journal.sqlite3',
      'x.csv/../../y.csv',
      '.hidden.csv',
      'report.exe',
      'a b.csv',
    ])
      expect(downloadPath('/x/exports', bad, exists), bad).toBeNull();
  });
});
