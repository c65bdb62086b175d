// The kiosk core: owns the session, devices and journal; exposes the contract's handlers and
// a stream of snapshots. Plain TypeScript: no Electron, no DOM.
import type { CoreEvent, Language, Snapshot, UiConfig } from '../contract/index.js';
import type { Config } from '../config/schema.js';
import { usesSimulators } from '../config/load.js';
import type { Logger } from '../log/logger.js';
import { CommandRejected, type CommandHandlers } from './dispatcher.js';

export interface KioskCore {
  readonly handlers: CommandHandlers;
  subscribe(listener: (event: CoreEvent) => void): () => void;
  snapshot(): Snapshot;
  stop(): Promise<void>;
}

export function createKioskCore(config: Config, log: Logger): KioskCore {
  const listeners = new Set<(e: CoreEvent) => void>();
  const demo = usesSimulators(config);
  let seq = 0;
  let current: Snapshot = {
    state: 'idle',
    screen: 'idle',
    language: config.ui.defaultLanguage,
    seq,
    step: null,
    timeoutWarning: null,
    view: {},
    demo,
  };

  const publish = (next: Omit<Snapshot, 'seq'>) => {
    current = { ...next, seq: ++seq };
    for (const l of listeners) l({ type: 'snapshot', snapshot: current });
  };

  const ui: UiConfig = {
    languages: config.ui.languages,
    shufflePinPad: config.ui.shufflePinPad,
    demo,
    kioskName: config.kiosk.name,
    demoCards: [],
  };

  const handlers: CommandHandlers = {
    hello: () => ({ snapshot: current, ui }),
    setLanguage: ({ language }: { language: Language }) => {
      if (!config.ui.languages.includes(language)) throw new CommandRejected(`language ${language} is not enabled`);
      publish({ ...current, language });
      return { ok: true as const };
    },
    input: ({ input }) => {
      log.debug({ input: input.type }, 'resident input');
      return { ok: true as const };
    },
    demo: () => {
      if (!demo) throw new CommandRejected('demo actions need simulators');
      return { ok: true as const };
    },
  };

  return {
    handlers,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot: () => current,
    async stop() {
      listeners.clear();
    },
  };
}
