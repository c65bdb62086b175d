// The one benchmark harness. Each area is a module bench/<area>.ts whose default export returns
// rows for a readable table and the figures printed as one JSON object on the very last line.
import { readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchRow {
  metric: string;
  value: number | string;
  unit?: string;
  note?: string;
}
export interface BenchResult {
  rows: BenchRow[];
  /** The figures each area promises, by name, e.g. { ttiMs, p95TransitionMs }. */
  figures: Record<string, number>;
}
export type BenchArea = (args: { quick: boolean }) => Promise<BenchResult>;

export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../bench');

export function benchAreas(): string[] {
  return readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .map((f) => f.slice(0, -3))
    .sort();
}

export async function runBench(area: string, quick = false): Promise<BenchResult> {
  if (!benchAreas().includes(area))
    throw new Error(`unknown bench area "${area}"; known: ${benchAreas().join(', ')}`);
  // A template import: the compiled CLI (esbuild) bundles every bench/*.ts as its own chunk.
  const mod = (await import(`../../bench/${area}.ts`)) as { default: BenchArea };
  return mod.default({ quick });
}

export function formatTable(area: string, result: BenchResult): string {
  const w = Math.max(6, ...result.rows.map((r) => r.metric.length));
  const lines = [`bench ${area}`, `${'metric'.padEnd(w)}  ${'value'.padStart(12)}  unit`];
  for (const r of result.rows) {
    const v =
      typeof r.value === 'number'
        ? Number.isInteger(r.value)
          ? String(r.value)
          : r.value.toFixed(2)
        : r.value;
    lines.push(`${r.metric.padEnd(w)}  ${v.padStart(12)}  ${r.unit ?? ''}${r.note ? `  (${r.note})` : ''}`);
  }
  return lines.join('\n');
}

/** Percentile of a sample (nearest-rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
