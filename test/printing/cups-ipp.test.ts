// Printer and job state over IPP. Vectors for the attribute → XFS-like state mapping, then a
// private cupsd whose TEST printer's backend reports paper out, a jam or a failure as real
// backends do, read through the driver under LANG=C and LANG=ja_JP.UTF-8 (where lpstat's text is
// Japanese and the IPP keywords are not).
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCups, type CupsHarness } from '../../fixtures/cups/harness.js';
import { CupsDriver, cupsServer } from '../../drivers/printer/cups/driver.js';
import {
  blockingKind,
  jobStatusFromIpp,
  parseIpptoolCsv,
  printerStateFromIpp,
  reasonKeywords,
} from '../../drivers/printer/cups/ipp-state.js';
import { JA_LOCALE, requireJapaneseLocale } from '../support/locale.js';

describe('ipptool CSV', () => {
  it('reads a header and one row, multi-valued attributes as one quoted field', () => {
    const csv =
      'printer-state,printer-state-reasons,printer-is-accepting-jobs\nstopped,"media-empty-error,paused",true\n';
    expect(parseIpptoolCsv(csv)).toEqual([
      {
        'printer-state': ['stopped'],
        'printer-state-reasons': ['media-empty-error', 'paused'],
        'printer-is-accepting-jobs': ['true'],
      },
    ]);
  });
  it('reads several rows, empty fields as no values, doubled quotes', () => {
    expect(parseIpptoolCsv('job-id,job-name\r\n7,"a ""b"""\r\n8,\r\n')).toEqual([
      { 'job-id': ['7'], 'job-name': ['a "b"'] },
      { 'job-id': ['8'], 'job-name': [] },
    ]);
    expect(parseIpptoolCsv('')).toEqual([]);
  });
});

describe('printer state from IPP attributes', () => {
  const st = (state: string, reasons: string[], accepting = 'true') =>
    printerStateFromIpp({
      'printer-state': [state],
      'printer-state-reasons': reasons,
      'printer-is-accepting-jobs': [accepting],
    });
  it('maps the printer-state enum by keyword and by number', () => {
    expect(st('idle', ['none'])).toEqual({ device: 'online', paper: 'ok', coverOpen: false });
    expect(st('3', ['none'])).toEqual({ device: 'online', paper: 'ok', coverOpen: false });
    expect(st('processing', ['none']).device).toBe('busy');
    expect(st('4', []).device).toBe('busy');
    expect(st('stopped', ['none']).device).toBe('offline');
  });
  it('paper out, low and jammed, whatever the severity suffix', () => {
    expect(st('processing', ['media-empty-error']).paper).toBe('out');
    expect(st('stopped', ['media-needed-warning']).paper).toBe('out');
    expect(st('idle', ['media-low-report']).paper).toBe('low');
    expect(st('processing', ['media-jam-error']).paper).toBe('jammed');
    expect(st('stopped', ['media-empty-error']).device).toBe('online');
  });
  it('cover or door open', () => {
    expect(st('stopped', ['cover-open-error']).coverOpen).toBe(true);
    expect(st('stopped', ['door-open-warning']).coverOpen).toBe(true);
  });
  it('a paused (disabled) queue, a rejecting queue and an unreachable device are offline', () => {
    expect(st('stopped', ['paused']).device).toBe('offline');
    expect(st('idle', ['none'], 'false').device).toBe('offline');
    expect(st('processing', ['offline-report']).device).toBe('offline');
    expect(st('processing', ['connecting-to-device']).device).toBe('offline');
  });
  it('supply and fuser errors are hardware errors', () => {
    expect(st('stopped', ['marker-supply-empty-error']).device).toBe('hardwareError');
    expect(st('stopped', ['fuser-over-temp-error']).device).toBe('hardwareError');
  });
  it('rejects a missing or unknown printer-state', () => {
    expect(() => printerStateFromIpp({ 'printer-state-reasons': ['none'] })).toThrow(/printer-state/);
    expect(() => printerStateFromIpp({ 'printer-state': ['9'] })).toThrow(/printer-state/);
  });
  it('strips severity suffixes and ignores "none"', () => {
    expect([...reasonKeywords(['none', 'media-empty-error', 'toner-low-warning', 'paused'])]).toEqual([
      'media-empty',
      'toner-low',
      'paused',
    ]);
  });
  it('names what blocks a job', () => {
    expect(blockingKind(st('processing', ['media-empty-error']))).toBe('paperOut');
    expect(blockingKind(st('processing', ['media-jam-error']))).toBe('jammed');
    expect(blockingKind(st('stopped', ['cover-open-error']))).toBe('coverOpen');
    expect(blockingKind(st('stopped', ['paused']))).toBe('offline');
    expect(blockingKind(st('processing', ['media-low-report']))).toBeNull();
  });
});

