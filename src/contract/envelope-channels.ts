// Dependency-free re-export for the sandboxed preload (which cannot afford zod in its bundle).
export { IPC_EVENT, IPC_REQUEST } from './channels.js';
export type { RawBridge } from './bridge.js';
