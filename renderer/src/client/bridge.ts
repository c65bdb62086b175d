// The renderer's side of the contract: a typed client over either transport. In Electron the
// preload provides window.madoguchi (raw envelopes); in a browser we open the host's WebSocket.
import { z } from 'zod';
import {
  EventEnvelope,
  ResponseEnvelope,
  type CommandName,
  type CommandRequest,
  type CommandResponse,
  type CoreEvent,
  type KioskBridge,
  type RawBridge,
} from '../../../src/contract/index.js';

declare global {
  interface Window {
    madoguchi?: RawBridge;
  }
}

/** What the core sends: checked against the contract's schemas, so nothing past here is cast. */
const Envelope = z.union([ResponseEnvelope, EventEnvelope]);

/** The transport as the page uses it: the contract's bridge, and whether the core is reachable now. */
export interface PageBridge extends KioskBridge {
  /** false when the core went away (the page shows that it is reconnecting), true once it is back. */
  onConnection(listener: (connected: boolean) => void): () => void;
}

export class ContractError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function typedBridge(
  send: (env: unknown) => void,
  on: (cb: (env: unknown) => void) => void,
  onReset?: (failPending: () => void) => void,
): KioskBridge {
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const listeners = new Set<(e: CoreEvent) => void>();
  on((raw) => {
    const parsed = Envelope.safeParse(raw);
    if (!parsed.success) {
      console.error('a message from the core that the contract does not describe was dropped');
      return;
    }
    const env = parsed.data;
    if (env.kind === 'event') for (const l of listeners) l(env.event);
    else if (typeof env.id === 'number') {
      const p = pending.get(env.id);
      pending.delete(env.id);
      if (!p) return;
      if (env.ok) p.resolve(env.result);
      else p.reject(new ContractError(env.error.code, env.error.message));
    }
  });
  onReset?.(() => {
    for (const p of pending.values()) p.reject(new ContractError('disconnected', 'the kiosk core restarted'));
    pending.clear();
  });
  return {
    call<C extends CommandName>(command: C, payload: CommandRequest<C>): Promise<CommandResponse<C>> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        send({ kind: 'request', id, command, payload });
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * In Electron the core runs in the main process that owns this window: it cannot go away while the page
 * lives. When it restarts, the whole app is relaunched and this page with it (a crashed renderer is
 * reloaded by the shell); either way the preload subscribes afresh and the page starts with `hello`.
 */
export function connectElectron(raw: RawBridge): PageBridge {
  let deliver: (env: unknown) => void = () => {};
  const bridge = typedBridge(
    (env) => void raw.request(env).then((r) => deliver(r)),
    (cb) => (deliver = cb),
  );
  raw.onEvent((env) => deliver(env));
  return { ...bridge, onConnection: () => () => undefined };
}

/** Reconnect delays after the core went away (a restart): quick first, then every few seconds. */
const BACKOFF_MS = [250, 500, 1000, 2000, 4000];
/** After this many failed attempts the page reloads, starting over with whatever core now answers. */
const RELOAD_AFTER = 8;

/**
 * The browser host's WebSocket, kept open: when the core restarts the socket is reopened with
 * backoff, calls in flight fail at once (nothing waits on a dead socket), and the first thing after
 * a reconnect is a fresh snapshot, so the screen follows the core and never shows a stale amount.
 */
export function connectWebSocket(url: string, opts: { reload?: () => void } = {}): Promise<PageBridge> {
  return new Promise((resolve, reject) => {
    const connection = new Set<(connected: boolean) => void>();
    let connected = false;
    const tell = (up: boolean) => {
      if (up === connected) return;
      connected = up;
      for (const l of connection) l(up);
    };
    const queue: unknown[] = [];
    let ws: WebSocket;
    let deliver: (env: unknown) => void = () => {};
    let opened = false;
    let failures = 0;
    let failPending = () => {};
    const bridge = typedBridge(
      // While reconnecting a call fails at once: a tap on a screen the core may have left is not replayed later.
      (env) =>
        ws.readyState === WebSocket.OPEN
          ? ws.send(JSON.stringify(env))
          : opened
            ? failPending()
            : queue.push(env),
      (cb) => (deliver = cb),
      (fail) => (failPending = fail),
    );
    const page: PageBridge = {
      ...bridge,
      onConnection(listener) {
        connection.add(listener);
        return () => void connection.delete(listener);
      },
    };
    const resync = () =>
      void bridge
        .call('hello', {})
        .then((r) => deliver({ kind: 'event', event: { type: 'snapshot', snapshot: r.snapshot } }))
        .catch(() => undefined);
    const open = () => {
      ws = new WebSocket(url);
      ws.onmessage = (m) => deliver(JSON.parse(String(m.data)));
      ws.onopen = () => {
        failures = 0;
        for (const q of queue.splice(0)) ws.send(JSON.stringify(q));
        tell(true);
        if (opened) resync();
        opened = true;
        resolve(page);
      };
      // A failed attempt also closes: the close handler decides what comes next.
      ws.onerror = () => undefined;
      ws.onclose = () => {
        if (!opened) return reject(new Error('cannot reach the kiosk core'));
        // Requests sent on the dead socket will never be answered; the page stops showing the old screen.
        tell(false);
        failPending();
        queue.length = 0;
        failures++;
        if (failures > RELOAD_AFTER) return (opts.reload ?? (() => location.reload()))();
        setTimeout(open, BACKOFF_MS[Math.min(failures - 1, BACKOFF_MS.length - 1)]);
      };
    };
    open();
  });
}

/** Picks the transport this page was loaded in. */
export async function connect(): Promise<PageBridge> {
  if (window.madoguchi) return connectElectron(window.madoguchi);
  // The browser sends the host's HttpOnly session cookie with the upgrade; the page never sees it.
  return connectWebSocket(`ws://${location.host}/contract`);
}
