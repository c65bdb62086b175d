// Page printer through CUPS with the standard client tools (lp, lpstat), pointed at a server by
// CUPS_SERVER. Chosen over an IPP library: the npm `ipp` package is unmaintained (engines node<4,
// deprecated Buffer API), while lp/lpstat ship with every CUPS install and speak IPP for us.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PrinterError } from '../errors.js';
import type { JobEvent, PrinterDriver, PrinterState } from '../interface.js';

const run = promisify(execFile);

export interface CupsOptions {
  queue: string;
  /** host:port of cupsd; omitted = the client default. */
  server?: string;
  pollMs?: number;
  timeoutMs?: number;
}

export class CupsDriver implements PrinterDriver {
  private listeners = new Set<(e: JobEvent) => void>();
  constructor(private readonly opts: CupsOptions) {}

  private env() {
    return this.opts.server ? { ...process.env, CUPS_SERVER: this.opts.server } : process.env;
  }
  private async cli(cmd: string, args: string[], input?: Uint8Array): Promise<string> {
    try {
      if (input) {
        return await new Promise((resolve, reject) => {
          const p = execFile(cmd, args, { env: this.env() }, (e, out) => (e ? reject(e) : resolve(out)));
          p.stdin!.end(Buffer.from(input));
        });
      }
      return (await run(cmd, args, { env: this.env() })).stdout;
    } catch (e) {
      throw new PrinterError('offline', `${cmd}: ${(e as Error).message.trim()}`);
    }
  }

  async state(): Promise<PrinterState> {
    const out = await this.cli('lpstat', ['-l', '-p', this.opts.queue]);
    const disabled = /disabled/.test(out);
    const alerts = /Alerts:(.*)/.exec(out)?.[1] ?? '';
    return {
      device: disabled ? 'offline' : /now printing/.test(out) ? 'busy' : 'online',
      paper: /media-empty|media-needed/.test(alerts) ? 'out' : /media-low/.test(alerts) ? 'low' : /media-jam/.test(alerts) ? 'jammed' : 'ok',
      coverOpen: /cover-open|door-open/.test(alerts),
    };
  }

  async submit(job: { id: string; data: Uint8Array; contentType: 'application/pdf' | 'application/vnd.escpos' }): Promise<{ bytes: number }> {
    const emit = (e: JobEvent) => this.listeners.forEach((l) => l(e));
    // Printer-language bytes pass the filters untouched; PDFs go through the queue's filter chain.
    const raw = job.contentType === 'application/vnd.escpos' ? ['-o', 'raw'] : [];
    const out = await this.cli('lp', ['-d', this.opts.queue, '-t', job.id, ...raw], job.data);
    const cupsId = /request id is (\S+)/.exec(out)?.[1];
    if (!cupsId) throw new PrinterError('jobFailed', `lp gave no job id: ${out.trim()}`);
    emit({ type: 'submitted', jobId: job.id });
    const deadline = Date.now() + (this.opts.timeoutMs ?? 60_000);
    for (;;) {
      const pending = await this.cli('lpstat', ['-o', this.opts.queue]);
      if (!pending.split('\n').some((l) => l.startsWith(`${cupsId} `))) break;
      // A job that cannot proceed stays queued: the printer's state message says why.
      const printer = await this.cli('lpstat', ['-l', '-p', this.opts.queue]);
      const why = /\n\t(.*(?:failed|error|stopped|Unable).*)\n/i.exec(printer)?.[1]?.trim();
      if (why || /disabled/.test(printer.split('\n')[0] ?? '')) {
        await this.cli('cancel', [cupsId]).catch(() => undefined);
        const message = `CUPS job ${cupsId} failed: ${why ?? 'printer disabled'}`;
        emit({ type: 'failed', jobId: job.id, kind: 'jobFailed', message });
        throw new PrinterError('jobFailed', message);
      }
      if (Date.now() > deadline) {
        emit({ type: 'failed', jobId: job.id, kind: 'timeout', message: 'job not completed in time' });
        throw new PrinterError('timeout', `CUPS job ${cupsId} not completed in time`);
      }
      await new Promise((r) => setTimeout(r, this.opts.pollMs ?? 100));
    }
    // Left the queue: completed, or aborted/cancelled (listed among completed jobs, printer stopped).
    const st = await this.state();
    if (st.device === 'offline') {
      emit({ type: 'failed', jobId: job.id, kind: 'jobFailed', message: 'printer stopped during the job' });
      throw new PrinterError('jobFailed', `CUPS job ${cupsId} stopped the printer`);
    }
    emit({ type: 'done', jobId: job.id, bytes: job.data.length });
    return { bytes: job.data.length };
  }

  onJobEvent(listener: (e: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async close(): Promise<void> {}
}
