import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { EscPosEmulator, renderOps } from '../../fixtures/escpos-emulator/emulator.js';
import { EscPosDriver, tcpTransport } from '../../drivers/printer/escpos/driver.js';
import { PrinterError } from '../../drivers/printer/errors.js';
import { columns, EscPosDecoder, type EscPosOp } from '../../drivers/printer/escpos/protocol.js';
import iconv from 'iconv-lite';
import { toForm } from '../../src/documents/form.js';
import { receiptEscPos, thermalCertificateEscPos } from '../../src/documents/thermal.js';
import { sampleDocument } from '../../src/documents/samples-index.js';

const RECEIPT = {
  municipality: '室蘭市',
  title: '領収書',
  kioskId: 'MRN-DEMO-01',
  transactionRef: 'T-20261126-0001',
  at: new Date('2026-11-26T01:02:00Z'),
  lines: [
    { label: '住民票の写し 1通', amount: 200 },
    { label: '手数料合計', amount: 200 },
    { label: 'お預り', amount: 1000 },
    { label: 'お釣り', amount: 800 },
  ],
  footer: ['ご利用ありがとうございました。'],
};

const EXPECTED_TRANSCRIPT = [
  '領収書',
  '室蘭市',
  '-'.repeat(48),
  '日付 令和8年11月26日',
  '     (西暦 2026-11-26 10:02)',
  '端末 MRN-DEMO-01',
  '取引番号 T-20261126-0001',
  '-'.repeat(48),
  '住民票の写し 1通                           200円',
  '手数料合計                                 200円',
  'お預り                                   1,000円',
  'お釣り                                     800円',
  '-'.repeat(48),
  'ご利用ありがとうございました。',
  '[cut]',
  '',
].join('\n');

let emu: EscPosEmulator;
let driver: EscPosDriver;

beforeEach(async () => {
  emu = new EscPosEmulator();
  const port = await emu.start();
  driver = new EscPosDriver(await tcpTransport('127.0.0.1', port));
});
afterEach(async () => {
  await driver.close();
  await emu.stop();
});

async function failureOf(p: Promise<unknown>): Promise<PrinterError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PrinterError);
    return e as PrinterError;
  }
  throw new Error('expected the job to fail');
}

