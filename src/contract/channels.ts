/** Electron IPC channel names: the preload uses exactly these and nothing else. */
export const IPC_REQUEST = 'madoguchi:request';
export const IPC_EVENT = 'madoguchi:event';
