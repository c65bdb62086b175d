export * from './snapshot.js';
export * from './commands.js';
export * from './envelope.js';
export * from './bridge.js';
export * from './technician.js';
export * from './views.js';
export * from './layout.js';
