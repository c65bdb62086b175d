// Operator cash: the cash box since the last collection, collection with its slip (reprint, and a
// flag on a collection whose slip never printed), hopper levels, refills and hand counts.
import { useState } from 'react';
import type { TechnicianAnswer } from '../../../../src/contract/index.js';
import { COINS, ErrorLine, Table, useLoad, yen, type Coin, type PanelProps } from '../common.js';
import { KeyboardField } from '../OnScreenKeyboard.js';

type Done =
  TechnicianAnswer<'cashCollect'> | TechnicianAnswer<'hopperRefill'> | TechnicianAnswer<'collectionSlip'>;

export function CashPanel({ t, run }: PanelProps) {
  const [d, reload] = useLoad(run, { action: 'cashCounts' });
  const [done, setDone] = useState<Done | null>(null);
  const [coin, setCoin] = useState<Coin>(100);
  const [count, setCount] = useState('');
  if (!d) return null;
  if (!d.ok) return <ErrorLine t={t} r={d} />;
  const act = async (p: Promise<Done>) => {
    setDone(await p);
    setCount('');
    await reload();
  };
  return (
    <>
      <h2>{t('cash.cashBox')}</h2>
      <Table
        label={t('cash.cashBox')}
        head={[t('cash.denomination'), t('cash.count'), t('cash.amount')]}
        rows={[
          ...d.cashBox.counts.map((c) => [yen(c.yen), c.count, yen(c.yen * c.count)]),
          [t('cash.total'), '', <strong className="tech-cashbox-total">{yen(d.cashBox.totalYen)}</strong>],
        ]}
      />
      <button type="button" onClick={() => void act(run({ action: 'cashCollect' }))}>
        {t('cash.collect')}
      </button>
      {done?.ok && 'collection' in done && (
        <p role="status" className="tech-done">
          {t('cash.collected', { yen: done.collection.totalYen, ref: done.collection.ref })}
        </p>
      )}
      <ErrorLine t={t} r={done} />
      <h2>{t('cash.collections')}</h2>
      <Table
        label={t('cash.collections')}
        head={[t('journal.at'), t('journal.ref'), t('cash.amount'), t('cash.slip'), '']}
        rows={d.collections.map((c) => [
          c.at,
          c.ref,
          yen(c.totalYen),
          <span
            data-slip={c.slipPrinted ? 'printed' : 'missing'}
            className={c.slipPrinted ? '' : 'tech-error'}
          >
            {c.slipPrinted ? t('cash.slipPrinted') : t('cash.slipMissing')}
          </span>,
          <button type="button" onClick={() => void act(run({ action: 'collectionSlip', ref: c.ref }))}>
            {t('cash.reprint')}
          </button>,
        ])}
      />
      <h2>{t('cash.hoppers')}</h2>
      <Table
        label={t('cash.hoppers')}
        head={[t('cash.denomination'), t('cash.count')]}
        rows={d.hoppers.map((h) => [yen(h.yen), <span data-hopper={h.yen}>{h.count}</span>])}
      />
      <div className="tech-row">
        <fieldset>
          <legend>{t('cash.denomination')}</legend>
          {COINS.map((y) => (
            <button key={y} type="button" aria-pressed={coin === y} onClick={() => setCoin(y)}>
              {yen(y)}
            </button>
          ))}
        </fieldset>
        <KeyboardField
          label={t('cash.refillCount')}
          name="refillCount"
          digits
          maxLength={4}
          value={count}
          onChange={setCount}
        />
        <button
          type="button"
          disabled={!Number(count)}
          onClick={() => void act(run({ action: 'hopperRefill', yen: coin, count: Number(count) }))}
        >
          {t('cash.refill')}
        </button>
        <button
          type="button"
          disabled={count === ''}
          onClick={() => void act(run({ action: 'hopperCount', yen: coin, count: Number(count) }))}
        >
          {t('cash.handCount')}
        </button>
      </div>
    </>
  );
}
