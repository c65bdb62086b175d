// A printer with no hardware (embedded demo, tests): jobs land as files in a spool directory; the
// control API sets paper, cover, toner and online states, including a paper-out during the next job.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrinterError } from '../errors.js';
import type { JobEvent, PrinterDriver, PrinterState } from '../interface.js';

export interface PrinterSimulatorControl {
  setPaper(p: 'ok' | 'low' | 'out'): void;
  setCoverOpen(open: boolean): void;
  setOffline(off: boolean): void;
  /** Toner (or ink ribbon) empty: the printer reports a hardware error, as CUPS does for toner-empty. */
  setTonerEmpty(empty: boolean): void;
  /** The next job runs the paper out half-way: it fails and nothing counts as printed. */
  paperOutDuringNextJob(): void;
}

/** How many of the latest job files `printed` names. */
export const PRINTED_KEPT = 100;

export class SimulatedPrinter implements PrinterDriver, PrinterSimulatorControl {
  private st: PrinterState = { device: 'online', paper: 'ok', coverOpen: false };
  private failNext = false;
  private tonerEmpty = false;
  private listeners = new Set<(e: JobEvent) => void>();
  /** The latest jobs' files, oldest first; only the last PRINTED_KEPT (the spool directory has them all). */
  readonly printed: string[] = [];

  constructor(
    private readonly spoolDir: string,
    private readonly extension: string,
  ) {}

  setPaper(p: 'ok' | 'low' | 'out') {
    this.st.paper = p;
  }
  setCoverOpen(open: boolean) {
    this.st.coverOpen = open;
  }
  setOffline(off: boolean) {
    this.st.device = off ? 'offline' : 'online';
  }
  setTonerEmpty(empty: boolean) {
    this.tonerEmpty = empty;
  }
  paperOutDuringNextJob() {
    this.failNext = true;
  }

  async state(): Promise<PrinterState> {
    if (this.tonerEmpty && this.st.device === 'online') return { ...this.st, device: 'hardwareError' };
    return { ...this.st };
  }

  async submit(job: {
    id: string;
    data: Uint8Array;
    contentType?: 'application/pdf' | 'application/vnd.escpos';
  }): Promise<{ bytes: number }> {
    const fail = (kind: 'paperOut' | 'coverOpen' | 'offline', message: string) => {
      this.listeners.forEach((l) => l({ type: 'failed', jobId: job.id, kind, message }));
      return new PrinterError(kind, message);
    };
    if (this.st.paper === 'out') throw fail('paperOut', 'paper out');
    if (this.st.coverOpen) throw fail('coverOpen', 'cover open');
    if (this.st.device === 'offline') throw fail('offline', 'printer offline');
    if (this.tonerEmpty) throw fail('offline', 'toner empty');
    this.listeners.forEach((l) => l({ type: 'submitted', jobId: job.id }));
    if (this.failNext) {
      this.failNext = false;
      this.st.paper = 'out';
      throw fail('paperOut', `job ${job.id} failed: paper ran out during the job`);
    }
    mkdirSync(this.spoolDir, { recursive: true });
    const file = join(this.spoolDir, `${job.id.replace(/[^\w.-]/g, '_')}.${this.extension}`);
    writeFileSync(file, job.data);
    this.printed.push(file);
    // A demo kiosk prints for months: a list of every job ever printed would only grow.
    if (this.printed.length > PRINTED_KEPT) this.printed.splice(0, this.printed.length - PRINTED_KEPT);
    this.listeners.forEach((l) => l({ type: 'done', jobId: job.id, bytes: job.data.length }));
    return { bytes: job.data.length };
  }

  onJobEvent(listener: (e: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async close(): Promise<void> {}
}
