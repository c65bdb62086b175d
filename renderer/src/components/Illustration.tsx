// Pictures of where things happen at the kiosk: the card slot, the cash inlets and trays, the
// certificate outlet. Decorative (the text says the same), drawn as inline SVG so they scale with
// the text size and follow the high-contrast colours (currentColor / CSS variables).
export type IllustrationKind = 'insertCard' | 'takeCard' | 'pay' | 'printing';

const Slot = () => <rect x="40" y="96" width="240" height="16" rx="6" className="ill-device" />;
const Card = ({ y }: { y: number }) => (
  <g transform={`translate(100 ${y})`}>
    <rect width="120" height="76" rx="8" className="ill-card" />
    <rect x="14" y="22" width="24" height="18" rx="3" className="ill-chip" />
  </g>
);
const Arrow = ({ down }: { down: boolean }) => (
  <path
    d={down ? 'M290 20 v52 m-14 -14 l14 14 l14 -14' : 'M290 72 v-52 m-14 14 l14 -14 l14 14'}
    className="ill-arrow"
  />
);

export function Illustration({ kind }: { kind: IllustrationKind }) {
  return (
    <svg
      className={`illustration ill-${kind}`}
      viewBox="0 0 320 140"
      role="presentation"
      aria-hidden="true"
      focusable="false"
    >
      {kind === 'insertCard' && (
        <>
          <Card y={8} />
          <Slot />
          <Arrow down />
        </>
      )}
      {kind === 'takeCard' && (
        <>
          <Card y={24} />
          <Slot />
          <Arrow down={false} />
        </>
      )}
      {kind === 'pay' && (
        <>
          <rect x="30" y="20" width="70" height="12" rx="4" className="ill-device" />
          <circle cx="65" cy="60" r="18" className="ill-coin" />
          <rect x="140" y="20" width="150" height="12" rx="4" className="ill-device" />
          <rect x="160" y="44" width="110" height="56" rx="4" className="ill-bill" />
          <rect x="30" y="110" width="260" height="20" rx="6" className="ill-device" />
        </>
      )}
      {kind === 'printing' && (
        <>
          <rect x="60" y="12" width="200" height="60" rx="8" className="ill-device" />
          <rect x="95" y="60" width="130" height="76" className="ill-paper" />
          <path d="M110 84 h100 M110 100 h100 M110 116 h70" className="ill-lines" />
        </>
      )}
    </svg>
  );
}
