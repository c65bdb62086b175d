// The browser host: serves the built renderer over HTTP and the contract over a WebSocket, both
// bound to 127.0.0.1 only. Opening the WebSocket needs a per-launch session secret that only ever
// travels in an HttpOnly, SameSite=Strict cookie, so no other local program (or web page) can drive
// the kiosk. What is printed or handed to a browser is a URL with a one-time code, not the secret:
// the first GET with it sets the cookie and redirects to the same URL without it; a code used
// again, or older than a minute, is refused (403). A command line or history that shows the URL
// therefore shows nothing still usable.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../log/logger.js';
import type { Dispatch } from '../core/dispatcher.js';
import type { CoreEvent, EventEnvelope } from '../contract/index.js';
import { CONTENT_SECURITY_POLICY } from './csp.js';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
};

/** Largest contract message accepted; anything bigger is dropped with the connection. */
const MAX_MESSAGE_BYTES = 64 * 1024;
/** A client that leaves this much unread in its send buffer is not reading: it is dropped. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Requests one client may have in the dispatcher at once; more is flooding. */
const MAX_IN_FLIGHT = 64;

export interface BrowserHostOptions {
  dispatch: Dispatch;
  subscribe(listener: (event: CoreEvent) => void): () => void;
  /** Folder with the built renderer (index.html + assets). */
  rendererDir: string;
  port?: number;
  log: Logger;
  /** Fixed session secret for tests; default a fresh random one per launch. */
  token?: string;
  /** How long a one-time code may wait for its first use (default a minute). */
  codeTtlMs?: number;
  /** Clock of the codes' expiry (tests move it). */
  now?: () => number;
}

export interface BrowserHost {
  /** A fresh one-time URL each time it is read: the first GET of it sets the session cookie. */
  readonly url: string;
  /** http://127.0.0.1:<port>, the only origin the contract is opened to. */
  origin: string;
  port: number;
  /** `name=value` of the session cookie, for in-process tools that open the contract themselves. */
  cookie: string;
  close(): Promise<void>;
}

export const LOOPBACK = '127.0.0.1';
export const SESSION_COOKIE = 'madoguchi_session';
export const CODE_PARAM = 'code';
const CODE_TTL_MS = 60_000;

