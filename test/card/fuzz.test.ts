// Random and mutated bytes into every parser and into the whole client: only typed errors come out.
import { describe, expect, it } from 'vitest';
import { decodeCommand, derTotalLength, parseResponse } from '../../drivers/card/apdu.js';
import { isCardLayerError } from '../../drivers/card/errors.js';
import {
  InvalidPinFormatError,
  JpkiClient,
  parseBasicInfo,
  parseMyNumber,
  parseToken,
} from '../../drivers/card/jpki-client.js';
import { encodeBasicInfo, encodeMyNumber } from '../../drivers/card/virtual-jpki-card.js';
import { VpcdDeframer } from '../../fixtures/vcard/vpcd-framing.js';
import { virtualCard } from './helpers/cards.js';

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(bytes: Uint8Array, r: () => number): Uint8Array {
  const out = Array.from(bytes);
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const op = Math.floor(r() * 4);
    const at = Math.floor(r() * Math.max(1, out.length));
    if (op === 0 && out.length) out[at] = Math.floor(r() * 256);
    else if (op === 1) out.splice(at, 1);
    else if (op === 2) out.splice(at, 0, Math.floor(r() * 256));
    else out.length = Math.floor(r() * out.length);
  }
  return Uint8Array.from(out);
}

const randomBytes = (r: () => number, max = 40) =>
  Uint8Array.from({ length: Math.floor(r() * max) }, () => Math.floor(r() * 256));

function onlyTyped(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!isCardLayerError(e)) throw e;
  }
}

describe('fuzz', () => {
  it('pure parsers throw only typed errors', () => {
    const r = rng(7);
    const seeds = [
      encodeBasicInfo({
        name: '山田 太郎',
        address: '北海道室蘭市幸町1番2号',
        birthDate: '19800101',
        sex: '1',
      }),
      encodeMyNumber('123456789012'),
      Uint8Array.from(Buffer.from('JPKIAPICCTOKEN2'.padEnd(32))),
    ];
    for (let i = 0; i < 3000; i++) {
      const input = i % 2 ? randomBytes(r) : mutate(seeds[i % seeds.length]!, r);
      onlyTyped(() => parseResponse(input));
      onlyTyped(() => derTotalLength(input));
      onlyTyped(() => decodeCommand(input));
      onlyTyped(() => parseBasicInfo(input));
      onlyTyped(() => parseMyNumber(input));
      expect(['mynumber', 'juki', 'unknown']).toContain(parseToken(input).cardType);
      onlyTyped(() => new VpcdDeframer().push(input));
    }
  });

  it('the virtual card answers any command with a status word', async () => {
    const r = rng(11);
    const card = await virtualCard('yamada-taro');
    for (let i = 0; i < 3000; i++) {
      const res = card.process(randomBytes(r, 24));
      expect(res.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('the JPKI client over a card whose responses are mutated sees only typed errors', async () => {
    const r = rng(23);
    for (let run = 0; run < 300; run++) {
      const card = await virtualCard('yamada-taro');
      const transport = {
        transmit: async (cmd: Uint8Array) => {
          const real = card.process(cmd);
          return r() < 0.15 ? mutate(real, r) : real;
        },
      };
      const client = new JpkiClient(transport);
      try {
        await client.cardType();
        await client.readAuthCertificate();
        await client.authPinTriesLeft();
        await client.verifyAuthPin('1234');
        await client.signWithAuthKey(new Uint8Array([run]));
      } catch (e) {
        if (!isCardLayerError(e) && !(e instanceof InvalidPinFormatError)) throw e;
      }
    }
  });
});
