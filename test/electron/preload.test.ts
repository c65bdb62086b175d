// The preload exposes exactly the contract's two functions and nothing else.
import { describe, expect, it, vi } from 'vitest';

const exposed: Record<string, unknown> = {};
const ipcRenderer = { invoke: vi.fn(async () => 'reply'), on: vi.fn(), removeListener: vi.fn() };
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer,
}));

describe('preload', () => {
  it('exposes window.madoguchi with request and onEvent only, over the contract channels', async () => {
    await import('../../src/electron/preload.js');
    expect(Object.keys(exposed)).toEqual(['madoguchi']);
    const api = exposed.madoguchi as {
      request(e: unknown): Promise<unknown>;
      onEvent(l: (e: unknown) => void): () => void;
    };
    expect(Object.keys(api).sort()).toEqual(['onEvent', 'request']);
    await expect(api.request({ x: 1 })).resolves.toBe('reply');
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('madoguchi:request', { x: 1 });
    const listener = vi.fn();
    const off = api.onEvent(listener);
    const [channel, handler] = ipcRenderer.on.mock.calls[0] as unknown as [
      string,
      (e: unknown, env: unknown) => void,
    ];
    expect(channel).toBe('madoguchi:event');
    handler({ sender: 'ignored' }, { kind: 'event' });
    expect(listener).toHaveBeenCalledWith({ kind: 'event' });
    off();
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('madoguchi:event', handler);
  });
});
