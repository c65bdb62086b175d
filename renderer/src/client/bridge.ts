// The renderer's side of the contract: a typed client over either transport. In Electron the
// preload provides window.madoguchi (raw envelopes); in a browser we open the host's WebSocket.
import type { CommandName, CommandRequest, CommandResponse, CoreEvent, KioskBridge, RawBridge } from '../../../src/contract/index.js';

declare global {
  interface Window {
    madoguchi?: RawBridge;
  }
}

interface Envelope {
  kind: 'response' | 'event';
  id?: number | null;
  ok?: boolean;
  result?: unknown;
  error?: { code: string; message: string };
  event?: CoreEvent;
}

export class ContractError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function typedBridge(send: (env: unknown) => void, on: (cb: (env: Envelope) => void) => void): KioskBridge {
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const listeners = new Set<(e: CoreEvent) => void>();
  on((env) => {
    if (env.kind === 'event' && env.event) for (const l of listeners) l(env.event);
    else if (env.kind === 'response' && typeof env.id === 'number') {
      const p = pending.get(env.id);
      pending.delete(env.id);
      if (!p) return;
      if (env.ok) p.resolve(env.result);
      else p.reject(new ContractError(env.error?.code ?? 'internal', env.error?.message ?? 'error'));
    }
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

export function connectElectron(raw: RawBridge): KioskBridge {
  let deliver: (env: Envelope) => void = () => {};
  const bridge = typedBridge(
    (env) => void raw.request(env).then((r) => deliver(r as Envelope)),
    (cb) => (deliver = cb),
  );
  raw.onEvent((env) => deliver(env as Envelope));
  return bridge;
}

export function connectWebSocket(url: string): Promise<KioskBridge> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const queue: unknown[] = [];
    let deliver: (env: Envelope) => void = () => {};
    const bridge = typedBridge(
      (env) => (ws.readyState === WebSocket.OPEN ? ws.send(JSON.stringify(env)) : queue.push(env)),
      (cb) => (deliver = cb),
    );
    ws.onmessage = (m) => deliver(JSON.parse(String(m.data)) as Envelope);
    ws.onopen = () => {
      for (const q of queue.splice(0)) ws.send(JSON.stringify(q));
      resolve(bridge);
    };
    ws.onerror = () => reject(new Error('cannot reach the kiosk core'));
  });
}

/** Picks the transport this page was loaded in. */
export async function connect(): Promise<KioskBridge> {
  if (window.madoguchi) return connectElectron(window.madoguchi);
  const token = new URLSearchParams(location.search).get('token') ?? '';
  return connectWebSocket(`ws://${location.host}/contract?token=${encodeURIComponent(token)}`);
}