/** The value of one cookie in a Cookie header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function tokenMatches(expected: string, given: string | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const { log } = opts;
  const now = opts.now ?? Date.now;
  const ttl = opts.codeTtlMs ?? CODE_TTL_MS;
  /** Unused one-time codes and when each expires. */
  const codes = new Map<string, number>();
  const mintCode = () => {
    for (const [c, until] of codes) if (until <= now()) codes.delete(c);
    const code = randomBytes(18).toString('base64url');
    codes.set(code, now() + ttl);
    return code;
  };
  /** Takes a one-time code: true once, for a code minted here and not yet expired. */
  const takeCode = (code: string) => {
    const until = codes.get(code);
    codes.delete(code);
    return until !== undefined && until > now();
  };

  const server: Server = createServer((req, res) => {
    res.on('error', () => undefined);
    // DNS rebinding: a page of another site resolved to 127.0.0.1 still names its own host.
    if (!hostAllowed(req.headers.host, port())) {
      log.warn(
        { host: String(req.headers.host ?? '').slice(0, 64) },
        'browser host: refused a request for another host',
      );
      res
        .writeHead(421, { 'content-type': 'text/plain', 'cache-control': 'no-store' })
        .end('misdirected request');
      return;
    }
    const code = parseRequestUrl(req.url)?.searchParams.get(CODE_PARAM);
    if (code !== null && code !== undefined) return exchange(code, req, res);
    serveStatic(opts.rendererDir, req)
      .catch(() => ({ status: 500, type: 'text/plain', body: 'internal error' }))
      .then(({ status, type, body }) => {
        if (res.headersSent || res.destroyed) return;
        res.writeHead(status, {
          'content-type': type,
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          'cache-control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      })
      .catch(() => res.destroy());
  });
  /** A one-time code: the session cookie and a redirect to the same URL without the code, or 403. */
  function exchange(code: string, req: IncomingMessage, res: import('node:http').ServerResponse) {
    const headers = {
      'content-type': 'text/plain',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    };
    if (req.method !== 'GET') return void res.writeHead(405, headers).end('method not allowed');
    if (!takeCode(code)) {
      log.warn('browser host: refused a used, expired or unknown one-time code');
      return void res.writeHead(403, headers).end('this link was already used or has expired');
    }
    const url = parseRequestUrl(req.url)!;
    url.searchParams.delete(CODE_PARAM);
    res
      .writeHead(303, {
        ...headers,
        location: url.pathname + url.search,
        'set-cookie': `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      })
      .end();
  }

  // Unparseable requests (bad request line, oversized or malformed headers): a 4xx, never a throw.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return void socket.destroy();
    const status =
      err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    // A reset from the client must not become an unhandled 'error' event.
    socket.on('error', () => socket.destroy());
    const refuse = (status: string, why: string, detail: Record<string, unknown> = {}) => {
      log.warn({ ...detail, why }, 'browser host: refused WebSocket upgrade');
      if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      else socket.destroy();
    };
    const url = parseRequestUrl(req.url);
    if (!url) return refuse('400 Bad Request', 'malformed URL');
    const origin = req.headers.origin;
    const sameOrigin = !origin || origin === `http://${LOOPBACK}:${port()}`;
    if (!hostAllowed(req.headers.host, port()))
      return refuse('421 Misdirected Request', 'another host', {
        host: String(req.headers.host ?? '').slice(0, 64),
      });
    const session = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (url.pathname !== '/contract' || !tokenMatches(token, session) || !sameOrigin) {
      return refuse('401 Unauthorized', 'no valid session cookie', {
        path: url.pathname.slice(0, 64),
        origin: typeof origin === 'string' ? origin.slice(0, 64) : undefined,
      });
    }
    try {
      wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
    } catch {
      refuse('400 Bad Request', 'malformed upgrade');
    }
  });
  wss.on('error', (err) => log.warn({ err: err.message }, 'browser host: WebSocket server error'));

  function attach(ws: WebSocket) {
    let inFlight = 0;
    // Backpressure: a client that does not read its replies is dropped, never buffered without bound.
    const send = (msg: unknown) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        log.warn({ bufferedBytes: ws.bufferedAmount }, 'browser host: dropped a client that does not read');
        ws.terminate();
        return;
      }
      ws.send(JSON.stringify(msg));
    };
    const unsubscribe = opts.subscribe((event) => send({ kind: 'event', event } satisfies EventEnvelope));
    ws.on('message', (data, isBinary) => {
      if (inFlight >= MAX_IN_FLIGHT) {
        log.warn({ inFlight }, 'browser host: dropped a client flooding requests');
        ws.terminate();
        return;
      }
      let parsed: unknown;
      try {
        parsed = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        parsed = undefined;
      }
      inFlight++;
      void opts
        .dispatch(parsed)
        .then(send, () => undefined)
        .finally(() => inFlight--);
    });
    ws.on('close', unsubscribe);
    ws.on('error', (err) => log.warn({ err: err.message }, 'browser host: socket error'));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, LOOPBACK, () => resolve());
  });
  const port = () => (server.address() as AddressInfo).port;
  const origin = `http://${LOOPBACK}:${port()}`;
  log.info({ port: port() }, 'browser host listening on loopback');

  return {
    get url() {
      return `${origin}/?${CODE_PARAM}=${mintCode()}`;
    },
    origin,
    port: port(),
    cookie: `${SESSION_COOKIE}=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Only this host by its loopback address and port: anything else is a rebound or misdirected name. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `${LOOPBACK}:${port}`;
}

/** The request target as a URL on this host, or null when it is not an origin-form path ("//[", "*", "http://x/"). */
export function parseRequestUrl(target: string | undefined): URL | null {
  if (!target || !target.startsWith('/') || target.startsWith('//')) return null;
  try {
    return new URL(target, `http://${LOOPBACK}`);
  } catch {
    return null;
  }
}

type StaticReply = { status: number; type: string; body: Buffer | string };

async function serveStatic(root: string, req: IncomingMessage): Promise<StaticReply> {
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return { status: 405, type: 'text/plain', body: 'method not allowed' };
  const url = parseRequestUrl(req.url);
  if (!url) return { status: 400, type: 'text/plain', body: 'bad request' };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { status: 400, type: 'text/plain', body: 'bad request' };
  }
  if (pathname.includes('\0')) return { status: 400, type: 'text/plain', body: 'bad request' };
  const rel = normalize(pathname === '/' ? '/index.html' : pathname);
  const file = join(root, rel);
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep))
    return { status: 403, type: 'text/plain', body: 'forbidden' };
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error('not a file');
    return {
      status: 200,
      type: MIME[extname(file)] ?? 'application/octet-stream',
      body: await readFile(file),
    };
  } catch {
    return { status: 404, type: 'text/plain', body: 'not found' };
  }
}
