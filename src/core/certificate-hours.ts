// Hours of one certificate type (e.g. 戸籍 on weekdays only, when the 本籍地's system is staffed),
// within the kiosk's own service hours. Japan time; Japan has no DST.
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export interface CertificateHours {
  days: readonly Weekday[];
  /** "HH:MM", Japan time. */
  opens: string;
  closes: string;
}

const JST_OFFSET_MS = 9 * 3600_000;
const DAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Is a certificate with these hours (none: the kiosk's) issued at `now`? */
export function certificateOpen(now: Date, hours: CertificateHours | undefined): boolean {
  if (!hours) return true;
  const t = new Date(now.getTime() + JST_OFFSET_MS);
  const day = DAYS[t.getUTCDay()]!;
  const hhmm = `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;
  return hours.days.includes(day) && hhmm >= hours.opens && hhmm < hours.closes;
}
