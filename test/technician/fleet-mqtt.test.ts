// Fleet reporting to a real Mosquitto: one retained status per kiosk under
// <prefix>/<municipality>/<kiosk>/status, updated on state changes, and the last will when the kiosk
// drops off without a goodbye. Also the registry heartbeat with counters.
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TechnicianRequest } from '../../src/contract/technician.js';
import { FleetStatus, startFleetReporter, statusTopic } from '../../src/fleet/reporter.js';
import { silentLogger } from '../../src/log/logger.js';
import { startTestKiosk } from '../support/kiosk.js';
import { when } from '../support/wait.js';
import { startMosquitto, type Broker } from './mosquitto.js';

let broker: Broker;
beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(() => broker?.stop());

/** A fresh subscriber: sees retained messages first, then live ones. */
async function watch(topic: string) {
  const seen: FleetStatus[] = [];
  const c = await mqtt.connectAsync(broker.url, {
    clientId: `watcher-${Math.random().toString(16).slice(2)}`,
  });
  c.on('message', (_t, p, packet) =>
    seen.push({
      ...FleetStatus.parse(JSON.parse(p.toString())),
      ...(packet.retain ? { retained: true } : {}),
    } as FleetStatus),
  );
  await c.subscribeAsync(topic, { qos: 1 });
  // Checked again on every message the broker delivers.
  const until = async (pred: (s: FleetStatus) => boolean, ms = 10_000) => {
    await when(
      (l) => (c.on('message', l), () => c.off('message', l)),
      () => seen.some(pred),
      `a matching status on ${topic}`,
      ms,
      () => `saw ${JSON.stringify(seen.map((s) => [s.state, s.online]))}`,
    );
    return seen.find(pred)!;
  };
  return { seen, until, close: () => c.endAsync() };
}

describe('fleet reporting over MQTT', () => {
  it('publishes a retained status, follows maintenance, and the will says offline on a lost connection', async () => {
    const k = await startTestKiosk({
      kiosk: { id: 'MRN-FLEET-01' },
      fleet: { mqtt: { enabled: true, url: broker.url, topicPrefix: 'test-fleet', intervalSeconds: 1 } },
    });
    const topic = `test-fleet/${k.app.config.kiosk.municipalityCode}/MRN-FLEET-01/status`;
    try {
      const w = await watch(topic);
      const first = await w.until((s) => s.online && s.state === 'inService');
      expect(first).toMatchObject({ kioskId: 'MRN-FLEET-01', softwareVersion: expect.any(String) });
      expect(first.devices.map((d) => d.id)).toContain('cardReader');
      expect(Object.keys(first.counters)).toEqual(
        expect.arrayContaining([
          'transactionsCompleted',
          'cashBoxYen',
          'paper.receipt.sinceRefill',
          'hopper.100',
        ]),
      );
      await k.app.core.handlers.technician({ request: TechnicianRequest.parse({ action: 'enter' }) });
      await w.until((s) => s.state === 'maintenance');
      await k.app.core.handlers.technician({ request: TechnicianRequest.parse({ action: 'exit' }) });
      await w.close();

      // Retained: a late subscriber gets the last status at once.
      const late = await watch(topic);
      await late.until((s) => (s as FleetStatus & { retained?: boolean }).retained === true && s.online);
      await late.close();

      // Heartbeat to the registry, with counters.
      // The first beat was queued at start; the outbox's flush resolves once it is delivered.
      const reg = k.app.core.devices.embeddedRegistry!.simulator;
      expect(await k.app.core.devices.registry.flushOutbox()).toEqual({ drained: true });
      const row = reg.db.prepare('SELECT data FROM heartbeats WHERE kiosk_id = ?').get('MRN-FLEET-01') as
        { data: string } | undefined;
      const hb = row && (JSON.parse(row.data) as { counters?: Record<string, number> });
      expect(hb?.counters).toMatchObject({ transactionsCompleted: 0 });

      // Lost connection: a second reporter over this kiosk's devices, its socket cut without a
      // DISCONNECT as a power cut would; the broker publishes its will, retained.
      const config = { ...k.app.config, kiosk: { ...k.app.config.kiosk, id: 'MRN-FLEET-WILL' } };
      const willTopic = statusTopic(config);
      const r = startFleetReporter({
        config: { ...config, fleet: { ...config.fleet, heartbeat: false } },
        devices: k.app.core.devices,
        engine: k.app.core.engine,
        journal: k.app.core.journal,
        log: silentLogger,
      });
      const w2 = await watch(willTopic);
      await w2.until((s) => s.online);
      r.mqtt!.options.reconnectPeriod = 0;
      r.mqtt!.stream.destroy();
      const will = await w2.until((s) => !s.online && s.state === 'offline', 15_000);
      expect(will.kioskId).toBe('MRN-FLEET-WILL');
      await w2.close();
      await r.mqtt!.endAsync(true);
    } finally {
      await k.stop();
    }
  }, 60_000);

  it('says offline itself on a clean stop', async () => {
    const k = await startTestKiosk({
      kiosk: { id: 'MRN-FLEET-02' },
      fleet: { mqtt: { enabled: true, url: broker.url, topicPrefix: 'test-fleet' } },
    });
    const topic = `test-fleet/${k.app.config.kiosk.municipalityCode}/MRN-FLEET-02/status`;
    const w = await watch(topic);
    await w.until((s) => s.online);
    await k.stop();
    await w.until((s) => !s.online);
    await w.close();
  }, 30_000);
});
