// Printer and job state from IPP attributes (RFC 8011 §5.4.11–12 printer-state and
// printer-state-reasons, §5.3.7–8 job-state and job-state-reasons), mapped to the XFS-like states
// of ../interface.ts. Keywords and enums are protocol values, the same in every locale, unlike the
// text lpstat prints. Pure functions: the ipptool runner (./ipptool.ts) feeds them.
import type { PaperState, PrinterDeviceState, PrinterErrorKind, PrinterState } from '../interface.js';

/** One IPP response group as name → values (a 1setOf attribute has several). */
export type IppAttributes = Record<string, string[]>;

/**
 * ipptool's CSV output (`-c`, one DISPLAY column per attribute): a header line, then a line per
 * object. A multi-valued attribute is one quoted field with the values separated by commas.
 */
export function parseIpptoolCsv(text: string): IppAttributes[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  const header = splitCsvLine(lines[0]!);
  return lines.slice(1).map((line) => {
    const fields = splitCsvLine(line);
    const attrs: IppAttributes = {};
    header.forEach((name, i) => {
      const v = fields[i] ?? '';
      attrs[name] = v === '' ? [] : v.split(',');
    });
    return attrs;
  });
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** printer-state-reasons without the -report/-warning/-error severity suffix (RFC 8011 §5.4.12). */
export function reasonKeywords(reasons: string[]): Set<string> {
  return new Set(reasons.filter((r) => r !== 'none').map((r) => r.replace(/-(report|warning|error)$/, '')));
}

const PRINTER_STATES: Record<string, 'idle' | 'processing' | 'stopped'> = {
  '3': 'idle',
  '4': 'processing',
  '5': 'stopped',
  idle: 'idle',
  processing: 'processing',
  stopped: 'stopped',
};

const has = (set: Set<string>, ...names: string[]) => names.some((n) => set.has(n));

/** The XFS-like printer state from printer-state, printer-state-reasons, printer-is-accepting-jobs. */
export function printerStateFromIpp(a: IppAttributes): PrinterState {
  const state = PRINTER_STATES[a['printer-state']?.[0] ?? ''];
  if (!state)
    throw new TypeError(`printer-state missing or unknown: ${JSON.stringify(a['printer-state'] ?? null)}`);
  const reasons = reasonKeywords(a['printer-state-reasons'] ?? []);
  const accepting = (a['printer-is-accepting-jobs']?.[0] ?? 'true') === 'true';
  const paper: PaperState = has(reasons, 'media-empty', 'media-needed', 'input-tray-missing')
    ? 'out'
    : has(reasons, 'media-jam')
      ? 'jammed'
      : has(reasons, 'media-low')
        ? 'low'
        : 'ok';
  const coverOpen = has(reasons, 'cover-open', 'door-open', 'interlock-open');
  // Errors a technician must clear that are not about paper or the cover.
  const hardware = has(reasons, 'marker-supply-empty', 'toner-empty', 'fuser-over-temp', 'fuser-under-temp');
  let device: PrinterDeviceState;
  if (
    !accepting ||
    has(reasons, 'paused', 'offline', 'shutdown', 'connecting-to-device', 'timed-out', 'moving-to-paused')
  )
    device = 'offline';
  else if (hardware) device = 'hardwareError';
  else if (state === 'stopped') device = paper === 'ok' && !coverOpen ? 'offline' : 'online';
  else device = state === 'processing' ? 'busy' : 'online';
  return { device, paper, coverOpen };
}

/** Why the printer cannot go on with a job, as the error kind callers switch on; null when it can. */
export function blockingKind(s: PrinterState): PrinterErrorKind | null {
  if (s.paper === 'out') return 'paperOut';
  if (s.paper === 'jammed') return 'jammed';
  if (s.coverOpen) return 'coverOpen';
  if (s.device === 'offline') return 'offline';
  if (s.device === 'hardwareError') return 'jobFailed';
  return null;
}

export type JobPhase = 'waiting' | 'completed' | 'aborted' | 'canceled';
const JOB_STATES: Record<string, { phase: JobPhase; name: string }> = {
  '3': { phase: 'waiting', name: 'pending' },
  '4': { phase: 'waiting', name: 'pending-held' },
  '5': { phase: 'waiting', name: 'processing' },
  '6': { phase: 'waiting', name: 'processing-stopped' },
  '7': { phase: 'canceled', name: 'canceled' },
  '8': { phase: 'aborted', name: 'aborted' },
  '9': { phase: 'completed', name: 'completed' },
};
for (const v of Object.values(JOB_STATES)) JOB_STATES[v.name] = v;

export interface JobStatus {
  phase: JobPhase;
  /** job-state keyword, e.g. "processing-stopped". */
  state: string;
  reasons: string[];
}

/** job-state and job-state-reasons of one job. */
export function jobStatusFromIpp(a: IppAttributes): JobStatus {
  const s = JOB_STATES[a['job-state']?.[0] ?? ''];
  if (!s) throw new TypeError(`job-state missing or unknown: ${JSON.stringify(a['job-state'] ?? null)}`);
  return {
    phase: s.phase,
    state: s.name,
    reasons: (a['job-state-reasons'] ?? []).filter((r) => r !== 'none'),
  };
}
