// The browser host: serves the built renderer over HTTP and the contract over a WebSocket, both
// bound to 127.0.0.1 only. A random per-launch token is required to open the WebSocket, so no
// other local program (or web page) can drive the kiosk.
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

export interface BrowserHostOptions {
  dispatch: Dispatch;
  subscribe(listener: (event: CoreEvent) => void): () => void;
  /** Folder with the built renderer (index.html + assets). */
  rendererDir: string;
  port?: number;
  log: Logger;
  /** Fixed token for tests; default a fresh random one per launch. */
  token?: string;
}

export interface BrowserHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const LOOPBACK = '127.0.0.1';

export function tokenMatches(expected: string, given: string | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const { log } = opts;

  const server: Server = createServer((req, res) => {
    void serveStatic(opts.rendererDir, req).then(({ status, type, body }) => {
      res.writeHead(status, {
        'content-type': type,
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      res.end(body);
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
    const origin = req.headers.origin;
    const sameOrigin = !origin || origin === `http://${LOOPBACK}:${port()}`;
    if (url.pathname !== '/contract' || !tokenMatches(token, url.searchParams.get('token')) || !sameOrigin) {
      log.warn({ path: url.pathname, origin }, 'browser host: refused WebSocket without a valid token');
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket) {
    const send = (msg: unknown) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(msg));
    const unsubscribe = opts.subscribe((event) => send({ kind: 'event', event } satisfies EventEnvelope));
    ws.on('message', (data, isBinary) => {
      let parsed: unknown;
      try {
        parsed = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        parsed = undefined;
      }
      void opts.dispatch(parsed).then(send);
    });
    ws.on('close', unsubscribe);
    ws.on('error', (err) => log.warn({ err }, 'browser host: socket error'));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, LOOPBACK, () => resolve());
  });
  const port = () => (server.address() as AddressInfo).port;
  const url = `http://${LOOPBACK}:${port()}/?token=${token}`;
  log.info({ port: port() }, 'browser host listening on loopback');

  return {
    url,
    port: port(),
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serveStatic(root: string, req: IncomingMessage): Promise<{ status: number; type: string; body: Buffer | string }> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, type: 'text/plain', body: 'method not allowed' };
  const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const rel = normalize(pathname === '/' ? '/index.html' : pathname);
  const file = join(root, rel);
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return { status: 403, type: 'text/plain', body: 'forbidden' };
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error('not a file');
    return { status: 200, type: MIME[extname(file)] ?? 'application/octet-stream', body: await readFile(file) };
  } catch {
    return { status: 404, type: 'text/plain', body: 'not found' };
  }
}
