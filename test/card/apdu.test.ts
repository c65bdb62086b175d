import { describe, expect, it } from 'vitest';
import {
  decodeCommand,
  derTotalLength,
  encodeCommand,
  encodeResponse,
  parseResponse,
} from '../../drivers/card/apdu.js';
import { MalformedResponseError } from '../../drivers/card/errors.js';
import { statusMeaning } from '../../drivers/card/status-words.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

describe('encodeCommand', () => {
  const vectors: Array<[string, Parameters<typeof encodeCommand>[0], string]> = [
    ['case 1', { cla: 0, ins: 0x20, p1: 0, p2: 0x80 }, '00200080'],
    ['case 2 short', { cla: 0, ins: 0xb0, p1: 0x01, p2: 0x00, le: 0x20 }, '00B0010020'],
    ['case 2 short, Le 256', { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 }, '00B0000000'],
    [
      'case 3 short: select JPKI AP',
      { cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: hex('D392F000260100000001') },
      '00A4040C0AD392F000260100000001',
    ],
    [
      'case 4 short: JPKI sign',
      { cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: hex('AABB'), le: 256 },
      '802A008002AABB00',
    ],
    ['case 2 extended', { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1000 }, '00B00000' + '0003E8'],
    ['case 2 extended, Le 65536', { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 65536 }, '00B00000' + '000000'],
    [
      'case 3 extended (forced)',
      { cla: 0, ins: 0x2a, p1: 0, p2: 0, data: hex('01'), extended: true },
      '002A0000' + '000001' + '01',
    ],
    [
      'case 4 extended',
      { cla: 0, ins: 0x2a, p1: 0, p2: 0, data: new Uint8Array(300), le: 256, extended: true },
      '002A0000' + '00012C' + '00'.repeat(300) + '0100',
    ],
  ];
  for (const [name, cmd, expected] of vectors) {
    it(name, () => {
      expect(toHex(encodeCommand(cmd))).toBe(expected);
      const back = decodeCommand(encodeCommand(cmd));
      expect(back.ins).toBe(cmd.ins);
      expect(back.le).toBe(cmd.le);
      expect(back.data ? toHex(back.data) : undefined).toBe(cmd.data ? toHex(cmd.data) : undefined);
    });
  }
  it('switches to extended lengths for long data', () => {
    const enc = encodeCommand({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(256) });
    expect(toHex(enc.subarray(4, 7))).toBe('000100');
  });
  it('rejects bytes out of range', () => {
    expect(() => encodeCommand({ cla: 0x100, ins: 0, p1: 0, p2: 0 })).toThrow(RangeError);
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, le: 0 })).toThrow(RangeError);
  });
  it('decodeCommand rejects inconsistent Lc', () => {
    expect(() => decodeCommand(hex('00A4040C05AABB'))).toThrow(MalformedResponseError);
    expect(() => decodeCommand(hex('00A4'))).toThrow(MalformedResponseError);
  });
});

describe('responses', () => {
  it('parses data and status word', () => {
    const r = parseResponse(hex('01029000'));
    expect(toHex(r.data)).toBe('0102');
    expect(r.sw).toBe(0x9000);
    expect(toHex(encodeResponse([1, 2], 0x9000))).toBe('01029000');
  });
  it('a response without status word is malformed', () => {
    expect(() => parseResponse(hex('90'))).toThrow(MalformedResponseError);
  });
  it('maps status words, patterns first', () => {
    expect(statusMeaning(0x63c2)).toEqual({ reason: 'wrongPin', value: 2, success: false });
    expect(statusMeaning(0x6110).reason).toBe('moreData');
    expect(statusMeaning(0x6100).value).toBe(256);
    expect(statusMeaning(0x6c20)).toMatchObject({ reason: 'wrongLe', value: 0x20 });
    expect(statusMeaning(0x6984).reason).toBe('blocked');
    expect(statusMeaning(0x6983).reason).toBe('blocked');
    expect(statusMeaning(0x6982).reason).toBe('securityStatus');
    expect(statusMeaning(0x6a82).reason).toBe('fileNotFound');
    expect(statusMeaning(0x6d00).reason).toBe('insNotSupported');
    expect(statusMeaning(0x6282)).toMatchObject({ reason: 'endOfFile', success: true });
    expect(statusMeaning(0x1234).reason).toBe('unknown');
  });
});

describe('derTotalLength', () => {
  it('sizes a certificate from its first 4 bytes', () => {
    expect(derTotalLength(hex('308203A0'))).toBe(0x3a0 + 4);
    expect(derTotalLength(hex('3082'))).toBeNull();
  });
  it('short and one-byte long forms', () => {
    expect(derTotalLength(hex('3005'))).toBe(7);
    expect(derTotalLength(hex('3081C8'))).toBe(0xc8 + 3);
  });
  it('two-byte tags (FF 20 of the card-info AP)', () => {
    expect(derTotalLength(hex('FF2040DF2103'))).toBe(0x40 + 3);
    expect(derTotalLength(hex('FF20820100'))).toBe(0x100 + 5);
  });
  it('rejects indefinite and oversized length forms', () => {
    expect(() => derTotalLength(hex('3080'))).toThrow(MalformedResponseError);
    expect(() => derTotalLength(hex('3085'))).toThrow(MalformedResponseError);
  });
});
