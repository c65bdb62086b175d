// The console's calls: one contract command, `technician`. Each answer is checked against the
// contract's schema for that action, so panels read typed results and never cast.
import {
  technicianAnswerSchema,
  type KioskBridge,
  type TechnicianAction,
  type TechnicianAnswer,
  type TechnicianRequest,
} from '../../../src/contract/index.js';

export type RequestFor<A extends TechnicianAction> = Extract<TechnicianRequest, { action: A }>;
export type Run = <A extends TechnicianAction>(request: RequestFor<A>) => Promise<TechnicianAnswer<A>>;

export async function tech<A extends TechnicianAction>(
  bridge: KioskBridge,
  request: RequestFor<A>,
): Promise<TechnicianAnswer<A>> {
  let result: unknown;
  try {
    result = (await bridge.call('technician', { request })).result;
  } catch {
    return { ok: false, error: 'failed' };
  }
  const parsed = technicianAnswerSchema<A>(request.action).safeParse(result);
  return parsed.success ? parsed.data : { ok: false, error: 'failed' };
}

/** Saves text as a file through the browser's download (the shell writes it to the export directory). */
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
