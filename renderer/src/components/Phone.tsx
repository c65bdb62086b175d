// The phone path's pictures and notes: where to hold the phone (the contactless reader beside the
// card slot), and when it may leave. Decorative SVG; the text beside it says the same.
import { T } from './T.js';

/** A phone held flat over the contactless reader, with the reader's field. */
export function HoldPhone({ away = false }: { away?: boolean }) {
  return (
    <svg
      className={`illustration ill-phone${away ? ' ill-phone-away' : ''}`}
      viewBox="0 0 320 140"
      role="presentation"
      aria-hidden="true"
      focusable="false"
    >
      {/* the reader's pad, marked with the contactless symbol */}
      <rect x="70" y="104" width="180" height="26" rx="8" className="ill-device" />
      <path
        d="M150 117 a6 6 0 0 1 0 -1 M156 122 a12 12 0 0 0 0 -10 M162 126 a18 18 0 0 0 0 -18 M168 130 a24 24 0 0 0 0 -26"
        className="ill-lines"
      />
      {/* the phone, a hand's width above the pad (or lifted away) */}
      <g transform={away ? 'translate(200 4) rotate(12)' : 'translate(118 14)'}>
        <rect width="84" height="78" rx="10" className="ill-card" />
        <rect x="8" y="8" width="68" height="56" rx="4" className="ill-chip" />
        <circle cx="42" cy="70" r="3" className="ill-device" />
      </g>
      {!away && <path d="M110 96 q50 -14 100 0" className="ill-arrow" />}
      {away && <path d="M290 72 v-52 m-14 14 l14 -14 l14 14" className="ill-arrow" />}
    </svg>
  );
}

/** On the choosing screens while the phone still lies on the reader: the resident is authenticated. */
export function PhoneMayLeave({ show }: { show: boolean }) {
  if (!show) return null;
  return (
    <p className="notice phone-may-leave" role="status">
      <T k="phone.mayLeave" />
    </p>
  );
}
