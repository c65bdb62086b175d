// Random and mutated traffic for the browser host: raw HTTP requests (good ones bent out of
// shape, and plain garbage), WebSocket upgrades, and contract messages. Seeded, so a run that
// finds something can be replayed with the same --seed.
export type Rng = () => number;

/** mulberry32: small, fast, good enough to pick mutations. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (rng: Rng, n: number) => Math.floor(rng() * n);
export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)]!;

const TARGETS = [
  '/',
  '/index.html',
  '/assets/x.js',
  '/%zz',
  '/%',
  '/%e0%a4%a',
  '//[',
  '//',
  '/..%2f..%2fetc%2fpasswd',
  '/%00',
  '*',
  'http://evil.example/',
  '/contract',
  '/contract?code=',
  '/?code=',
  '/?code=%',
  '/\u0000',
  '/' + '%41'.repeat(3000),
];
const METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'OPTIONS',
  'CONNECT',
  'TRACE',
  'G\u00e9T',
  '',
  'GET GET',
];
const VERSIONS = ['HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1.1 extra', '', 'HTTX/1.1'];

function randomBytes(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(int(rng, 256));
  return s;
}

/** Flip, insert or delete a few characters. */
export function mutate(rng: Rng, s: string): string {
  let out = s;
  for (let k = int(rng, 4) + 1; k > 0; k--) {
    const at = int(rng, out.length + 1);
    const op = int(rng, 4);
    if (op === 0) out = out.slice(0, at) + randomBytes(rng, int(rng, 8) + 1) + out.slice(at);
    else if (op === 1) out = out.slice(0, at) + out.slice(at + int(rng, 8) + 1);
    else if (op === 2)
      out =
        out.slice(0, at) +
        pick(rng, ['%', '\r\n', '\u0000', '..', '/', '?', '#', '[', ' ', ':']) +
        out.slice(at);
    else out = out.slice(0, at) + out.slice(at, at + 16).repeat(int(rng, 50) + 1) + out.slice(at + 16);
  }
  return out;
}

/** One raw HTTP request: a plausible one, bent; or an upgrade; or garbage. */
/** `code`: a one-time code of the host, sometimes sent as is (used once, then refused), sometimes bent. */
export function httpRequest(rng: Rng, code: string): string {
  const kind = int(rng, 10);
  if (kind === 0) return randomBytes(rng, int(rng, 400) + 1);
  const target =
    kind < 4
      ? mutate(rng, pick(rng, TARGETS))
      : pick(rng, TARGETS).replace('code=', `code=${rng() < 0.5 ? code : mutate(rng, code)}`);
  const method = rng() < 0.8 ? 'GET' : pick(rng, METHODS);
  const version = rng() < 0.85 ? 'HTTP/1.1' : pick(rng, VERSIONS);
  const headers = ['Host: 127.0.0.1'];
  if (rng() < 0.4)
    headers.push(
      'Connection: Upgrade',
      'Upgrade: websocket',
      `Sec-WebSocket-Version: ${pick(rng, ['13', '8', '99', '', 'x'])}`,
      `Sec-WebSocket-Key: ${pick(rng, ['dGhlIHNhbXBsZSBub25jZQ==', '', 'x', mutate(rng, 'dGhlIHNhbXBsZSBub25jZQ==')])}`,
    );
  if (rng() < 0.2)
    headers.push(
      `Origin: ${pick(rng, ['http://evil.example', 'null', '', mutate(rng, 'http://127.0.0.1')])}`,
    );
  if (rng() < 0.15) headers.push(`X-${randomBytes(rng, 4)}: ${randomBytes(rng, int(rng, 100))}`);
  if (rng() < 0.05) headers.push(`X-Big: ${'a'.repeat(20_000 + int(rng, 60_000))}`);
  if (rng() < 0.1) headers.push(`Content-Length: ${pick(rng, ['-1', '99999999999', 'abc', '5'])}`);
  if (rng() < 0.1) headers.push('Transfer-Encoding: chunked');
  const head = `${method} ${target} ${version}\r\n${headers.join('\r\n')}\r\nConnection: close\r\n\r\n`;
  const body = rng() < 0.1 ? randomBytes(rng, int(rng, 200)) : '';
  return kind < 2 ? mutate(rng, head) + body : head + body;
}

const COMMANDS = ['hello', 'setLanguage', 'input', 'demo', 'technician', 'nope', '__proto__', 'constructor'];
const VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  '',
  'x'.repeat(1000),
  [],
  {},
  { __proto__: { a: 1 } },
  [[[[[]]]]],
  'ja',
  'en',
  { type: 'START' },
  { type: 'CANCEL' },
  { type: 'PIN_SUBMIT', pin: '0000' },
];

/** One WebSocket message: a contract request with random parts, a mutated valid one, or junk. */
export function contractMessage(rng: Rng): string | Buffer {
  const kind = int(rng, 6);
  if (kind === 0) return Buffer.from(randomBytes(rng, int(rng, 300)), 'latin1');
  if (kind === 1) return randomBytes(rng, int(rng, 300));
  const env: Record<string, unknown> = {
    kind: rng() < 0.9 ? 'request' : pick(rng, VALUES),
    id: rng() < 0.9 ? int(rng, 1e6) : pick(rng, VALUES),
    command: pick(rng, COMMANDS),
    payload:
      rng() < 0.5
        ? {
            language: pick(rng, VALUES),
            input: pick(rng, VALUES),
            action: pick(rng, VALUES),
            request: pick(rng, VALUES),
          }
        : pick(rng, VALUES),
  };
  const text = JSON.stringify(env);
  return kind === 2 ? mutate(rng, text) : text;
}
