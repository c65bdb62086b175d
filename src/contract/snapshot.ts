// The state snapshot the core publishes to the renderer after every transition.
// It carries only what a screen needs to draw itself: never a PIN, never more personal
// data than the current screen shows.
import { z } from 'zod';
import { VIEWS, type Views } from './views.js';

export const LANGUAGES = ['ja', 'en', 'zh', 'ko', 'ja-easy'] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

export const ScreenId = z.enum([
  'idle',
  'outOfService',
  'outsideHours',
  'terms',
  'insertCard',
  'readingCard',
  'pin',
  'phoneAway',
  'authenticating',
  'municipality',
  'certificate',
  'options',
  'confirm',
  'requesting',
  'takeCard',
  'payment',
  'printing',
  'change',
  'thankYou',
  'refused',
  'error',
  'cancelled',
  'technician',
  'cardLeft',
  'reclaim',
]);
export type ScreenId = z.infer<typeof ScreenId>;

const SnapshotBase = {
  /** Machine state path, e.g. "session.pin". For inspection and tests, not for display. */
  state: z.string(),
  language: Language,
  /** Monotonic per core process, lets a renderer drop stale snapshots. */
  seq: z.number().int().nonnegative(),
  /** Steps of the flow shown as a progress bar: index of the current one, or null outside the flow. */
  step: z.object({ index: z.number().int(), total: z.number().int() }).nullable(),
  /** Seconds left before the inactivity timeout cancels the session, when the warning is showing. */
  timeoutWarning: z.object({ secondsLeft: z.number().int() }).nullable(),
  /** Present only when simulators are configured: the demo panel may be shown. */
  demo: z.boolean(),
};

// Each screen carries its own view (src/contract/views.ts): only what that screen draws.
VIEWS satisfies Record<ScreenId, z.ZodType>;
const variant = <S extends ScreenId>(screen: S) =>
  z.object({ ...SnapshotBase, screen: z.literal(screen), view: VIEWS[screen] });

export const Snapshot = z.discriminatedUnion('screen', [
  variant('idle'),
  variant('outOfService'),
  variant('outsideHours'),
  variant('terms'),
  variant('insertCard'),
  variant('readingCard'),
  variant('pin'),
  variant('phoneAway'),
  variant('authenticating'),
  variant('municipality'),
  variant('certificate'),
  variant('options'),
  variant('confirm'),
  variant('requesting'),
  variant('takeCard'),
  variant('payment'),
  variant('printing'),
  variant('change'),
  variant('thankYou'),
  variant('refused'),
  variant('error'),
  variant('cancelled'),
  variant('technician'),
  variant('cardLeft'),
  variant('reclaim'),
]);
export type Snapshot = z.infer<typeof Snapshot>;
/** The snapshot of one screen, with that screen's view. */
export type SnapshotOf<S extends ScreenId> = Extract<Snapshot, { screen: S }>;

/** Narrows a snapshot to one screen (and so to that screen's view). */
export function isScreen<S extends ScreenId>(s: Snapshot, screen: S): s is SnapshotOf<S> {
  return s.screen === screen;
}

/** The view of `screen`; throws when the snapshot shows another screen. */
export function viewOn<S extends ScreenId>(s: Snapshot, screen: S): Views[S] {
  if (!isScreen(s, screen)) throw new Error(`expected screen ${screen}, at ${s.screen} (${s.state})`);
  // Checked above; TypeScript cannot narrow a union member's field through a generic key.
  return s.view as Views[S];
}
