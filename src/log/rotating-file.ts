// A log file that rotates by size and never grows the disk past a hard cap: madoguchi.log is
// renamed to madoguchi.log.1 (older ones shift up) once it reaches maxFileBytes, and only
// maxFiles rotated files are kept, so the logs take at most maxFileBytes × (maxFiles + 1).
// Writes are synchronous appends: a line written before a crash is on disk.
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export interface RotatingFileOptions {
  maxFileBytes: number;
  maxFiles: number;
}

export class RotatingFile {
  private fd: number | null = null;
  private size = 0;
  /** Lines that could not be written (disk full): counted, never retried, never thrown. */
  dropped = 0;

  constructor(
    readonly path: string,
    private readonly opts: RotatingFileOptions,
  ) {
    mkdirSync(dirname(path), { recursive: true });
  }

  private open(): number {
    if (this.fd === null) {
      this.fd = openSync(this.path, 'a', 0o640);
      this.size = fstatSync(this.fd).size;
    }
    return this.fd;
  }

  private rotate(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(`${this.path}.${this.opts.maxFiles}`, { force: true });
    for (let i = this.opts.maxFiles - 1; i >= 1; i--)
      if (existsSync(`${this.path}.${i}`)) renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
    if (this.opts.maxFiles > 0) renameSync(this.path, `${this.path}.1`);
    else rmSync(this.path, { force: true });
  }

  write(line: string): boolean {
    try {
      const buf = Buffer.from(line);
      // One line longer than a whole file is cut rather than let through.
      const data = buf.length > this.opts.maxFileBytes ? buf.subarray(0, this.opts.maxFileBytes - 1) : buf;
      if (this.size > 0 && this.sizeAfter(data.length) > this.opts.maxFileBytes) this.rotate();
      const fd = this.open();
      writeSync(fd, data);
      if (data !== buf) writeSync(fd, '\n');
      this.size += data.length + (data !== buf ? 1 : 0);
    } catch {
      // The logger must never take the kiosk down (ENOSPC, EIO): the line is lost, the count kept.
      this.dropped++;
      this.close();
    }
    return true;
  }

  private sizeAfter(n: number): number {
    this.open();
    return this.size + n;
  }

  close(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch {
      // already gone
    }
    this.fd = null;
  }
}
