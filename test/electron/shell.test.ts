// The Electron shell's policy against a mocked `electron` (the binary cannot run here).
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type * as Electron from 'electron';
import { downloadPath, runShell, webPreferences } from '../../src/electron/shell.js';
import {
  APP_INDEX_URL,
  SHELL_CONTENT_SECURITY_POLICY,
  appFilePath,
  appRequestHandler,
  isAppUrl,
  registerAppScheme,
} from '../../src/electron/app-scheme.js';
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
    mainFrame = { id: 'main', url: APP_INDEX_URL };
    webContents = Object.assign(new EventEmitter(), {
      mainFrame: this.mainFrame,
      send: vi.fn(),
      reload: vi.fn(),
      closeDevTools: vi.fn(),
      forcefullyCrashRenderer: vi.fn(),
    });
    loadURL = vi.fn(() => Promise.resolve());
    isDestroyed = () => false;
    focus = vi.fn();
    constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
      super();
      windows.push(this);
    }
  }
  const powerSaveBlocker = { start: vi.fn(() => 1) };
  const protocol = { handle: vi.fn() };
  const electron = {
    app,
    ipcMain,
    session: { defaultSession: ses },
    BrowserWindow: FakeWindow,
    powerSaveBlocker,
    protocol,
  } as unknown as typeof Electron;
  return { electron, app, ipcMain, handlers, ses, windows, powerSaveBlocker, protocol };
}

const log = { warn: vi.fn(), info: vi.fn() };

async function started(dev = false) {
  const f = fakeElectron();
  const listeners: ((e: unknown) => void)[] = [];
  const dispatch = vi.fn(async (raw: unknown) => ({ echoed: raw }));
  runShell(f.electron, {
    dispatch,
    subscribe: (l) => (listeners.push(l as (e: unknown) => void), () => {}),
    rendererDir: '/x/renderer',
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
      rendererDir: '',
      preload: '',
      dev: false,
      log,
      exportDir: '/x/exports',
    });
    expect(f.app.quit).toHaveBeenCalled();
    expect(f.ipcMain.handle).not.toHaveBeenCalled();
  });

  it('opens one fullscreen kiosk window on the app scheme, keeps the display awake and denies permissions', async () => {
    const { win, ses, powerSaveBlocker, protocol } = await started();
    expect(win.options).toMatchObject({ fullscreen: true, kiosk: true });
    expect(win.loadURL).toHaveBeenCalledWith('madoguchi://app/index.html');
    expect(protocol.handle).toHaveBeenCalledWith('madoguchi', expect.any(Function));
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
    onHeaders({ responseHeaders: {} }, (r) => {
      expect(r.responseHeaders['Content-Security-Policy']![0]).toContain("default-src 'none'");
      expect(r.responseHeaders['Content-Security-Policy']![0]).not.toContain('ws:');
    });
  });

  it('keeps navigation and redirects on the app origin and blocks webviews and new windows', async () => {
    const { app } = await started();
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    app.emit('web-contents-created', {}, contents);
    for (const ev of ['will-navigate', 'will-redirect', 'will-attach-webview'])
      for (const url of [
        'https://example.com/',
        'file:///etc/passwd',
        'madoguchi://other/index.html',
        'madoguchi://user@app/index.html',
      ]) {
        const e = { preventDefault: vi.fn(), url };
        contents.emit(ev, e);
        expect(e.preventDefault, `${ev} ${url}`).toHaveBeenCalled();
      }
    for (const ev of ['will-navigate', 'will-redirect']) {
      const e = { preventDefault: vi.fn(), url: 'madoguchi://app/index.html' };
      contents.emit(ev, e);
      expect(e.preventDefault, ev).not.toHaveBeenCalled();
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
    // The main frame after it somehow left the app's origin.
    win.mainFrame.url = 'https://example.com/';
    const away = await handle({ sender: win.webContents, senderFrame: win.mainFrame }, { a: 3 });
    expect(away).toMatchObject({ ok: false, error: { code: 'rejected' } });
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

describe('the madoguchi:// scheme', () => {
  const root = mkdtempSync(join(tmpdir(), 'madoguchi-renderer-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>窓口</title>');
  writeFileSync(join(root, 'assets', 'index-1.js'), 'export {};');
  writeFileSync(join(root, 'assets', 'notes.txt'), 'not part of the renderer');
  const outside = join(root, '..', `secret-${process.pid}.js`);
  writeFileSync(outside, 'secret');
  const serve = appRequestHandler(root);
  const get = (url: string, method = 'GET') => serve(new Request(url, { method }));

  it('is registered privileged: standard and secure, with fetch and streaming', () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn() };
    registerAppScheme(protocol);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      {
        scheme: 'madoguchi',
        privileges: expect.objectContaining({
          standard: true,
          secure: true,
          supportFetchAPI: true,
          stream: true,
        }),
      },
    ]);
  });

  it('serves the renderer with its type and the shell policy', async () => {
    for (const url of ['madoguchi://app/', 'madoguchi://app/index.html']) {
      const r = await get(url);
      expect(r.status, url).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(r.headers.get('content-security-policy')).toBe(SHELL_CONTENT_SECURITY_POLICY);
      expect(await r.text()).toContain('窓口');
    }
    const js = await get('madoguchi://app/assets/index-1.js?v=1');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('export {};');
    expect((await get('madoguchi://app/index.html', 'HEAD')).status).toBe(200);
    expect(SHELL_CONTENT_SECURITY_POLICY).toContain("connect-src 'self';");
    expect(SHELL_CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
  });

  it('refuses traversal, other hosts, unknown kinds of file, missing files and writes', async () => {
    const name = `secret-${process.pid}.js`;
    for (const url of [
      `madoguchi://app/../${name}`,
      `madoguchi://app/%2e%2e/${name}`,
      `madoguchi://app/assets/..%2f..%2f${name}`,
      `madoguchi://app/assets/%2e%2e%5c..%5c${name}`,
      'madoguchi://app/assets/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
      'madoguchi://app/%00index.html',
      'madoguchi://app/assets/notes.txt',
      'madoguchi://app/assets/',
      'madoguchi://app/missing.js',
      'madoguchi://other/index.html',
    ]) {
      const r = await get(url);
      expect(r.status, url).toBe(404);
      expect(await r.text()).not.toContain('secret');
    }
    expect((await get('madoguchi://app/index.html', 'POST')).status).toBe(405);
    expect(appFilePath(root, 'madoguchi://app/assets/index-1.js')).toBe(join(root, 'assets', 'index-1.js'));
    expect(appFilePath(root, `madoguchi://app/assets/..%2f..%2f${name}`)).toBeNull();
    expect(appFilePath(root, 'file:///etc/passwd')).toBeNull();
    expect(appFilePath(root, 'madoguchi://user@app/index.html')).toBeNull();
    expect(isAppUrl('madoguchi://app/x')).toBe(true);
    expect(isAppUrl('madoguchi://app.evil/x')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});