describe('ESC/POS driver against the emulator', () => {
  it('prints a Japanese receipt whose transcript matches, with a PNG', async () => {
    const data = receiptEscPos(RECEIPT, 576);
    const events: string[] = [];
    driver.onJobEvent((e) => events.push(e.type));
    await expect(driver.submit({ id: 'r1', data })).resolves.toEqual({ bytes: data.length });
    expect(emu.jobs).toHaveLength(1);
    expect(emu.jobs[0]!.transcript).toBe(EXPECTED_TRANSCRIPT);
    const png = PNG.sync.read(emu.jobs[0]!.png);
    expect(png.width).toBe(576);
    expect(events).toEqual(['submitted', 'done']);
  });

  it('reads real-time status: paper low, cover open, offline', async () => {
    expect(await driver.state()).toEqual({ device: 'online', paper: 'ok', coverOpen: false });
    emu.setPaper('low');
    expect((await driver.state()).paper).toBe('low');
    emu.setCoverOpen(true);
    expect((await driver.state()).coverOpen).toBe(true);
    emu.setCoverOpen(false);
    emu.setOffline(true);
    expect((await driver.state()).device).toBe('offline');
  });

  it('refuses a job when the paper is already out', async () => {
    emu.setPaper('out');
    expect((await failureOf(driver.submit({ id: 'r2', data: receiptEscPos(RECEIPT) }))).kind).toBe(
      'paperOut',
    );
    expect(emu.jobs).toHaveLength(0);
  });

  it('reports paper out in the middle of a job as a failed job, never as printed', async () => {
    const data = receiptEscPos(RECEIPT);
    emu.runOutOfPaperAfter(Math.floor(data.length / 2));
    const events: Array<{ type: string; kind?: string }> = [];
    driver.onJobEvent((e) => events.push(e));
    const err = await failureOf(driver.submit({ id: 'r3', data }));
    expect(err.kind).toBe('paperOut');
    expect(emu.jobs).toHaveLength(0);
    expect(events.map((e) => e.type)).toEqual(['submitted', 'failed']);
  });

  it('prints a certificate laid out natively at 576 dots: the title as a heading, the rest one raster', async () => {
    const data = thermalCertificateEscPos(await sampleDocument('juminhyo'), 576);
    await driver.submit({ id: 'c1', data });
    expect(emu.jobs[0]!.transcript).toMatch(/^住民票の写し\n\[raster 576x\d+\]\n\[cut\]\n$/);
    expect(PNG.sync.read(emu.jobs[0]!.png).width).toBe(576);
  });

  it('uses the 48 columns of Font A on a 576-dot head, 32 on 384, amounts ending in the last one', () => {
    for (const [dots, cols] of [
      [576, 48],
      [384, 32],
    ] as const) {
      const text = new EscPosDecoder()
        .push(receiptEscPos(RECEIPT, dots))
        .filter((o) => o.op === 'text')
        .map((o) => (o.op === 'text' ? o.text : ''));
      expect(text).toContain('-'.repeat(cols));
      expect(text.filter((t) => t.endsWith('円')).map(columns)).toEqual([cols, cols, cols, cols]);
    }
  });

  it('sends a line with characters outside JIS X 0208 (髙, 﨑) as a raster, never as CP932 extension codes', () => {
    const bytes = receiptEscPos({ ...RECEIPT, footer: ['髙﨑 様'] }, 576);
    const ops = new EscPosDecoder().push(bytes);
    expect(
      ops
        .filter((o) => o.op === 'raster')
        .map((o) => (o.op === 'raster' ? `${o.widthDots}x${o.height}` : '')),
    ).toEqual(['576x30']);
    expect(ops.some((o) => o.op === 'text' && /[髙﨑]/.test(o.text))).toBe(false);
    // The IBM extension lead bytes (FA–FC) of 髙 FBFC and 﨑 FAB1 appear nowhere in the text runs.
    const hex = Buffer.from(bytes).toString('hex');
    expect(hex).not.toContain('fbfc');
    expect(hex).not.toContain('fab1');
  });

  it('renders text monospaced: each character in its Font A cell', () => {
    const inkSpan = (text: string) => {
      const { png } = renderOps([{ op: 'init' }, { op: 'text', text }, { op: 'newline' }], 576);
      const img = PNG.sync.read(png);
      let max = 0;
      for (let y = 0; y < img.height; y++)
        for (let x = 0; x < img.width; x++)
          if (img.data[(y * img.width + x) * 4]! < 128) max = Math.max(max, x);
      return max;
    };
    // Ten narrow and ten wide letters end in the same cell (proportional text would differ by ~100 dots).
    expect(Math.abs(inkSpan('iiiiiiiiii') - inkSpan('WWWWWWWWWW'))).toBeLessThan(12);
    // A full-width character takes two cells.
    expect(inkSpan('ああああ')).toBeGreaterThan(inkSpan('aaaaaaa'));
  });

  it('sends the receipt heading centred, double width and height and emphasized (ESC a 1, GS ! 0x11, ESC E 1)', () => {
    const bytes = Buffer.from(receiptEscPos(RECEIPT, 576)).toString('hex');
    // ESC @, FS C 1 (Shift_JIS), ESC a 1, GS ! 0x11, ESC E 1, FS & 領収書 FS . LF, ESC E 0, GS ! 0x00
    expect(
      bytes.startsWith(
        '1b40' +
          '1c4301' +
          '1b6101' +
          '1d2111' +
          '1b4501' +
          '1c26' +
          '97cc8efb8f91' +
          '1c2e' +
          '0a' +
          '1b4500' +
          '1d2100',
      ),
    ).toBe(true);
    // …and the next line (室蘭市) is back to normal size, still centred.
    const ops = new EscPosDecoder().push(receiptEscPos(RECEIPT, 576));
    const second = ops.findIndex((o) => o.op === 'text' && o.text === '室蘭市');
    expect(
      ops.slice(0, second).filter((o) => o.op === 'size' || o.op === 'bold' || o.op === 'align'),
    ).toEqual([
      { op: 'align', value: 'center' },
      { op: 'size', w: 2, h: 2 },
      { op: 'bold', on: true },
      { op: 'bold', on: false },
      { op: 'size', w: 1, h: 1 },
    ]);
  });

  it('sends a thermal certificate title as the same heading, then the body as a raster', async () => {
    const doc = await sampleDocument('koseki-zenbu');
    const bytes = Buffer.from(thermalCertificateEscPos(doc, 576)).toString('hex');
    const title = iconv.encode('戸籍全部事項証明書', 'Shift_JIS').toString('hex');
    expect(
      bytes.startsWith(
        `1b40 1c4301 1b6101 1d2111 1b4501 1c26 ${title} 1c2e 0a 1b4500 1d2100 1b6100 1d7630`.replaceAll(
          ' ',
          '',
        ),
      ),
    ).toBe(true);
  });

  it('renders headings as a head prints them: centred, twice as tall and wide, emphasized', () => {
    const ink = (ops: EscPosOp[]) => {
      const img = PNG.sync.read(renderOps(ops, 576).png);
      let [n, x0, x1, y0, y1] = [0, img.width, 0, img.height, 0];
      for (let y = 0; y < img.height; y++)
        for (let x = 0; x < img.width; x++)
          if (img.data[(y * img.width + x) * 4]! < 128) {
            n++;
            [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
          }
      return { n, x0, x1, y0, y1, height: img.height };
    };
    const heading = ink(
      new EscPosDecoder().push(receiptEscPos({ ...RECEIPT, lines: [], footer: [] }, 576)).slice(0, 9),
    );
    const plain = ink([{ op: 'init' }, { op: 'text', text: '領収書' }, { op: 'newline' }]);
    const doubled = ink([
      { op: 'init' },
      { op: 'size', w: 2, h: 2 },
      { op: 'text', text: '領収書' },
      { op: 'newline' },
    ]);
    // Centred on the 576-dot line.
    expect(Math.abs((heading.x0 + heading.x1) / 2 - 288)).toBeLessThan(8);
    // Twice as tall and wide as the plain line (three 24-dot characters become 48-dot ones).
    expect(heading.y1 - heading.y0).toBeGreaterThan(1.7 * (plain.y1 - plain.y0));
    expect(heading.x1 - heading.x0).toBeGreaterThan(1.7 * (plain.x1 - plain.x0));
    // Emphasized: more ink than the same size without ESC E 1.
    expect(heading.n).toBeGreaterThan(doubled.n * 1.15);
  });

  it('keeps the block headings of a certificate on the roll: one bar per member or part', async () => {
    for (const type of ['juminhyo', 'shotoku-kazei'] as const) {
      const doc = await sampleDocument(type);
      const ops = new EscPosDecoder().push(thermalCertificateEscPos(doc, 576));
      const raster = ops.find((o) => o.op === 'raster');
      if (raster?.op !== 'raster') throw new Error('no raster');
      // A heading is an inverted bar: 20 or more rows mostly black (its white text takes little of a row;
      // a rule is 1 row).
      let bars = 0;
      let run = 0;
      for (let y = 0; y < raster.height; y++) {
        let black = 0;
        for (let x = 0; x < raster.widthDots; x++)
          black += (raster.bits[y * (raster.widthDots / 8) + (x >> 3)]! >> (7 - (x & 7))) & 1;
        run = black > 0.6 * raster.widthDots ? run + 1 : 0;
        if (run === 20) bars++;
      }
      expect(bars, type).toBe(toForm(doc).blocks.filter((b) => b.heading).length);
    }
  });

  it('fails fast without a transport', () => {
    expect(() => new EscPosDriver(undefined)).toThrow(PrinterError);
  });
});
