import { describe, expect, it } from 'vitest';
import { encodeCommand, parseResponse } from '../../drivers/card/apdu.js';
import { AID } from '../../drivers/card/jpki-constants.js';
import { sha256DigestInfo } from '../../drivers/card/jpki-client.js';
import { fileStore, tempDir, virtualCard } from './helpers/cards.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
type Card = Awaited<ReturnType<typeof virtualCard>>;
const send = (card: Card, h: string | Uint8Array) =>
  parseResponse(card.process(typeof h === 'string' ? hex(h) : h));
const sw = (card: Card, h: string | Uint8Array) => send(card, h).sw.toString(16).toUpperCase();
const selectJpki = (card: Card) =>
  sw(card, encodeCommand({ cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: AID.jpki }));
const verify = (pin: string) =>
  encodeCommand({ cla: 0, ins: 0x20, p1: 0, p2: 0x80, data: new TextEncoder().encode(pin) });

describe('virtual JPKI card', () => {
  it('answers unknown AIDs 6A82 and unknown instructions 6D00', async () => {
    const card = await virtualCard('yamada-taro');
    expect(sw(card, '00A4040C05A000000003')).toBe('6A82');
    expect(sw(card, '00CA000000')).toBe('6D00');
    expect(sw(card, 'A0A4040C0AD392F000260100000001')).toBe('6E00');
    expect(sw(card, '00A4020C020006')).toBe('6A82'); // no application selected
  });

  it('tells My Number card and 住基カード apart by EF 0006', async () => {
    for (const [id, token] of [
      ['yamada-taro', 'JPKIAPICCTOKEN2'],
      ['sato-kenji', 'JPKIAPICCTOKEN'],
    ] as const) {
      const card = await virtualCard(id);
      selectJpki(card);
      expect(sw(card, '00A4020C020006')).toBe('9000');
      const r = send(card, '00B0000020');
      expect(r.data.length).toBe(0x20);
      expect(Buffer.from(r.data).toString('latin1')).toBe(token.padEnd(0x20, ' '));
    }
  });

  it('reads the auth certificate; the signature certificate only after its PIN', async () => {
    const card = await virtualCard('yamada-taro');
    selectJpki(card);
    sw(card, '00A4020C02000A');
    expect(send(card, '00B0000004').data[0]).toBe(0x30);
    expect(sw(card, '00A4020C020001')).toBe('9000');
    expect(sw(card, '00B0000004')).toBe('6982');
    sw(card, '00A4020C02001B');
    expect(sw(card, verify('MADO1234'))).toBe('9000');
    sw(card, '00A4020C020001');
    expect(sw(card, '00B0000004')).toBe('9000');
    expect(sw(card, '00B0FF0004')).toBe('6A86'); // short EF id form not supported
    expect(sw(card, '00B07F0004')).toBe('6B00'); // beyond the end
  });

  it('counts tries: 63Cx without data, also after success; blocked answers 6984', async () => {
    const card = await virtualCard('yamada-taro');
    selectJpki(card);
    sw(card, '00A4020C020018');
    expect(sw(card, '00200080')).toBe('63C3');
    expect(sw(card, verify('0000'))).toBe('63C2');
    expect(sw(card, verify('1234'))).toBe('9000');
    expect(sw(card, '00200080')).toBe('63C3');
    for (const left of ['63C2', '63C1', '63C0']) expect(sw(card, verify('9999'))).toBe(left);
    expect(sw(card, verify('1234'))).toBe('6984');
    expect(sw(card, '00200080')).toBe('63C0');
  });

  it('signs a DigestInfo after VERIFY, with CLA 80, and refuses before', async () => {
    const card = await virtualCard('yamada-taro');
    selectJpki(card);
    sw(card, '00A4020C020017');
    const di = sha256DigestInfo(new TextEncoder().encode('challenge'));
    const sign = encodeCommand({ cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: di, le: 256 });
    expect(sw(card, sign)).toBe('6982');
    sw(card, '00A4020C020018');
    sw(card, verify('1234'));
    sw(card, '00A4020C020017');
    const r = send(card, sign);
    expect(r.sw).toBe(0x9000);
    expect(r.data.length).toBe(256);
    expect(
      sw(card, encodeCommand({ cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: di.subarray(1), le: 256 })),
    ).toBe('6A80');
    // case 3 (no Le): 6100 then GET RESPONSE
    expect(sw(card, encodeCommand({ cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: di }))).toBe('6100');
    expect(send(card, '00C0000000').data.length).toBe(256);
  });

  it('keeps PIN counters per card across restarts', async () => {
    const dir = tempDir();
    const first = await virtualCard('yamada-hanako', await fileStore(dir));
    selectJpki(first);
    sw(first, '00A4020C020018');
    expect(sw(first, verify('0000'))).toBe('63C2');
    const again = await virtualCard('yamada-hanako', await fileStore(dir));
    expect(again.triesLeft('auth')).toBe(2);
    const other = await virtualCard('yamada-taro', await fileStore(dir));
    expect(other.triesLeft('auth')).toBe(3);
  });

  it('starts blocked for the blocked-pin profile and with one try for one-try-left', async () => {
    expect((await virtualCard('blocked-pin')).triesLeft('auth')).toBe(0);
    expect((await virtualCard('one-try-left')).triesLeft('auth')).toBe(1);
  });

  it('a reset drops selection and security status', async () => {
    const card = await virtualCard('yamada-taro');
    selectJpki(card);
    sw(card, '00A4020C020018');
    sw(card, verify('1234'));
    card.reset();
    selectJpki(card);
    sw(card, '00A4020C020017');
    const di = sha256DigestInfo(new Uint8Array([1]));
    expect(sw(card, encodeCommand({ cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: di, le: 256 }))).toBe(
      '6982',
    );
  });
});
