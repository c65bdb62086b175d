// Pieces every panel shares: the error line, a table, the load-on-open hook and yen formatting.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import i18next, { type TFunction } from 'i18next';
import type { TechnicianAction, TechnicianAnswer, TechnicianFailure } from '../../../src/contract/index.js';
import type { RequestFor, Run } from './api.js';
import { NS } from './i18n.js';

export interface PanelProps {
  t: TFunction;
  run: Run;
  /** Opens the on-screen keyboard for a field. */
  keyboard?: boolean;
}

export function ErrorLine({ t, r }: { t: TFunction; r: { ok: boolean } | TechnicianFailure | null }) {
  if (!r || !('error' in r)) return null;
  const key = `errors.${r.error}`;
  const text = i18next.exists(key, { ns: NS })
    ? t(key, { role: r.role ?? '' })
    : t('errors.generic', { code: r.error });
  return (
    <p role="alert" className="tech-error">
      {text}
      {r.message ? ` — ${r.message}` : ''}
    </p>
  );
}

/** Runs `request` when the panel opens; reload() runs it again. */
export function useLoad<A extends TechnicianAction>(run: Run, request: RequestFor<A>) {
  const [data, setData] = useState<TechnicianAnswer<A> | null>(null);
  const key = JSON.stringify(request);
  const reload = useCallback(async () => setData(await run(request)), [run, key]);
  useEffect(() => void reload(), [reload]);
  return [data, reload] as const;
}

export const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;

export function Table({ head, rows, label }: { head: string[]; rows: ReactNode[][]; label: string }) {
  return (
    <table aria-label={label}>
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((c, j) => (
              <td key={j}>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export const COINS = [10, 50, 100, 500] as const;
export type Coin = (typeof COINS)[number];
export const asCoin = (n: number): Coin | null => COINS.find((c) => c === n) ?? null;
