// The kiosk's one configuration: every section validated with defaults, so an empty file
// (or no file) is the embedded demo configuration with every simulator selected.
import { z } from 'zod';
import { KioskSection } from './sections/kiosk.js';
import { UiSection } from './sections/ui.js';
import { CardSection } from './sections/card.js';
import { RegistrySection } from './sections/registry.js';
import { PrintersSection } from './sections/printers.js';
import { CashSection } from './sections/cash.js';
import { JournalSection } from './sections/journal.js';
import { LogSection } from './sections/log.js';
import { TechnicianSection } from './sections/technician.js';
import { FleetSection } from './sections/fleet.js';
import { ServiceSection } from './sections/service.js';

export const ConfigSchema = z
  .object({
    kiosk: KioskSection.prefault({}),
    ui: UiSection.prefault({}),
    card: CardSection.prefault({}),
    registry: RegistrySection.prefault({}),
    printers: PrintersSection.prefault({}),
    cash: CashSection.prefault({}),
    journal: JournalSection.prefault({}),
    log: LogSection.prefault({}),
    technician: TechnicianSection.prefault({}),
    fleet: FleetSection.prefault({}),
    service: ServiceSection.prefault({}),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
