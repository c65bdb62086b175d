// Opens every device and service the configuration names — a real driver or its simulator —
// and the demo controls of whatever is simulated. The core talks to them only through ports.
import type { Config } from '../config/schema.js';
import type { dataPaths } from '../config/load.js';
import type { Logger } from '../log/logger.js';
import type { DeviceStatus } from '../../drivers/common/status.js';
import { createCardPort, type CardPortWithSimulator } from '../card/index.js';
import { openRegistry } from '../registry/index.js';
import type { RegistryAdapter, EmbeddedRegistry } from '../registry/index.js';
import { createPrinters, type Printers } from '../printing/index.js';
import { createCashPort, type CashAdapter } from '../payment/cash-port.js';
import { unavailableCash, unavailablePrinters } from './unavailable-devices.js';
import type { Journal } from '../core/journal/journal.js';
import type { Clock } from '../core/clock.js';

export interface Devices {
  card: CardPortWithSimulator;
  registry: RegistryAdapter;
  embeddedRegistry: EmbeddedRegistry | null;
  printers: Printers;
  cash: CashAdapter;
  statuses(): DeviceStatus[];
  close(): Promise<void>;
}

export async function openDevices(
  config: Config,
  paths: ReturnType<typeof dataPaths>,
  journal: Journal,
  log: Logger,
  clock?: Clock,
): Promise<Devices> {
  const closers: (() => Promise<void>)[] = [];
  try {
    const card = createCardPort(config.card, { log: log.child({ area: 'card' }), dataDir: paths.dataDir });
    closers.push(() => card.close());
    const registry = await openRegistry(config.registry, {
      kioskId: config.kiosk.id,
      dataDir: paths.dataDir,
      db: journal.db,
      auditOutbox: (seq) => journal.mirrorRow('registry_outbox', seq),
      log: log.child({ area: 'registry' }),
      ...(clock ? { clock } : {}),
    });
    closers.push(() => registry.close());
    // Defence in depth: the printer refuses a document whose registry signature does not verify
    // against the same key set the registry client checks.
    // A device that cannot be opened at start puts the kiosk out of service (its status says why);
    // it never makes the process exit, which the service manager would turn into a restart loop.
    const printers = await createPrinters(config.printers, {
      log: log.child({ area: 'printing' }),
      spoolDir: paths.spoolDir,
      municipality: config.kiosk.municipalityName,
      registryKeys: registry.publicKeys,
    }).catch((e: unknown) => {
      log.error({ err: (e as Error).message }, 'printers could not be opened: out of service');
      return unavailablePrinters((e as Error).message);
    });
    closers.push(() => printers.close());
    const cash = await createCashPort(config.cash, { log: log.child({ area: 'cash' }), journal }).catch(
      (e: unknown) => {
        log.error({ err: (e as Error).message }, 'cash devices could not be opened: out of service');
        return unavailableCash((e as Error).message);
      },
    );
    closers.push(() => cash.close());
    return {
      card,
      registry: registry.port,
      embeddedRegistry: registry.embedded,
      printers,
      cash,
      statuses: () => [
        card.status(),
        registry.port.status(),
        printers.certificate.status(),
        printers.receipt.status(),
        ...cash.status(),
      ],
      async close() {
        for (const c of closers.reverse())
          await c().catch((e: unknown) => log.warn({ err: (e as Error).message }, 'device close failed'));
      },
    };
  } catch (e) {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    throw e;
  }
}
