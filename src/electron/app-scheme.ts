// The renderer's origin in the Electron shell: madoguchi://app/, a privileged standard scheme whose
// handler serves renderer/dist and nothing else (no file:// origin, where every local file would be
// same-origin with the page). Pure parts are exported for tests; the shell wires them to Electron.
import type * as Electron from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../host/csp.js';

export const APP_SCHEME = 'madoguchi';
export const APP_HOST = 'app';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The shell's policy: the browser host's, with no WebSocket (the Electron renderer talks over IPC). */
export const SHELL_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.split('; ')
  .map((d) => (d.startsWith('connect-src ') ? "connect-src 'self'" : d))
  .join('; ');

/** Must run before the app is ready: a standard, secure origin with fetch, code cache and media streaming. */
export function registerAppScheme(protocol: Pick<Electron.Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true, stream: true },
    },
  ]);
}

/** Whether a URL is on the app's own origin (the only place the window may navigate). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** The file under `root` an app URL names, or null for any other origin, a traversal or an odd name. */
export function appFilePath(root: string, url: string): string | null {
  if (!isAppUrl(url)) return null;
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (path === '/' || path === '') path = '/index.html';
  const segments = path.split('/').slice(1);
  if (path.includes('\0') || path.includes('\\') || segments.some((s) => s === '' || s.startsWith('.')))
    return null;
  const base = resolve(root);
  const file = resolve(base, ...segments);
  return file.startsWith(base + sep) ? file : null;
}

/** What the renderer is built of; anything else is not served. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.wav': 'audio/wav',
  '.webm': 'audio/webm',
};

/** The protocol.handle handler: GET/HEAD of renderer files, 404 for anything else. */
export function appRequestHandler(
  root: string,
  read: (path: string) => Promise<Uint8Array> = readFile,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
    const file = appFilePath(root, request.url);
    const type = file ? CONTENT_TYPES[extname(file).toLowerCase()] : undefined;
    if (!file || !type) return new Response(null, { status: 404 });
    let body: Uint8Array;
    try {
      body = await read(file);
    } catch {
      return new Response(null, { status: 404 });
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type': type,
        'Content-Security-Policy': SHELL_CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  };
}
