// Fleet reporting: the kiosk's state, devices and counters to the registry's heartbeat endpoint
// (through the durable outbox) and, optionally, to an MQTT broker: one retained status message per
// kiosk on <prefix>/<municipality>/<kiosk>/status, with a retained last will saying it is offline.
import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import { z } from 'zod';
import type { Config } from '../config/schema.js';
import type { Devices } from '../app/devices.js';
import type { Engine } from '../core/engine.js';
import type { Journal } from '../core/journal/journal.js';
import type { Logger } from '../log/logger.js';
import type { HeartbeatRequest as HeartbeatRequestSchema } from '../registry/api.js';

type HeartbeatRequest = z.infer<typeof HeartbeatRequestSchema>;
import { softwareVersion } from '../technician/version.js';
import { cashBoxCounts, paperCounters } from '../technician/reports.js';

export const FleetStatus = z.object({
  kioskId: z.string(),
  municipalityCode: z.string(),
  online: z.boolean(),
  at: z.string(),
  state: z.enum(['inService', 'outOfService', 'maintenance', 'offline']),
  devices: z.array(
    z.object({ id: z.string(), state: z.string(), media: z.record(z.string(), z.string()).optional() }),
  ),
  counters: z.record(z.string(), z.number().int().min(0)),
  softwareVersion: z.string(),
});
export type FleetStatus = z.infer<typeof FleetStatus>;

export interface FleetDeps {
  config: Config;
  devices: Devices;
  engine: Engine;
  journal: Journal;
  log: Logger;
}

export const statusTopic = (c: Config) =>
  `${c.fleet.mqtt.topicPrefix}/${c.kiosk.municipalityCode}/${c.kiosk.id}/status`;

export function kioskState(engineState: string): HeartbeatRequest['state'] {
  if (engineState === 'technician') return 'maintenance';
  if (engineState === 'outOfService' || engineState === 'outsideHours') return 'outOfService';
  return 'inService';
}

/** Counters for the fleet: never personal, only totals. */
export function fleetCounters(d: FleetDeps): Record<string, number> {
  const db = d.journal.db;
  const n = (sql: string) => (db.prepare(sql).get() as { n: number | null }).n ?? 0;
  const c: Record<string, number> = {
    transactionsCompleted: n("SELECT COUNT(*) AS n FROM transactions WHERE status = 'completed'"),
    transactionsFailed: n("SELECT COUNT(*) AS n FROM transactions WHERE status IN ('failed','recovered')"),
    cashBoxYen: cashBoxCounts(d.journal).totalYen,
  };
  for (const p of paperCounters(d.journal)) c[`paper.${p.printer}.sinceRefill`] = p.sheets;
  for (const h of d.devices.cash.levels()) c[`hopper.${h.yen}`] = h.count;
  return c;
}

export function buildStatus(d: FleetDeps, online = true): FleetStatus {
  return {
    kioskId: d.config.kiosk.id,
    municipalityCode: d.config.kiosk.municipalityCode,
    online,
    at: new Date().toISOString(),
    state: online ? kioskState(d.engine.snapshot().state) : 'offline',
    devices: d.devices.statuses().map((s) => ({ id: s.id, state: s.state, media: s.media })),
    counters: fleetCounters(d),
    softwareVersion: softwareVersion(),
  };
}

export interface FleetReporter {
  /** Publishes now (after a technician action, a state change). */
  publishNow(): Promise<void>;
  readonly mqtt: MqttClient | null;
  stop(): Promise<void>;
}

export function startFleetReporter(d: FleetDeps): FleetReporter {
  const { config, log } = d;
  const stops: Array<() => void> = [];
  if (config.fleet.heartbeat) {
    stops.push(
      d.devices.registry.startHeartbeats(config.fleet.heartbeatSeconds * 1000, () => {
        const s = buildStatus(d);
        return {
          at: s.at,
          state: s.state === 'offline' ? 'outOfService' : s.state,
          devices: s.devices.map(({ id, state }) => ({ id, state })),
          outboxDepth: d.devices.registry.outbox.depth(),
          softwareVersion: s.softwareVersion,
          counters: s.counters,
        };
      }),
    );
  }

  let client: MqttClient | null = null;
  const m = config.fleet.mqtt;
  const topic = statusTopic(config);
  const publishNow = async () => {
    if (!client?.connected) return;
    await client
      .publishAsync(topic, JSON.stringify(buildStatus(d)), { qos: m.qos, retain: true })
      .catch((e: unknown) => log.warn({ err: (e as Error).message }, 'MQTT status not published'));
  };
  if (m.enabled) {
    const offline = { ...buildStatus(d, false), devices: [], counters: {} };
    client = mqtt.connect(m.url, {
      clientId: `madoguchi-${config.kiosk.id}`,
      clean: true,
      reconnectPeriod: 5000,
      connectTimeout: 10_000,
      ...(m.username ? { username: m.username } : {}),
      ...(m.passwordFile ? { password: readFileSync(m.passwordFile, 'utf8').trim() } : {}),
      ...(m.caFile ? { ca: readFileSync(m.caFile) } : {}),
      // The broker publishes this, retained, if the kiosk vanishes without saying goodbye.
      will: { topic, payload: Buffer.from(JSON.stringify(offline)), qos: m.qos, retain: true },
    });
    client.on('connect', () => {
      log.info({ topic }, 'MQTT connected');
      void publishNow();
    });
    client.on('error', (e) => log.warn({ err: e.message }, 'MQTT error'));
    const timer = setInterval(() => void publishNow(), m.intervalSeconds * 1000);
    timer.unref();
    stops.push(() => clearInterval(timer));
    const off = d.engine.subscribe(() => {
      const s = kioskState(d.engine.snapshot().state);
      if (s !== lastState) {
        lastState = s;
        void publishNow();
      }
    });
    let lastState = kioskState(d.engine.snapshot().state);
    stops.push(() => off());
  }

  return {
    publishNow,
    mqtt: client,
    async stop() {
      for (const s of stops) s();
      if (client) {
        // A clean shutdown says offline itself (the broker only sends the will on a lost connection).
        if (client.connected)
          await client
            .publishAsync(topic, JSON.stringify(buildStatus(d, false)), { qos: m.qos, retain: true })
            .catch(() => undefined);
        await client.endAsync().catch(() => undefined);
      }
    },
  };
}
