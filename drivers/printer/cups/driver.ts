// Page printer through CUPS over IPP: Print-Job to submit, Get-Job-Attributes and
// Get-Printer-Attributes to follow the job and the printer (./ipptool.ts), states mapped from IPP
// keywords (./ipp-state.ts), so a kiosk running in Japanese reads them exactly as one in C.
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { PrinterError } from '../errors.js';
import type { JobEvent, PrinterDriver, PrinterErrorKind, PrinterState } from '../interface.js';
import { blockingKind, jobStatusFromIpp, printerStateFromIpp } from './ipp-state.js';
import { ipp, type IppTarget } from './ipptool.js';

export interface CupsOptions {
  queue: string;
  /** host:port of cupsd; omitted = $CUPS_SERVER when it names host[:port], else localhost:631. */
  server?: string;
  /** Longest wait between two looks at a job; the first looks come sooner (10 ms, doubling up to this). */
  pollMs?: number;
  timeoutMs?: number;
  /**
   * How long a processing job may see a blocking printer reason before it is taken back. CUPS keeps the
   * reasons a backend last reported until a backend runs again, so a jam whose job was cancelled still
   * shows while the next job's backend starts and clears it.
   */
  faultSettleMs?: number;
}

/** host:port for the IPP URI. */
export function cupsServer(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const s =
    configured || (env.CUPS_SERVER && !env.CUPS_SERVER.startsWith('/') ? env.CUPS_SERVER : '') || 'localhost';
  return /:\d+$/.test(s) ? s : `${s}:631`;
}

export class CupsDriver implements PrinterDriver {
  private listeners = new Set<(e: JobEvent) => void>();
  private readonly target: IppTarget;
  constructor(private readonly opts: CupsOptions) {
    this.target = { server: cupsServer(opts.server), queue: opts.queue, timeoutMs: 10_000 };
  }

  async state(): Promise<PrinterState> {
    const [attrs] = await ipp(this.target, 'printer');
    if (!attrs) throw new PrinterError('malformedStatus', `no printer attributes for ${this.opts.queue}`);
    try {
      return printerStateFromIpp(attrs);
    } catch (e) {
      throw new PrinterError('malformedStatus', (e as Error).message);
    }
  }

  async submit(job: {
    id: string;
    data: Uint8Array;
    contentType: 'application/pdf' | 'application/vnd.escpos';
  }): Promise<{ bytes: number }> {
    const emit = (e: JobEvent) => this.listeners.forEach((l) => l(e));
    const fail = (kind: PrinterErrorKind, message: string): never => {
      emit({ type: 'failed', jobId: job.id, kind, message });
      throw new PrinterError(kind, message);
    };
    // Printer-language bytes go to the device untouched (raw); PDFs through the queue's filters.
    const format =
      job.contentType === 'application/vnd.escpos' ? 'application/vnd.cups-raw' : 'application/pdf';
    const file = join(tmpdir(), `madoguchi-job-${randomUUID()}`);
    writeFileSync(file, job.data, { mode: 0o600 });
    let cupsId: string | undefined;
    try {
      const [answer] = await ipp(this.target, 'print', {
        filename: file,
        format,
        jobname: job.id,
        user: userInfo().username,
      });
      cupsId = answer?.['job-id']?.[0];
    } finally {
      rmSync(file, { force: true });
    }
    if (!cupsId || !/^\d+$/.test(cupsId)) return fail('jobFailed', `CUPS gave no job id for ${job.id}`);
    emit({ type: 'submitted', jobId: job.id });
    const deadline = Date.now() + (this.opts.timeoutMs ?? 60_000);
    // A page job on a ready printer is done within a few hundred ms: look early, then less often.
    let wait = 10;
    let blockedSince: number | null = null;
    for (;;) {
      // The job and the printer asked together; the printer's answer matters only while the job waits.
      const printerState = this.state();
      printerState.catch(() => undefined);
      const [attrs] = await ipp(this.target, 'job', { jobid: cupsId });
      const status = jobStatusFromIpp(attrs ?? {});
      if (status.phase === 'completed') break;
      const why = `CUPS job ${cupsId} ${status.state}${status.reasons.length ? ` (${status.reasons.join(', ')})` : ''}`;
      if (status.phase !== 'waiting') return fail('jobFailed', why);
      // A job that cannot go on (out of paper, jammed, queue stopped, stopped by a filter or
      // backend error) is taken back, not left to print later for nobody. Printer reasons count
      // once the job is at the printer; before that only a stopped queue does (a backend reports
      // the printer's state afresh when it starts the job).
      const printer = await printerState;
      let blocked: PrinterErrorKind | null = null;
      if (status.state === 'processing-stopped') blocked = blockingKind(printer) ?? 'jobFailed';
      else if (status.state !== 'processing') blocked = printer.device === 'offline' ? 'offline' : null;
      else if ((blocked = blockingKind(printer))) {
        blockedSince ??= Date.now();
        if (Date.now() - blockedSince < (this.opts.faultSettleMs ?? 1500)) blocked = null;
      } else blockedSince = null;
      if (blocked) {
        await ipp(this.target, 'cancel', { jobid: cupsId }).catch(() => undefined);
        return fail(blocked, `${why}: ${blocked}`);
      }
      if (Date.now() > deadline) {
        await ipp(this.target, 'cancel', { jobid: cupsId }).catch(() => undefined);
        return fail('timeout', `CUPS job ${cupsId} not completed in time`);
      }
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, this.opts.pollMs ?? 100);
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
