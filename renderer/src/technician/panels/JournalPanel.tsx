// The journal of one (Tokyo) day, filtered by kind and text, and its CSV export.
import { useEffect, useState } from 'react';
import type { JournalFilter, TechnicianAnswer } from '../../../../src/contract/index.js';
import { download, tokyoToday } from '../api.js';
import { ErrorLine, Table, type PanelProps } from '../common.js';
import { KeyboardField } from '../OnScreenKeyboard.js';

const KINDS = ['all', 'transaction', 'cash', 'print', 'technician'] as const;

export function JournalPanel({ t, run }: PanelProps) {
  const [date, setDate] = useState(tokyoToday());
  const [kind, setKind] = useState<JournalFilter['kind']>('all');
  const [text, setText] = useState('');
  const filter = { date, kind, text };
  const [d, setD] = useState<TechnicianAnswer<'journal'> | TechnicianAnswer<'journalCsv'> | null>(null);
  const search = async () => setD(await run({ action: 'journal', filter }));
  useEffect(() => void search(), []);
  const rows = d?.ok && 'rows' in d ? d.rows : [];
  return (
    <>
      <form
        className="tech-row"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <label>
          {t('journal.date')}
          <input name="date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <label>
          {t('journal.kind')}
          <select
            name="kind"
            value={kind}
            onChange={(e) => setKind(KINDS.find((k) => k === e.target.value) ?? 'all')}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`journal.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <KeyboardField label={t('journal.text')} name="text" maxLength={64} value={text} onChange={setText} />
        <button type="submit">{t('journal.search')}</button>
        <button
          type="button"
          onClick={async () => {
            const r = await run({ action: 'journalCsv', filter });
            if (r.ok) download(r.fileName, r.csv, 'text/csv');
            else setD(r);
          }}
        >
          {t('journal.csv')}
        </button>
      </form>
      <ErrorLine t={t} r={d} />
      <p className="tech-count">{t('journal.rows', { n: rows.length })}</p>
      <Table
        label={t('tabs.journal')}
        head={[t('journal.at'), t('journal.kind'), t('journal.ref'), t('journal.event'), t('journal.detail')]}
        rows={rows.map((r) => [r.at, r.kind, r.ref, r.event, r.detail])}
      />
    </>
  );
}
