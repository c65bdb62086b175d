// The printer interface (types only): XFS-like device and media states, jobs and their events.
export type PrinterDeviceState = 'online' | 'offline' | 'busy' | 'hardwareError';
export type PaperState = 'ok' | 'low' | 'out' | 'jammed' | 'unknown';

export interface PrinterState {
  device: PrinterDeviceState;
  paper: PaperState;
  coverOpen: boolean;
}

export type PrinterErrorKind =
  | 'paperOut'
  | 'coverOpen'
  | 'offline'
  | 'jammed'
  | 'timeout'
  | 'transport'
  | 'malformedStatus'
  | 'jobFailed'
  | 'noTransport';

export type JobEvent =
  | { type: 'submitted'; jobId: string }
  | { type: 'done'; jobId: string; bytes: number }
  | { type: 'failed'; jobId: string; kind: PrinterErrorKind; message: string };

export interface PrinterDriver {
  /** Queries the printer now (real-time status for ESC/POS, IPP/lpstat for CUPS). */
  state(): Promise<PrinterState>;
  /** Sends one job; resolves when the printer reports it done, rejects with PrinterError if not. */
  submit(job: {
    id: string;
    data: Uint8Array;
    contentType: 'application/pdf' | 'application/vnd.escpos';
  }): Promise<{ bytes: number }>;
  onJobEvent(listener: (e: JobEvent) => void): () => void;
  close(): Promise<void>;
}
