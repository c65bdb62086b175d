// What a host exposes to the renderer (window.madoguchi in Electron, a WebSocket client in the
// browser). Typed from the command table so the preload and the renderer cannot drift apart.
import type { CommandName, CommandRequest, CommandResponse } from './commands.js';
import type { CoreEvent } from './envelope.js';

export interface KioskBridge {
  call<C extends CommandName>(command: C, payload: CommandRequest<C>): Promise<CommandResponse<C>>;
  onEvent(listener: (event: CoreEvent) => void): () => void;
}

/** The raw shape the Electron preload puts on window: untyped bytes in, the client types them. */
export interface RawBridge {
  request(envelope: unknown): Promise<unknown>;
  onEvent(listener: (envelope: unknown) => void): () => void;
}