describe('job state from IPP attributes', () => {
  it('maps every job-state (RFC 8011 §5.3.7) by number and by keyword', () => {
    const phase = (s: string) => jobStatusFromIpp({ 'job-state': [s], 'job-state-reasons': ['none'] }).phase;
    expect(['3', '4', '5', '6', '7', '8', '9'].map(phase)).toEqual([
      'waiting',
      'waiting',
      'waiting',
      'waiting',
      'canceled',
      'aborted',
      'completed',
    ]);
    expect(['pending', 'processing-stopped', 'aborted', 'completed'].map(phase)).toEqual([
      'waiting',
      'waiting',
      'aborted',
      'completed',
    ]);
    expect(
      jobStatusFromIpp({ 'job-state': ['6'], 'job-state-reasons': ['job-completed-with-errors'] }),
    ).toEqual({ phase: 'waiting', state: 'processing-stopped', reasons: ['job-completed-with-errors'] });
    expect(() => jobStatusFromIpp({ 'job-state': ['2'] })).toThrow(/job-state/);
  });
});

describe('cupsServer', () => {
  it('uses the configured server, else CUPS_SERVER host[:port], else localhost:631', () => {
    expect(cupsServer('127.0.0.1:8631', {})).toBe('127.0.0.1:8631');
    expect(cupsServer('', { CUPS_SERVER: 'printhost' })).toBe('printhost:631');
    expect(cupsServer('', { CUPS_SERVER: '/run/cups/cups.sock' })).toBe('localhost:631');
    expect(cupsServer(undefined, {})).toBe('localhost:631');
  });
});

let cups: CupsHarness;
beforeAll(async () => {
  requireJapaneseLocale();
  cups = await startCups();
}, 60_000);
afterAll(async () => {
  await cups?.stop();
});

const job = (id: string) => ({
  id,
  data: Buffer.from('%PDF-1.7\n% test job\n'),
  contentType: 'application/pdf' as const,
});

for (const lang of ['C', JA_LOCALE]) {
  describe(`a private cupsd read over IPP under LANG=${lang}`, () => {
    const saved = { LANG: process.env.LANG, LC_ALL: process.env.LC_ALL };
    beforeAll(() => {
      process.env.LANG = lang;
      process.env.LC_ALL = lang;
    });
    afterAll(() => {
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      cups.setTestPrinter('ok');
    });
    const driver = () =>
      new CupsDriver({ queue: cups.testQueue, server: cups.server, timeoutMs: 20_000, pollMs: 50 });
    const cli = (cmd: string, ...args: string[]) =>
      execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, CUPS_SERVER: cups.server } });

    it('the locale is live: lpstat speaks it', () => {
      const text = cli('lpstat', '-p', cups.testQueue);
      if (lang === 'C') expect(text).toMatch(/^printer TEST is idle/);
      else expect(text).not.toMatch(/printer TEST is idle/);
    });

    it('prints a job and reads the idle printer', async () => {
      cups.setTestPrinter('ok');
      const events: string[] = [];
      const d = driver();
      d.onJobEvent((e) => events.push(e.type));
      await expect(d.submit(job('ok'))).resolves.toEqual({ bytes: job('x').data.length });
      expect(events).toEqual(['submitted', 'done']);
      expect(await d.state()).toEqual({ device: 'online', paper: 'ok', coverOpen: false });
    });

    it('paper out: the job is taken back as paperOut and the printer reads out of paper', async () => {
      cups.setTestPrinter('paper-out');
      const d = driver();
      const failed: string[] = [];
      d.onJobEvent((e) => e.type === 'failed' && failed.push(e.kind));
      await expect(d.submit(job('paper'))).rejects.toMatchObject({ name: 'PrinterError', kind: 'paperOut' });
      expect(failed).toEqual(['paperOut']);
      expect((await d.state()).paper).toBe('out');
      cups.setTestPrinter('ok');
      await d.submit(job('refilled'));
      expect((await d.state()).paper).toBe('ok');
    });

    it('jam: the job is taken back as jammed and the printer reads jammed', async () => {
      cups.setTestPrinter('jam');
      const d = driver();
      await expect(d.submit(job('jam'))).rejects.toMatchObject({ kind: 'jammed' });
      expect((await d.state()).paper).toBe('jammed');
      cups.setTestPrinter('ok');
      await d.submit(job('cleared'));
    });

    it('queue stopped: the printer reads offline and a job is refused as offline, not left queued', async () => {
      cli('cupsdisable', cups.testQueue);
      try {
        const d = driver();
        expect((await d.state()).device).toBe('offline');
        await expect(d.submit(job('stopped'))).rejects.toMatchObject({ kind: 'offline' });
        expect(cli('lpstat', '-o', cups.testQueue).trim()).toBe('');
      } finally {
        cli('cupsenable', cups.testQueue);
      }
      expect((await driver().state()).device).toBe('online');
    });

    it('job aborted by the backend: jobFailed, and the printer goes on', async () => {
      cups.setTestPrinter('fail');
      const d = driver();
      await expect(d.submit(job('abort'))).rejects.toMatchObject({
        kind: 'jobFailed',
        message: expect.stringMatching(/aborted/),
      });
      cups.setTestPrinter('ok');
      await expect(d.submit(job('after'))).resolves.toEqual({ bytes: job('x').data.length });
    });
  });
}
