// Pictures of where things happen at this kiosk: its front with the screen, the card slot, the cash
// inlets, the change tray and the paper outlets placed as the configuration (ui.layout) says, the
// ones that matter now drawn strong with what goes in or comes out. Decorative for assistive
// technology: the list under the picture says the same in words. Inline SVG, so it scales with
// the text size and follows the high-contrast colours (currentColor / CSS variables).
import {
  DEFAULT_LAYOUT,
  DEVICES,
  type Device,
  type DeviceLayout,
  type DevicePlace,
} from '../../../src/contract/index.js';
import { DEVICE_LABEL, PLACE_LABEL } from '../keys.js';
import { T } from './T.js';

export type IllustrationKind =
  'insertCard' | 'takeCard' | 'pay' | 'printing' | 'change' | 'collect' | 'collectWithChange';

type Flow = 'in' | 'out';
type Item = 'card' | 'coin' | 'bill' | 'paper' | 'receipt' | 'change';

/** What each step shows: the devices that matter, which way things move, and what moves. */
const STEPS: Record<IllustrationKind, Array<{ device: Device; flow: Flow; item: Item }>> = {
  insertCard: [{ device: 'cardSlot', flow: 'in', item: 'card' }],
  takeCard: [{ device: 'cardSlot', flow: 'out', item: 'card' }],
  pay: [
    { device: 'coinInlet', flow: 'in', item: 'coin' },
    { device: 'billInlet', flow: 'in', item: 'bill' },
  ],
  printing: [{ device: 'certificateOutlet', flow: 'out', item: 'paper' }],
  change: [
    { device: 'changeTray', flow: 'out', item: 'change' },
    { device: 'receiptOutlet', flow: 'out', item: 'receipt' },
  ],
  collect: [
    { device: 'certificateOutlet', flow: 'out', item: 'paper' },
    { device: 'receiptOutlet', flow: 'out', item: 'receipt' },
  ],
  collectWithChange: [
    { device: 'certificateOutlet', flow: 'out', item: 'paper' },
    { device: 'receiptOutlet', flow: 'out', item: 'receipt' },
    { device: 'changeTray', flow: 'out', item: 'change' },
  ],
};

// The cabinet front (viewBox 320 × 140): screen in the upper middle, side panels left and right of
// it, a lower band under it split in three.
const CABINET = { x: 80, y: 2, w: 160, h: 106 };
const SCREEN = { x: 106, y: 10, w: 108, h: 56 };
const ZONES: Record<DevicePlace, { x: number; y: number; w: number; h: number; stack: 'v' | 'h' }> = {
  left: { x: 86, y: 10, w: 14, h: 56, stack: 'v' },
  right: { x: 220, y: 10, w: 14, h: 56, stack: 'v' },
  lowerLeft: { x: 88, y: 74, w: 46, h: 26, stack: 'h' },
  lowerCenter: { x: 137, y: 74, w: 46, h: 26, stack: 'h' },
  lowerRight: { x: 186, y: 74, w: 46, h: 26, stack: 'h' },
};

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Each device's opening: the devices sharing a place divide its zone, in the order of DEVICES. */
function openings(layout: DeviceLayout): Record<Device, Box> {
  const out = {} as Record<Device, Box>;
  for (const place of Object.keys(ZONES) as DevicePlace[]) {
    const here = DEVICES.filter((d) => layout[d] === place);
    const z = ZONES[place];
    here.forEach((d, i) => {
      const n = here.length;
      out[d] =
        z.stack === 'v'
          ? { x: z.x + 3, y: z.y + (z.h / n) * i + 3, w: z.w - 6, h: z.h / n - 6 }
          : { x: z.x + (z.w / n) * i + 3, y: z.y + 8, w: z.w / n - 6, h: 8 };
    });
  }
  return out;
}

function ItemShape({ item, cx, cy }: { item: Item; cx: number; cy: number }) {
  switch (item) {
    case 'card':
      return (
        <g transform={`translate(${cx - 20} ${cy - 13})`}>
          <rect width="40" height="26" rx="4" className="ill-card" />
          <rect x="6" y="8" width="9" height="7" rx="1.5" className="ill-chip" />
        </g>
      );
    case 'coin':
      return <circle cx={cx} cy={cy} r="9" className="ill-coin" />;
    case 'change':
      return (
        <>
          <circle cx={cx - 7} cy={cy + 2} r="8" className="ill-coin" />
          <circle cx={cx + 7} cy={cy - 2} r="8" className="ill-coin" />
        </>
      );
    case 'bill':
      return (
        <g transform={`translate(${cx - 22} ${cy - 11})`}>
          <rect width="44" height="22" rx="2" className="ill-bill" />
          <circle cx="22" cy="11" r="5" className="ill-lines" />
        </g>
      );
    case 'paper':
      return (
        <g transform={`translate(${cx - 11} ${cy - 14})`} className="ill-paper-out">
          <rect width="22" height="28" className="ill-paper" />
          <path d="M5 8 h12 M5 14 h12 M5 20 h8" className="ill-lines ill-thin" />
        </g>
      );
    case 'receipt':
      return (
        <g transform={`translate(${cx - 7} ${cy - 14})`} className="ill-paper-out">
          <rect width="14" height="28" className="ill-paper" />
          <path d="M4 8 h6 M4 14 h6 M4 20 h6" className="ill-lines ill-thin" />
        </g>
      );
  }
}

