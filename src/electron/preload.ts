// The preload exposes exactly the contract — one request function and one event subscription on
// the two contract channels — and nothing else of Electron or Node to the sandboxed renderer.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_REQUEST, type RawBridge } from '../contract/envelope-channels.js';

const bridge: RawBridge = {
  request: (envelope: unknown) => ipcRenderer.invoke(IPC_REQUEST, envelope),
  onEvent(listener: (envelope: unknown) => void) {
    const handler = (_e: IpcRendererEvent, envelope: unknown) => listener(envelope);
    ipcRenderer.on(IPC_EVENT, handler);
    return () => void ipcRenderer.removeListener(IPC_EVENT, handler);
  },
};

contextBridge.exposeInMainWorld('madoguchi', bridge);
