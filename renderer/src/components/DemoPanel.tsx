// The demonstration panel: present only when the core runs on simulators (snapshot.demo). It stands
// in for the resident's hands at the card reader and the cash slots, and for a technician's faults.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DemoAction, UiConfig } from '../../../src/contract/index.js';
import { T } from './T.js';

const COINS = [10, 50, 100, 500] as const;
const BILLS = [1000, 2000, 5000, 10000] as const;
export const DEMO_FAULTS = [
  'certificatePrinter:paperOut',
  'certificatePrinter:paperOutDuringNextJob',
  'certificatePrinter:paperOk',
  'certificatePrinter:coverOpen',
  'certificatePrinter:coverClosed',
  'receiptPrinter:paperOut',
  'receiptPrinter:paperOk',
  'coin:jam',
  'bill:jam',
  'bill:powerOff',
  'bill:powerOn',
  'hopper.100:empty',
  'hopper.10:empty',
] as const;

export function DemoPanel({ ui, onAction }: { ui: UiConfig; onAction(a: DemoAction): void }) {
  const { t } = useTranslation();
  const [cardId, setCardId] = useState(ui.demoCards[0]?.id ?? '');
  const [fault, setFault] = useState<string>(DEMO_FAULTS[0]);
  const phone = ui.demoCards.find((c) => c.id === cardId)?.phone === true;
  return (
    <aside className="demo-panel" aria-labelledby="demo-heading">
      <h2 id="demo-heading">
        <T k="demo.heading" />
      </h2>
      <div className="demo-row">
        <label htmlFor="demo-card">
          <T k="demo.card" />
        </label>
        <select id="demo-card" value={cardId} onChange={(e) => setCardId(e.target.value)}>
          {ui.demoCards.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
        <button type="button" id="demo-insert" onClick={() => onAction({ type: 'insertCard', cardId })}>
          <T k={phone ? 'demo.holdPhone' : 'demo.insertCard'} />
        </button>
        <button type="button" id="demo-remove" onClick={() => onAction({ type: 'removeCard' })}>
          <T k={phone ? 'demo.liftPhone' : 'demo.removeCard'} />
        </button>
      </div>
      <div className="demo-row" role="group" aria-label={t('demo.coinsLabel')}>
        {COINS.map((yen) => (
          <button key={yen} type="button" onClick={() => onAction({ type: 'insertCoin', yen })}>
            {t('demo.coin', { amount: yen })}
          </button>
        ))}
      </div>
      <div className="demo-row" role="group" aria-label={t('demo.billsLabel')}>
        {BILLS.map((yen) => (
          <button key={yen} type="button" onClick={() => onAction({ type: 'insertBill', yen })}>
            {t('demo.bill', { amount: yen })}
          </button>
        ))}
      </div>
      <div className="demo-row">
        <label htmlFor="demo-fault">
          <T k="demo.fault" />
        </label>
        <select id="demo-fault" value={fault} onChange={(e) => setFault(e.target.value)}>
          {DEMO_FAULTS.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
        <button
          type="button"
          id="demo-trigger"
          onClick={() => {
            const [device, name] = fault.split(':') as [string, string];
            onAction({ type: 'fault', device, fault: name });
          }}
        >
          <T k="demo.trigger" />
        </button>
      </div>
    </aside>
  );
}
