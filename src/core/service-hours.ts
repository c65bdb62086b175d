// Service hours of the municipality (from the registry catalog), in Japan time: daily opening
// hours, yearly closed days (年末年始) and announced maintenance windows.
export interface ServiceHours {
  opens: string;
  closes: string;
  closedDays: { from: string; to: string }[];
}
export interface Maintenance {
  start: string;
  end: string;
  note: string;
}

export type ServiceState =
  { open: true } | { open: false; why: 'hours' | 'closedDay' | 'maintenance'; reopensAt: string | null };

const JST_OFFSET_MS = 9 * 3600_000;

/** Local Japan time parts of an instant (Japan has no DST). */
function jst(d: Date) {
  const t = new Date(d.getTime() + JST_OFFSET_MS);
  return {
    y: t.getUTCFullYear(),
    mmdd: `${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`,
    hhmm: `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`,
  };
}

function inRange(mmdd: string, from: string, to: string): boolean {
  return from <= to ? mmdd >= from && mmdd <= to : mmdd >= from || mmdd <= to; // wraps the new year
}

/** The instant of HH:MM Japan time on the day of `d` (+ dayOffset). */
function atJst(d: Date, hhmm: string, dayOffset = 0): Date {
  const t = new Date(d.getTime() + JST_OFFSET_MS);
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return new Date(
    Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + dayOffset, h, m) - JST_OFFSET_MS,
  );
}

function isClosedDay(d: Date, hours: ServiceHours) {
  const { mmdd } = jst(d);
  return hours.closedDays.some((c) => inRange(mmdd, c.from, c.to));
}

/** Next opening instant after `now` (searching up to two weeks ahead). */
function nextOpening(now: Date, hours: ServiceHours): Date | null {
  for (let day = 0; day < 14; day++) {
    const open = atJst(now, hours.opens, day);
    if (open > now && !isClosedDay(open, hours)) return open;
  }
  return null;
}

export function serviceState(now: Date, hours: ServiceHours, maintenance: Maintenance[] = []): ServiceState {
  const m = maintenance.find((w) => new Date(w.start) <= now && now < new Date(w.end));
  if (m) return { open: false, why: 'maintenance', reopensAt: m.end };
  if (isClosedDay(now, hours))
    return { open: false, why: 'closedDay', reopensAt: nextOpening(now, hours)?.toISOString() ?? null };
  const { hhmm } = jst(now);
  if (hhmm < hours.opens || hhmm >= hours.closes)
    return { open: false, why: 'hours', reopensAt: nextOpening(now, hours)?.toISOString() ?? null };
  return { open: true };
}