/** A line from one point to another with its head at the second. */
function arrowPath(x1: number, y1: number, x2: number, y2: number): string {
  const len = Math.hypot(x2 - x1, y2 - y1) || 1;
  const [ux, uy] = [(x2 - x1) / len, (y2 - y1) / len];
  // The head's two strokes: back along the line, turned 40° each way.
  const c = Math.cos(0.7);
  const sn = Math.sin(0.7);
  const back = (sign: number) =>
    [x2 - 7 * (ux * c - sign * uy * sn), y2 - 7 * (uy * c + sign * ux * sn)].map((n) => n.toFixed(1));
  const [l, r] = [back(1), back(-1)];
  return `M${x1} ${y1} L${x2} ${y2} M${l[0]} ${l[1]} L${x2} ${y2} L${r[0]} ${r[1]}`;
}

/**
 * Where the moving item is drawn (outside the cabinet, beside or below its opening) and the arrow
 * to or from it. Items on the same side are spread out so a coin and a bill do not overlap.
 */
function placement(box: Box, place: DevicePlace, flow: Flow, index: number, count: number) {
  const midY = box.y + box.h / 2;
  const midX = box.x + box.w / 2;
  if (place === 'left' || place === 'right') {
    const side = place === 'left' ? -1 : 1;
    const edge = place === 'left' ? CABINET.x : CABINET.x + CABINET.w;
    const cx = edge + side * 46;
    const cy = count === 1 ? Math.min(Math.max(midY, 16), 120) : 24 + (index * 84) / (count - 1);
    const opening: [number, number] = [edge + side * 4, midY];
    const item: [number, number] = [cx - side * 25, cy];
    const [from, to] = flow === 'in' ? [item, opening] : [opening, item];
    return { cx, cy, arrow: arrowPath(from[0], from[1], to[0], to[1]) };
  }
  const top = CABINET.y + CABINET.h;
  const [from, to] = flow === 'out' ? [box.y + box.h + 2, top + 1] : [top + 1, box.y + box.h + 2];
  return { cx: midX, cy: 124, arrow: arrowPath(midX, from, midX, to) };
}

export function Illustration({
  kind,
  layout = DEFAULT_LAYOUT,
  legend = false,
}: {
  kind: IllustrationKind;
  layout?: DeviceLayout;
  /** Say in words where each device of this step is (under the picture). */
  legend?: boolean;
}) {
  const steps = STEPS[kind];
  const boxes = openings(layout);
  const active = new Set(steps.map((s) => s.device));
  return (
    <div className={`where where-${kind}`}>
      <svg
        className={`illustration ill-${kind}`}
        viewBox="0 0 320 140"
        role="presentation"
        aria-hidden="true"
        focusable="false"
      >
        <rect {...rectOf(CABINET)} rx="8" className="ill-cabinet" />
        <rect {...rectOf(SCREEN)} rx="4" className="ill-screen" />
        {DEVICES.map((d) => (
          <rect
            key={d}
            {...rectOf(boxes[d])}
            rx="2"
            className={active.has(d) ? 'ill-opening ill-active' : 'ill-opening'}
          />
        ))}
        {steps.map((s) => {
          const place = layout[s.device];
          const sameSide = steps.filter((o) => layout[o.device] === place);
          const p = placement(boxes[s.device], place, s.flow, sameSide.indexOf(s), sameSide.length);
          return (
            <g key={s.device} className={`ill-move ill-${s.flow}`}>
              <path d={p.arrow} className="ill-arrow" />
              <ItemShape item={s.item} cx={p.cx} cy={p.cy} />
            </g>
          );
        })}
      </svg>
      {legend && (
        <dl className="where-list">
          {steps.map((s) => (
            <div key={s.device}>
              <dt>
                <T k={DEVICE_LABEL[s.device]!} />
              </dt>
              <dd>
                <T k={PLACE_LABEL[layout[s.device]]!} />
              </dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

const rectOf = (b: Box) => ({ x: b.x, y: b.y, width: b.w, height: b.h });
