// Waiting on what a test can observe instead of on time: a condition is checked at once and again each
// time its source says something changed. The deadline only turns a hang into a failure that names
// what never came.

/** Something that tells its listeners when it changed (an engine, an emitter wrapped in a function). */
export type Subscribe = (listener: () => void) => () => unknown;

export function when(
  subscribe: Subscribe,
  cond: () => boolean,
  what: string,
  ms = 10_000,
  where: () => string = () => '',
): Promise<void> {
  if (cond()) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      off();
      if (err) reject(err);
      else resolve();
    };
    const off = subscribe(() => {
      try {
        if (cond()) finish();
      } catch (e) {
        finish(e as Error);
      }
    });
    const deadline = setTimeout(() => {
      const at = where();
      finish(new Error(`timed out waiting for ${what}${at ? ` at ${at}` : ''}`));
    }, ms);
  });
}

/** A source of snapshots: the engine, or a kiosk core. */
export interface Snapshots<S> {
  snapshot(): S;
  subscribe(listener: (s: S) => void): () => unknown;
}

/** The first snapshot (the current one, or one published later) that satisfies `pred`. */
export async function snapshotWhere<S extends { state: string }>(
  source: Snapshots<S>,
  pred: (s: S) => boolean,
  what: string,
  ms = 10_000,
): Promise<S> {
  let hit: S | undefined;
  const match = () => {
    const s = source.snapshot();
    if (pred(s)) hit = s;
    return hit !== undefined;
  };
  await when(
    (l) => source.subscribe(l),
    match,
    what,
    ms,
    () => source.snapshot().state,
  );
  return hit!;
}
