import { describe, expect, it } from 'vitest';
import { CardStatusError } from '../../drivers/card/errors.js';
import { Iso7816 } from '../../drivers/card/iso7816.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/** A transport that answers from a script and records what it was sent. */
function scripted(answers: string[]) {
  const sent: string[] = [];
  return {
    sent,
    transport: {
      transmit: async (cmd: Uint8Array) => {
        sent.push(toHex(cmd));
        const a = answers.shift();
        if (a === undefined) throw new Error('script exhausted');
        return hex(a);
      },
    },
  };
}

describe('Iso7816', () => {
  it('follows 61xx with GET RESPONSE and concatenates', async () => {
    const s = scripted(['AABB6102', 'CCDD9000']);
    const iso = new Iso7816(s.transport);
    const r = await iso.transceive({ cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: hex('01') }, 'sign');
    expect(toHex(r.data)).toBe('AABBCCDD');
    expect(r.sw).toBe(0x9000);
    expect(s.sent[1]).toBe('00C0000002');
    expect(iso.trace.apdus).toBe(2);
  });
  it('re-issues with the announced Le on 6Cxx', async () => {
    const s = scripted(['6C20', '00'.repeat(0x20) + '9000']);
    const r = await new Iso7816(s.transport).transceive({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 }, 'read');
    expect(r.data.length).toBe(0x20);
    expect(s.sent).toEqual(['00B0000000', '00B0000020']);
  });
  it('throws CardStatusError with context on failure', async () => {
    const s = scripted(['6A82']);
    await expect(new Iso7816(s.transport).selectEf(0x000a)).rejects.toMatchObject({
      kind: 'status',
      sw: 0x6a82,
      context: 'select EF 000a',
    });
    await expect(new Iso7816(scripted(['6982']).transport).readBinary(0, 1, 'x')).rejects.toBeInstanceOf(
      CardStatusError,
    );
  });
  it('reads a DER EF in 256-byte chunks sized from its header', async () => {
    const der = new Uint8Array(700);
    der.set([0x30, 0x82, 0x02, 0xb8]); // 0x2b8 + 4 = 700
    const answers = [0, 256, 512].map((o) => toHex(der.subarray(o, Math.min(700, o + 256))) + '9000');
    const s = scripted(answers);
    const out = await new Iso7816(s.transport).readEf({ context: 'cert' });
    expect(out.length).toBe(700);
    expect(s.sent).toEqual(['00B0000000', '00B0010000', '00B00200BC']);
  });
  it('reads a fixed-size EF and honours 6282 end of file', async () => {
    const s = scripted(['41424344' + '6282']);
    await expect(new Iso7816(s.transport).readEf({ size: 8, context: 'token' })).rejects.toMatchObject({
      kind: 'malformed',
    });
  });
  it('reads a DER EF in one extended READ BINARY when the card takes extended Le', async () => {
    const der = new Uint8Array(700).fill(0x11);
    der.set([0x30, 0x82, 0x02, 0xb8]);
    // The EF holds padding after the certificate: the answer is cut to the DER element.
    const s = scripted([toHex(der) + 'FFFF' + '6282']);
    const iso = new Iso7816(s.transport, { extendedLength: true });
    const out = await iso.readEf({ context: 'cert', maxSize: 8192 });
    expect(toHex(out)).toBe(toHex(der));
    expect(s.sent).toEqual(['00B00000002000']); // Le 0x2000 in the extended form
  });
  it('falls back to short reads after 6700 and does not ask for extended Le again', async () => {
    const der = new Uint8Array(300);
    der.set([0x30, 0x82, 0x01, 0x28]); // 0x128 + 4 = 300
    const short = [toHex(der.subarray(0, 256)) + '9000', toHex(der.subarray(256)) + '9000'];
    const s = scripted(['6700', ...short, ...short]);
    const iso = new Iso7816(s.transport, { extendedLength: null });
    expect((await iso.readEf({ context: 'cert', maxSize: 8192 })).length).toBe(300);
    expect(iso.extendedLength).toBe(false);
    expect((await iso.readEf({ context: 'cert', maxSize: 8192 })).length).toBe(300);
    expect(s.sent).toEqual(['00B00000002000', '00B0000000', '00B001002C', '00B0000000', '00B001002C']);
  });
  it('goes on in chunks when an extended answer holds less than the element', async () => {
    const der = new Uint8Array(600);
    der.set([0x30, 0x82, 0x02, 0x54]); // 0x254 + 4 = 600
    const s = scripted([toHex(der.subarray(0, 512)) + '9000', toHex(der.subarray(512)) + '9000']);
    const out = await new Iso7816(s.transport, { extendedLength: true }).readEf({
      context: 'cert',
      maxSize: 8192,
    });
    expect(out.length).toBe(600);
    expect(s.sent[1]).toBe('00B0020058');
  });
  it('calls an extended answer that ends before its DER element malformed', async () => {
    const der = new Uint8Array(400);
    der.set([0x30, 0x82, 0x01, 0x8c]); // claims 400, EF holds 300
    const s = scripted([toHex(der.subarray(0, 300)) + '6282']);
    await expect(
      new Iso7816(s.transport, { extendedLength: true }).readEf({ context: 'cert', maxSize: 8192 }),
    ).rejects.toMatchObject({ kind: 'malformed' });
  });
  it('passes other failures of the extended read on, without falling back', async () => {
    const s = scripted(['6982']);
    await expect(
      new Iso7816(s.transport, { extendedLength: null }).readEf({ context: 'cert', maxSize: 8192 }),
    ).rejects.toMatchObject({ sw: 0x6982 });
    expect(s.sent.length).toBe(1);
  });
});
