// The other ways to a thermal head: a serial line (a pty bridged to the emulator by socat) and the
// Star command set (raster through node-thermal-printer, never the library's EUC-JP text path).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { EscPosEmulator } from '../../fixtures/escpos-emulator/emulator.js';
import { EscPosDriver } from '../../drivers/printer/escpos/driver.js';
import { serialTransport } from '../../drivers/printer/escpos/serial.js';
import { starRasterJob } from '../../drivers/printer/escpos/star.js';
import { receiptEscPos, receiptPng } from '../../src/documents/thermal.js';
import { when } from '../support/wait.js';

const RECEIPT = {
  municipality: '室蘭市',
  title: '領収書',
  kioskId: 'MRN-DEMO-01',
  transactionRef: 'T-9',
  at: new Date('2026-11-26T01:02:00Z'),
  lines: [{ label: '戸籍全部事項証明書 1通', amount: 450 }],
};

let emu: EscPosEmulator | undefined;
let socat: ChildProcess | undefined;
afterEach(async () => {
  socat?.kill();
  await emu?.stop();
});

describe('thermal printer variants', () => {
  it('prints a receipt over a serial line with real-time status', async () => {
    emu = new EscPosEmulator();
    const port = await emu.start();
    const dir = mkdtempSync(join(tmpdir(), 'madoguchi-pty-'));
    const link = join(dir, 'printer');
    // socat is ready when its pty link appears in the directory (watched, not polled).
    const watcher = watch(dir);
    const ready = when(
      (l) => (watcher.on('change', l), () => watcher.close()),
      () => existsSync(link),
      'the socat pty link',
      5_000,
    );
    socat = spawn('socat', [`pty,raw,echo=0,link=${link}`, `tcp:127.0.0.1:${port}`], { stdio: 'ignore' });
    await ready;
    const driver = new EscPosDriver(await serialTransport(link, 38400));
    try {
      expect(await driver.state()).toEqual({ device: 'online', paper: 'ok', coverOpen: false });
      await driver.submit({ id: 's1', data: receiptEscPos(RECEIPT) });
      expect(emu.jobs[0]!.transcript).toContain('戸籍全部事項証明書 1通');
    } finally {
      await driver.close();
    }
  });

  it('sends Star jobs as a raster, with no EUC-JP or Shift_JIS text', async () => {
    const png = receiptPng(RECEIPT, 576);
    expect(PNG.sync.read(png).width).toBe(576);
    const bytes = Buffer.from(await starRasterJob(png));
    for (const enc of ['EUC-JP', 'Shift_JIS']) expect(bytes.indexOf(iconv.encode('領収書', enc))).toBe(-1);
    // ESC GS a 1 (centre), then the library's Star raster, then its cut.
    expect(bytes.subarray(0, 4).toString('hex')).toBe('1b1d6101');
    expect(bytes.length).toBeGreaterThan((576 / 8) * PNG.sync.read(png).height * 0.9);
  });
});
