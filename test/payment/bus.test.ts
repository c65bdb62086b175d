// The host-side ccTalk bus and hopper driver against the simulators over an in-memory line.
import { describe, expect, it } from 'vitest';
import { CcTalkBus } from '../../drivers/payment/bus.js';
import { CcTalkError } from '../../drivers/payment/errors.js';
import { CcTalkHopper } from '../../drivers/payment/hopper.js';
import type { ByteTransport } from '../../drivers/payment/interface.js';
import { Header, encodeFrame } from '../../drivers/payment/protocol.js';
import { SimCcTalkBus, SimCoinAcceptor, SimHopper } from '../../drivers/payment/simulator/index.js';
import { memoryTransportPair } from '../../drivers/payment/transports.js';

function line(opts: { echo?: boolean; crc?: boolean } = {}) {
  const [host, dev] = memoryTransportPair();
  const coin = new SimCoinAcceptor(2, opts.crc ? 'crc16' : 'simple');
  const hopper = new SimHopper(3, 100, 10, 2);
  const sim = new SimCcTalkBus(dev, [coin, hopper], { echo: opts.echo ?? true });
  const bus = new CcTalkBus(host, {
    replyTimeoutMs: 50,
    retries: 2,
    checksumFor: (a) => (opts.crc && a === 2 ? 'crc16' : 'simple'),
  });
  return { bus, sim, coin, hopper, dev, host };
}

describe('CcTalkBus', () => {
  it('fails fast without a transport', () => {
    expect(() => new CcTalkBus(undefined as unknown as ByteTransport, { replyTimeoutMs: 50 })).toThrow(
      expect.objectContaining({ kind: 'noTransport' }),
    );
  });

  it('skips its own echo and returns the reply data', async () => {
    const { bus } = line({ echo: true });
    expect(new TextDecoder().decode(await bus.request(2, Header.equipmentCategory))).toBe('Coin Acceptor');
    const quiet = line({ echo: false });
    expect(new TextDecoder().decode(await quiet.bus.request(2, Header.equipmentCategory))).toBe(
      'Coin Acceptor',
    );
  });

  it('talks CRC-16 to a device set to it', async () => {
    const { bus } = line({ crc: true });
    expect(Array.from(await bus.request(2, Header.coinEvents))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('a NAK is a typed error and is not retried', async () => {
    const { bus } = line();
    await expect(bus.request(2, 99)).rejects.toMatchObject({ name: 'CcTalkError', kind: 'nak' });
    expect(bus.counters.retries).toBe(0);
  });

  it('a silent device times out with a typed error after the retries', async () => {
    const { bus, coin } = line();
    coin.powerOff();
    const err = await bus.request(2, Header.simplePoll).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CcTalkError);
    expect((err as CcTalkError).kind).toBe('timeout');
    expect(bus.counters).toMatchObject({ requests: 3, timeouts: 3, retries: 2 });
  });

  it('a corrupted reply is retried; the same buffered events are read again, nothing lost', async () => {
    const { bus, sim, coin } = line();
    await bus.request(2, Header.modifyInhibits, [0x0f, 0]);
    await bus.request(2, Header.modifyMasterInhibit, [1]);
    coin.insert(100);
    sim.corruptNextReplies(2);
    sim.injectGarbage([0xaa, 0x01, 0x02]);
    const data = await bus.request(2, Header.coinEvents);
    expect(Array.from(data.subarray(0, 3))).toEqual([1, 3, 1]);
    expect(bus.counters.corrupted).toBe(2);
    expect(bus.counters.retries).toBe(2);
  });

  it('a non-idempotent request is sent once even when its reply is corrupted', async () => {
    const { bus, sim } = line();
    sim.corruptNextReplies(1);
    await expect(
      bus.request(2, Header.modifyMasterInhibit, [1], { idempotent: false }),
    ).rejects.toMatchObject({ kind: 'checksum' });
    expect(bus.counters.requests).toBe(1);
  });

  it('a reply of the wrong shape is malformed (never taken as the answer to another request)', async () => {
    const { bus } = line();
    const err = await bus.request(2, Header.coinEvents, [], { replyLength: 4 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'malformed' });
    expect(Array.from((err as CcTalkError).bytes!)).toHaveLength(11);
  });

  it('ignores unsolicited noise between exchanges', async () => {
    const { bus, dev, host } = line();
    const noiseArrived = new Promise<void>((r) => {
      const off = host.onData(() => {
        off();
        r();
      });
    });
    await dev.write(encodeFrame({ destination: 1, source: 2, header: 0, data: [7] }));
    await noiseArrived; // the host has it before it asks
    expect(Array.from(await bus.request(2, Header.simplePoll))).toEqual([]);
  });
});

describe('SimCcTalkBus command events', () => {
  it('tells each command after the device acted on it, and whether a reply went out', async () => {
    const { bus, sim, coin } = line();
    const seen: Array<[number, number, boolean]> = [];
    const off = sim.onCommand((c) => seen.push([c.address, c.header, c.answered]));
    await bus.request(2, Header.simplePoll);
    coin.powerOff();
    await expect(bus.request(2, Header.simplePoll)).rejects.toMatchObject({ kind: 'timeout' });
    off();
    coin.powerOn();
    await bus.request(2, Header.simplePoll);
    expect(seen).toEqual([
      [2, Header.simplePoll, true],
      [2, Header.simplePoll, false],
      [2, Header.simplePoll, false],
      [2, Header.simplePoll, false],
    ]);
  });
});

describe('CcTalkHopper', () => {
  it('dispenses and reports coins paid', async () => {
    const { bus, hopper } = line();
    const h = new CcTalkHopper(bus, 3, 100, { statusIntervalMs: 5 });
    expect(await h.dispense(4)).toEqual({ requested: 4, paid: 4, unpaid: 0 });
    expect(hopper.coins).toBe(6);
  });

  it('reports the unpaid rest when it runs dry', async () => {
    const { bus } = line();
    const h = new CcTalkHopper(bus, 3, 100, { statusIntervalMs: 5 });
    expect(await h.dispense(15)).toEqual({ requested: 15, paid: 10, unpaid: 5 });
    expect(await h.levelSensors()).toEqual({ low: true, high: false, lowFitted: true, highFitted: true });
  });

  it('a lost dispense reply is settled by the event counter: never paid twice', async () => {
    const { bus, sim, hopper } = line();
    const h = new CcTalkHopper(bus, 3, 100, { statusIntervalMs: 5 });
    // enable and status replies go through; the dispense reply is corrupted
    const write = sim['onFrame'].bind(sim);
    let seen = 0;
    sim['onFrame'] = (f: Uint8Array) => {
      if (f[3] === Header.hopperDispense && seen++ === 0) sim.corruptNextReplies(1);
      write(f);
    };
    expect(await h.dispense(3)).toEqual({ requested: 3, paid: 3, unpaid: 0 });
    expect(hopper.paidOut).toBe(3);
    expect(seen).toBe(1);
  });
});
