// The console's calls: one contract command, `technician`, whose answers are { ok, ... }.
import type { KioskBridge, TechnicianRequest } from '../../../src/contract/index.js';

export type Result = { ok: boolean; error?: string; [k: string]: unknown };

export async function tech(bridge: KioskBridge, request: TechnicianRequest): Promise<Result> {
  try {
    const r = await bridge.call('technician', { request });
    return r.result as Result;
  } catch (e) {
    return { ok: false, error: 'generic', code: (e as { code?: string }).code ?? 'internal' };
  }
}

/** Saves text as a file through the browser's download (USB stick or the technician's laptop). */
export function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Today in Asia/Tokyo, YYYY-MM-DD. */
export const tokyoToday = () => new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
