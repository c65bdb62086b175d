// Change planning from the hoppers' counted levels. Bounded coin counts break plain greedy in
// general, so this is a small dynamic programme over ¥10 units (fewest coins wins).

export interface HopperLevel {
  yen: number;
  count: number;
}

/** Coins per denomination that make exactly `amountYen`, or null when the levels cannot. */
export function planChange(amountYen: number, levels: readonly HopperLevel[]): Map<number, number> | null {
  if (amountYen === 0) return new Map();
  if (amountYen < 0 || amountYen % 10 !== 0) return null;
  const units = amountYen / 10;
  const INF = Number.MAX_SAFE_INTEGER;
  // best[u] = fewest coins for u units; choice[i][u] = coins of hopper i used in that best.
  let best = new Array<number>(units + 1).fill(INF);
  best[0] = 0;
  const choices: number[][] = [];
  const hoppers = levels.filter((l) => l.count > 0 && l.yen % 10 === 0 && l.yen > 0);
  for (const h of hoppers) {
    const step = h.yen / 10;
    const next = new Array<number>(units + 1).fill(INF);
    const pick = new Array<number>(units + 1).fill(0);
    for (let u = 0; u <= units; u++) {
      for (let k = 0; k <= h.count && k * step <= u; k++) {
        const prev = best[u - k * step]!;
        if (prev !== INF && prev + k < next[u]!) {
          next[u] = prev + k;
          pick[u] = k;
        }
      }
    }
    best = next;
    choices.push(pick);
  }
  if (best[units] === INF) return null;
  const plan = new Map<number, number>();
  let u = units;
  for (let i = hoppers.length - 1; i >= 0; i--) {
    const k = choices[i]![u]!;
    if (k > 0) plan.set(hoppers[i]!.yen, k);
    u -= k * (hoppers[i]!.yen / 10);
  }
  return plan;
}

/** As much of `amountYen` as the levels allow (largest first), for when exact change is impossible. */
export function planPartial(amountYen: number, levels: readonly HopperLevel[]): Map<number, number> {
  const plan = new Map<number, number>();
  let left = amountYen;
  for (const h of [...levels].sort((a, b) => b.yen - a.yen)) {
    const k = Math.min(h.count, Math.floor(left / h.yen));
    if (k > 0) plan.set(h.yen, k);
    left -= k * h.yen;
  }
  return plan;
}
