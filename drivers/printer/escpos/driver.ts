// ESC/POS printer over a byte transport (TCP 9100 or a serial line). Real-time status (DLE EOT 1, 2,
// 4) is read before each job, to refuse one that cannot print, and after it, so a paper-out in the
// middle of a job is reported as a failed job and never as printed.
import { connect, type Socket } from 'node:net';
import { PrinterError } from '../errors.js';
import type { JobEvent, PrinterDriver, PrinterState } from '../interface.js';
import { cmd, parseStatus } from './protocol.js';
import { replyInbox } from './inbox.js';

/** The one thing a transport does: write bytes and read the next `n` answered bytes. */
export interface ByteTransport {
  write(bytes: Uint8Array): Promise<void>;
  read(n: number, timeoutMs: number): Promise<Uint8Array>;
  /** Drops bytes received but not read (a late answer to an earlier question). */
  clear?(): void;
  close(): Promise<void>;
}

export async function tcpTransport(host: string, port: number, timeoutMs = 3000): Promise<ByteTransport> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect({ host, port });
    const t = setTimeout(
      () => (s.destroy(), reject(new PrinterError('offline', `no answer from ${host}:${port}`))),
      timeoutMs,
    );
    s.once('connect', () => (clearTimeout(t), resolve(s)));
    s.once(
      'error',
      (e) => (
        clearTimeout(t),
        reject(new PrinterError('offline', `cannot connect to ${host}:${port}: ${e.message}`))
      ),
    );
  });
  const inbox = replyInbox('');
  socket.on('data', (d) => inbox.push(d));
  socket.on('error', () => undefined);
  return {
    write: (bytes) =>
      new Promise((resolve, reject) =>
        socket.write(bytes, (e) => (e ? reject(new PrinterError('transport', e.message)) : resolve())),
      ),
    read: inbox.read,
    clear: inbox.clear,
    close: () => new Promise((resolve) => socket.end(() => resolve())),
  };
}

export class EscPosDriver implements PrinterDriver {
  private listeners = new Set<(e: JobEvent) => void>();
  /**
   * One conversation with the printer at a time: status answers carry no tag, so two callers
   * asking at once (the service check and a payment) would read each other's bytes.
   */
  private turn: Promise<unknown> = Promise.resolve();
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const mine = this.turn.then(work, work);
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  constructor(
    private readonly transport: ByteTransport | undefined,
    private readonly statusTimeoutMs = 2000,
  ) {
    if (!transport) throw new PrinterError('noTransport', 'EscPosDriver needs a transport (TCP or serial)');
  }

  private async ask(n: 1 | 2 | 4) {
    this.transport!.clear?.();
    await this.transport!.write(Uint8Array.from(cmd.status(n)));
    return parseStatus(n, (await this.transport!.read(1, this.statusTimeoutMs))[0]);
  }

  state(): Promise<PrinterState> {
    return this.exclusive(() => this.readState());
  }

  private async readState(): Promise<PrinterState> {
    const s1 = await this.ask(1);
    const s2 = await this.ask(2);
    const s4 = await this.ask(4);
    const paper = s4.paperEnd || s2.paperEndStop ? 'out' : s4.paperNearEnd ? 'low' : 'ok';
    return { device: s1.offline ? 'offline' : 'online', paper, coverOpen: s2.coverOpen ?? false };
  }

  private static blocker(s: PrinterState): PrinterError | undefined {
    if (s.paper === 'out') return new PrinterError('paperOut', 'paper out');
    if (s.coverOpen) return new PrinterError('coverOpen', 'cover open');
    if (s.device === 'offline') return new PrinterError('offline', 'printer offline');
    return undefined;
  }

  submit(job: {
    id: string;
    data: Uint8Array;
    contentType?: 'application/pdf' | 'application/vnd.escpos';
  }): Promise<{ bytes: number }> {
    return this.exclusive(() => this.print(job));
  }

  private async print(job: { id: string; data: Uint8Array }): Promise<{ bytes: number }> {
    const emit = (e: JobEvent) => this.listeners.forEach((l) => l(e));
    try {
      const before = EscPosDriver.blocker(await this.readState());
      if (before) throw before;
      emit({ type: 'submitted', jobId: job.id });
      await this.transport!.write(job.data);
      // The status answer comes after the printer has processed everything before it.
      const after = EscPosDriver.blocker(await this.readState());
      if (after) throw new PrinterError(after.kind, `job ${job.id} failed: ${after.message}`);
      emit({ type: 'done', jobId: job.id, bytes: job.data.length });
      return { bytes: job.data.length };
    } catch (e) {
      const err = e instanceof PrinterError ? e : new PrinterError('transport', (e as Error).message);
      emit({ type: 'failed', jobId: job.id, kind: err.kind, message: err.message });
      throw err;
    }
  }

  onJobEvent(listener: (e: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    return this.transport!.close();
  }
}
