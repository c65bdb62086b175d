// The card layer's entry point for the engine: createCardPort(config.card, { log, simulator? }).
import { errorSummary } from '../privacy/policy.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pcsclite from 'pcsclite';
import type { Logger } from 'pino';
import { PcscDriver, type PcscFactory } from '../../drivers/card/pcsc.js';
import type { CardConfig } from '../config/sections/card.js';
import { CardPortAdapter, type MadoguchiCardPort } from './card-port.js';
import { createCardSimulator, type CardSimulatorControl } from './simulator.js';
import type { CardErrorKind as DriverCardErrorKind } from '../../drivers/card/errors.js';
import type { CardErrorKind } from '../core/ports.js';

// The driver's error kinds and the port's are the same list: a kind added to one fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameCardErrorKinds: Same<DriverCardErrorKind, CardErrorKind> = true;
void sameCardErrorKinds;

export { CardPortAdapter, toCardError, type CardInfoReport, type MadoguchiCardPort } from './card-port.js';
export { createCardSimulator, type CardSimulatorControl, type SimulatedCardSummary } from './simulator.js';

export interface CreateCardPortDeps {
  log: Logger;
  /** Demo mode: an existing simulator (its control API drives the demo panel). */
  simulator?: CardSimulatorControl;
  /** Where the simulator keeps its state when none is given (default <tmpdir>/madoguchi-card-sim). */
  dataDir?: string;
  /** PC/SC factory override (tests); default the pcsclite package. */
  pcsc?: PcscFactory;
}

export function defaultSimulatorStateDir(config: CardConfig, dataDir?: string): string {
  return (
    config.simulator.stateDir || (dataDir ? join(dataDir, 'card-sim') : join(tmpdir(), 'madoguchi-card-sim'))
  );
}

export type CardPortWithSimulator = MadoguchiCardPort & { readonly simulator: CardSimulatorControl | null };

/** Builds the CardPort for config.card.driver; `.simulator` is the demo panel's control API (null with PC/SC). */
export function createCardPort(config: CardConfig, deps: CreateCardPortDeps): CardPortWithSimulator {
  if (config.driver === 'pcsc') {
    const driver = new PcscDriver({ pcsc: deps.pcsc ?? (pcsclite as unknown as PcscFactory) });
    const port = new CardPortAdapter(config, { driver, log: deps.log });
    driver.onError((e) => deps.log.error({ kind: e.kind, msg: e.message }, 'PC/SC error'));
    return Object.assign(port, { simulator: null });
  }
  const simulator =
    deps.simulator ??
    createCardSimulator({
      stateDir: defaultSimulatorStateDir(config, deps.dataDir),
      pkiDir: config.simulator.pkiDir || undefined,
    });
  const port = new CardPortAdapter(config, {
    driver: simulator.driver,
    log: deps.log,
    ownsDriver: !deps.simulator,
  });
  if (config.simulator.insertAtStart && !deps.simulator) {
    simulator
      .insert(config.simulator.insertAtStart)
      .catch((err: unknown) => deps.log.error({ err: errorSummary(err) }, 'could not insert the start card'));
  }
  return Object.assign(port, { simulator });
}
