// The state snapshot the core publishes to the renderer after every transition.
// It carries only what a screen needs to draw itself: never a PIN, never more personal
// data than the current screen shows. The transaction issue owns its growth.
import { z } from 'zod';

export const LANGUAGES = ['ja', 'en', 'zh', 'ko', 'ja-easy'] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

export const ScreenId = z.enum([
  'idle',
  'outOfService',
  'outsideHours',
  'insertCard',
  'readingCard',
  'pin',
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
]);
export type ScreenId = z.infer<typeof ScreenId>;

export const Snapshot = z.object({
  /** Machine state path, e.g. "session.pin". For inspection and tests, not for display. */
  state: z.string(),
  screen: ScreenId,
  language: Language,
  /** Monotonic per core process, lets a renderer drop stale snapshots. */
  seq: z.number().int().nonnegative(),
  /** Steps of the flow shown as a progress bar: index of the current one, or null outside the flow. */
  step: z.object({ index: z.number().int(), total: z.number().int() }).nullable(),
  /** Seconds left before the inactivity timeout cancels the session, when the warning is showing. */
  timeoutWarning: z.object({ secondsLeft: z.number().int() }).nullable(),
  /** Screen-specific data; each key is present only on the screens that use it. */
  view: z.record(z.string(), z.unknown()),
  /** Present only when simulators are configured: the demo panel may be shown. */
  demo: z.boolean(),
});
export type Snapshot = z.infer<typeof Snapshot>;
