// The technician's console: login (technician card + PIN, or technician PIN + one-time code), then
// one panel per function, each allowed or denied by role in the core (a denied attempt is journaled
// there). Results come back in the command's answer; who is logged in comes with the snapshot.
import { useCallback, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import i18next, { type TFunction } from 'i18next';
import type { KioskBridge, TechnicianRequest } from '../../../src/contract/index.js';
import { download, tech, tokyoToday, type Result } from './api.js';
import { NS, consoleLanguage } from './i18n.js';
import './technician.css';

interface View {
  stage: 'login' | 'console';
  technician: { id: string; role: 'operator' | 'engineer'; method: 'card' | 'pin' } | null;
  allowed: string[];
  cardPresent: boolean;
  lockedUntil: string | null;
}

type Tab = 'status' | 'selfTest' | 'cash' | 'paper' | 'journal' | 'report' | 'logs' | 'config' | 'service' | 'version';
const TABS: Array<{ tab: Tab; action: string }> = [
  { tab: 'status', action: 'status' },
  { tab: 'selfTest', action: 'selfTest' },
  { tab: 'cash', action: 'cashCounts' },
  { tab: 'paper', action: 'paperCounters' },
  { tab: 'journal', action: 'journal' },
  { tab: 'report', action: 'dailyReport' },
  { tab: 'logs', action: 'logExport' },
  { tab: 'config', action: 'configView' },
  { tab: 'service', action: 'outOfService' },
  { tab: 'version', action: 'version' },
];

interface Ctx {
  t: TFunction;
  run: (r: TechnicianRequest) => Promise<Result>;
}

function ErrorLine({ t, r }: { t: TFunction; r: Result | null }) {
  if (!r || r.ok) return null;
  const key = `errors.${r.error ?? 'generic'}`;
  const text = i18next.exists(key, { ns: NS }) ? t(key, { role: String(r.role ?? ''), code: String(r.code ?? r.error) }) : t('errors.generic', { code: r.error });
  return (
    <p role="alert" className="tech-error">
      {text}
      {typeof r.triesLeft === 'number' ? ` — ${t('triesLeft', { n: r.triesLeft })}` : ''}
    </p>
  );
}

function Login({ t, run, view }: Ctx & { view: View }) {
  const [cardPin, setCardPin] = useState('');
  const [id, setId] = useState('');
  const [pin, setPin] = useState('');
  const [totp, setTotp] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const submit = (kind: 'card' | 'pin') => async (e: FormEvent) => {
    e.preventDefault();
    const r = kind === 'card' ? await run({ action: 'loginCard', pin: cardPin }) : await run({ action: 'loginPin', technicianId: id, pin, totp });
    // PINs never stay in the page's state after an attempt.
    setCardPin('');
    setPin('');
    setTotp('');
    setResult(r);
  };
  return (
    <section className="tech-login" aria-labelledby="screen-heading">
      <h1 id="screen-heading" tabIndex={-1}>{t('login.heading')}</h1>
      <ErrorLine t={t} r={result} />
      {view.lockedUntil && <p className="tech-error">{t('login.locked', { until: new Date(view.lockedUntil).toLocaleTimeString() })}</p>}
      <div className="tech-columns">
        <form className="tech-card-login" onSubmit={submit('card')}>
          <h2>{t('login.card')}</h2>
          <p data-card={view.cardPresent ? 'present' : 'absent'}>{view.cardPresent ? t('login.cardPresent') : t('login.cardAbsent')}</p>
          <label>
            {t('login.cardPin')}
            <input name="cardPin" type="password" inputMode="numeric" autoComplete="off" pattern="\d{4}" maxLength={4} value={cardPin} onChange={(e) => setCardPin(e.target.value.replace(/\D/g, ''))} />
          </label>
          <button type="submit" disabled={cardPin.length !== 4}>{t('login.submit')}</button>
        </form>
        <form className="tech-pin-login" onSubmit={submit('pin')}>
          <h2>{t('login.fallback')}</h2>
          <label>
            {t('login.technicianId')}
            <input name="technicianId" autoComplete="off" value={id} onChange={(e) => setId(e.target.value.trim())} />
          </label>
          <label>
            {t('login.pin')}
            <input name="pin" type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} />
          </label>
          <label>
            {t('login.totp')}
            <input name="totp" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={totp} onChange={(e) => setTotp(e.target.value.replace(/\D/g, ''))} />
          </label>
          <button type="submit" disabled={!id || pin.length < 4 || totp.length !== 6}>{t('login.submit')}</button>
        </form>
      </div>
    </section>
  );
}

/** Runs `request` when the panel opens; the answer (or the denial) is shown by `children`. */
function useLoad(run: Ctx['run'], request: TechnicianRequest | null) {
  const [data, setData] = useState<Result | null>(null);
  const key = JSON.stringify(request);
  const reload = useCallback(async () => {
    if (request) setData(await run(request));
  }, [run, key]);
  useEffect(() => void reload(), [reload]);
  return [data, reload, setData] as const;
}

const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;

function Table({ head, rows, label }: { head: string[]; rows: ReactNode[][]; label: string }) {
  return (
    <table aria-label={label}>
      <thead>
        <tr>{head.map((h) => <th key={h} scope="col">{h}</th>)}</tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>{r.map((c, j) => <td key={j}>{c}</td>)}</tr>
        ))}
      </tbody>
    </table>
  );
}

function StatusPanel({ t, run }: Ctx) {
  const [d, reload] = useLoad(run, { action: 'status' });
  if (!d) return null;
  if (!d.ok) return <ErrorLine t={t} r={d} />;
  const devices = d.devices as Array<{ id: string; state: string; media: Record<string, string>; lastError: { kind: string; message: string; at: string } | null }>;
  return (
    <>
      <button type="button" onClick={() => void reload()}>{t('refresh')}</button>
      <Table
        label={t('tabs.status')}
        head={[t('status.device'), t('status.state'), t('status.media'), t('status.lastError')]}
        rows={devices.map((x) => [x.id, <span data-state={x.state}>{x.state}</span>, Object.entries(x.media).map(([k, v]) => `${k}: ${v}`).join(', '), x.lastError ? `${x.lastError.kind} ${x.lastError.at}` : '—'])}
      />
      <p>
        {t('status.reasons')}: <span className="tech-reasons">{(d.reasons as string[]).join(', ') || t('status.none')}</span>
      </p>
    </>
  );
}

function ResultBox({ t, r }: { t: TFunction; r: Result | null }) {
  if (!r) return null;
  if (!r.ok) return <ErrorLine t={t} r={r} />;
  const { ok: _ok, ...rest } = r;
  return (
    <output className="tech-result" aria-label={t('selfTest.result')}>
      <pre tabIndex={0}>{JSON.stringify(rest, null, 1)}</pre>
    </output>
  );
}

function SelfTestPanel({ t, run }: Ctx) {
  const [r, setR] = useState<Result | null>(null);
  const [cardInfoPin, setCardInfoPin] = useState('');
  const [running, setRunning] = useState(false);
  const [st] = useLoad(run, { action: 'status' });
  const hopperYen = st?.ok ? (st.hoppers as Array<{ yen: number }>).map((x) => x.yen).filter((y): y is 10 | 50 | 100 | 500 => [10, 50, 100, 500].includes(y)) : [];
  const go = async (req: TechnicianRequest) => {
    const x = await run(req);
    setR(x);
    if (req.action === 'selfTest' && req.test === 'acceptorStart') setRunning(x.ok);
    if (req.action === 'selfTest' && req.test === 'acceptorStop') setRunning(false);
    setCardInfoPin('');
  };
  return (
    <>
      <div className="tech-row">
        <label>
          {t('selfTest.cardInfoPin')}
          <input name="cardInfoPin" type="password" inputMode="numeric" autoComplete="off" maxLength={4} value={cardInfoPin} onChange={(e) => setCardInfoPin(e.target.value.replace(/\D/g, ''))} />
        </label>
        <button type="button" onClick={() => void go({ action: 'selfTest', test: 'cardReader', ...(cardInfoPin.length === 4 ? { cardInfoPin } : {}) })}>{t('selfTest.cardReader')}</button>
      </div>
      <div className="tech-row">
        <button type="button" onClick={() => void go({ action: 'selfTest', test: 'printer', printer: 'certificate' })}>{t('selfTest.printCertificate')}</button>
        <button type="button" onClick={() => void go({ action: 'selfTest', test: 'printer', printer: 'receipt' })}>{t('selfTest.printReceipt')}</button>
      </div>
      <div className="tech-row">
        {!running ? (
          <button type="button" onClick={() => void go({ action: 'selfTest', test: 'acceptorStart' })}>{t('selfTest.acceptorStart')}</button>
        ) : (
          <button type="button" onClick={() => void go({ action: 'selfTest', test: 'acceptorStop' })}>{t('selfTest.acceptorStop')}</button>
        )}
        {hopperYen.map((y) => (
          <button key={y} type="button" onClick={() => void go({ action: 'selfTest', test: 'hopper', yen: y })}>{t('selfTest.hopper', { yen: y })}</button>
        ))}
      </div>
      <ResultBox t={t} r={r} />
    </>
  );
}

function CashPanel({ t, run }: Ctx) {
  const [d, reload] = useLoad(run, { action: 'cashCounts' });
  const [done, setDone] = useState<Result | null>(null);
  const [refillYen, setRefillYen] = useState<10 | 50 | 100 | 500>(100);
  const [count, setCount] = useState('');
  if (!d) return null;
  if (!d.ok) return <ErrorLine t={t} r={d} />;
  const box = d.cashBox as { counts: Array<{ yen: number; count: number }>; totalYen: number };
  const hoppers = d.hoppers as Array<{ yen: number; count: number }>;
  return (
    <>
      <h2>{t('cash.cashBox')}</h2>
      <Table label={t('cash.cashBox')} head={[t('cash.denomination'), t('cash.count'), t('cash.amount')]} rows={[...box.counts.map((c) => [yen(c.yen), c.count, yen(c.yen * c.count)]), [t('cash.total'), '', <strong className="tech-cashbox-total">{yen(box.totalYen)}</strong>]]} />
      <button
        type="button"
        onClick={async () => {
          setDone(await run({ action: 'cashCollect' }));
          await reload();
        }}
      >
        {t('cash.collect')}
      </button>
      {done?.ok && <p role="status" className="tech-done">{t('cash.collected', { yen: Number(done.totalYen), ref: String(done.ref) })}</p>}
      <ErrorLine t={t} r={done} />
      <h2>{t('cash.hoppers')}</h2>
      <Table label={t('cash.hoppers')} head={[t('cash.denomination'), t('cash.count')]} rows={hoppers.map((h) => [yen(h.yen), <span data-hopper={h.yen}>{h.count}</span>])} />
      <form
        className="tech-row"
        onSubmit={async (e) => {
          e.preventDefault();
          setDone(await run({ action: 'hopperRefill', yen: refillYen, count: Number(count) }));
          setCount('');
          await reload();
        }}
      >
        <label>
          {t('cash.denomination')}
          <select name="refillYen" value={refillYen} onChange={(e) => setRefillYen(Number(e.target.value) as 10 | 50 | 100 | 500)}>
            {[10, 50, 100, 500].map((y) => <option key={y} value={y}>{yen(y)}</option>)}
          </select>
        </label>
        <label>
          {t('cash.refillCount')}
          <input name="refillCount" inputMode="numeric" value={count} onChange={(e) => setCount(e.target.value.replace(/\D/g, ''))} />
        </label>
        <button type="submit" disabled={!Number(count)}>{t('cash.refill')}</button>
      </form>
    </>
  );
}

function PaperPanel({ t, run }: Ctx) {
  const [d, reload] = useLoad(run, { action: 'paperCounters' });
  if (!d) return null;
  if (!d.ok) return <ErrorLine t={t} r={d} />;
  const counters = d.counters as Array<{ printer: 'certificate' | 'receipt'; refilledAt: string | null; jobs: number }>;
  return (
    <>
      <Table label={t('tabs.paper')} head={[t('paper.printer'), t('paper.jobs'), t('paper.refilledAt')]} rows={counters.map((c) => [t(`paper.${c.printer}`), <span data-paper={c.printer}>{c.jobs}</span>, c.refilledAt ?? '—'])} />
      {counters.map((c) => (
        <button
          key={c.printer}
          type="button"
          onClick={async () => {
            await run({ action: 'paperRefill', printer: c.printer });
            await reload();
          }}
        >
          {t('paper.refill', { printer: t(`paper.${c.printer}`) })}
        </button>
      ))}
    </>
  );
}

function JournalPanel({ t, run }: Ctx) {
  const [date, setDate] = useState(tokyoToday());
  const [kind, setKind] = useState<'all' | 'transaction' | 'cash' | 'print' | 'technician'>('all');
  const [text, setText] = useState('');
  const filter = { date, kind, text };
  const [d, setD] = useState<Result | null>(null);
  const search = async () => setD(await run({ action: 'journal', filter }));
  useEffect(() => void search(), []);
  const rows = (d?.ok ? d.rows : []) as Array<{ at: string; kind: string; ref: string; event: string; detail: string }>;
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
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            {(['all', 'transaction', 'cash', 'print', 'technician'] as const).map((k) => <option key={k} value={k}>{t(`journal.kinds.${k}`)}</option>)}
          </select>
        </label>
        <label>
          {t('journal.text')}
          <input name="text" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit">{t('journal.search')}</button>
        <button
          type="button"
          onClick={async () => {
            const r = await run({ action: 'journalCsv', filter });
            if (r.ok) download(String(r.fileName), String(r.csv), 'text/csv');
            else setD(r);
          }}
        >
          {t('journal.csv')}
        </button>
      </form>
      <ErrorLine t={t} r={d} />
      <p className="tech-count">{t('journal.rows', { n: rows.length })}</p>
      <Table label={t('tabs.journal')} head={[t('journal.at'), t('journal.kind'), t('journal.ref'), t('journal.event'), t('journal.detail')]} rows={rows.map((r) => [r.at, r.kind, r.ref, r.event, r.detail])} />
    </>
  );
}

function ReportPanel({ t, run }: Ctx) {
  const [date, setDate] = useState(tokyoToday());
  const [d, setD] = useState<Result | null>(null);
  const go = async (print: boolean) => setD(await run({ action: 'dailyReport', date, print }));
  const rep = d?.ok ? (d.report as { byCertificate: Array<{ certificate: string; issuances: number; copies: number; feeYen: number }>; issuances: number; feeYen: number; cash: Record<string, number>; registry: { matches?: boolean } }) : null;
  return (
    <>
      <div className="tech-row">
        <label>
          {t('journal.date')}
          <input name="reportDate" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <button type="button" onClick={() => void go(false)}>{t('report.show')}</button>
        <button type="button" onClick={() => void go(true)}>{t('report.print')}</button>
        {d?.ok && <button type="button" onClick={() => download(`nikkei-${date}.csv`, String(d.csv), 'text/csv')}>{t('report.csv')}</button>}
      </div>
      <ErrorLine t={t} r={d} />
      {d?.printed === true && <p role="status" className="tech-done">{t('report.printed')}</p>}
      {rep && (
        <>
          <Table
            label={t('tabs.report')}
            head={[t('report.certificate'), t('report.issuances'), t('report.copies'), t('report.fee')]}
            rows={[...rep.byCertificate.map((b) => [b.certificate, b.issuances, b.copies, yen(b.feeYen)]), [t('cash.total'), rep.issuances, '', yen(rep.feeYen)]]}
          />
          <Table
            label={t('tabs.cash')}
            head={[t('report.cashIn'), t('report.change'), t('report.refund'), t('report.collected'), t('report.refilled')]}
            rows={[[yen(rep.cash.inYen ?? 0), yen(rep.cash.changeYen ?? 0), yen(rep.cash.refundYen ?? 0), yen(rep.cash.collectedYen ?? 0), yen(rep.cash.refilledYen ?? 0)]]}
          />
          <p>
            {t('report.registry')}: {rep.registry.matches === undefined ? t('report.unavailable') : rep.registry.matches ? t('report.matches') : t('report.differs')}
          </p>
        </>
      )}
    </>
  );
}

function LogsPanel({ t, run }: Ctx) {
  const [d, setD] = useState<Result | null>(null);
  return (
    <>
      <button
        type="button"
        onClick={async () => {
          const r = await run({ action: 'logExport' });
          setD(r);
          if (r.ok) download(String(r.fileName), String(r.text), 'application/x-ndjson');
        }}
      >
        {t('logs.export')}
      </button>
      <ErrorLine t={t} r={d} />
      {d?.ok && <p role="status" className="tech-done">{t('logs.exported', { n: Number(d.lines) })}</p>}
    </>
  );
}

function ConfigPanel({ t, run }: Ctx) {
  const [d] = useLoad(run, { action: 'configView' });
  const [text, setText] = useState<string | null>(null);
  const [saved, setSaved] = useState<Result | null>(null);
  if (!d) return null;
  if (!d.ok) return <ErrorLine t={t} r={d} />;
  const value = text ?? (d.text as string | null) ?? JSON.stringify(d.effective, null, 2);
  return (
    <>
      <p>
        {t('config.file')}: <code>{String(d.file ?? '—')}</code>
      </p>
      <label className="tech-config">
        {t('tabs.config')}
        <textarea name="config" spellCheck={false} rows={18} value={value} onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="button" onClick={async () => setSaved(await run({ action: 'configEdit', yaml: value }))}>{t('config.edit')}</button>
      <ErrorLine t={t} r={saved} />
      {saved && !saved.ok && Array.isArray(saved.problems) && (
        <ul aria-label={t('config.problems')} className="tech-problems">
          {(saved.problems as Array<{ key: string; message: string }>).map((p) => <li key={p.key}>{`${p.key}: ${p.message}`}</li>)}
        </ul>
      )}
      {saved?.ok && <p role="status" className="tech-done">{saved.restart === 'restarting' ? t('config.saved') : t('config.requested')}</p>}
    </>
  );
}

function ServicePanel({ t, run }: Ctx) {
  const [d, reload] = useLoad(run, { action: 'status' });
  const [message, setMessage] = useState('');
  const [r, setR] = useState<Result | null>(null);
  const current = d?.ok ? (d.outOfService as { message: string } | null) : null;
  return (
    <>
      {d?.ok && <p className="tech-service-state">{t('service.now', { state: current ? t('service.outOfService', { message: current.message }) : t('service.inService') })}</p>}
      <label>
        {t('service.message')}
        <input name="message" maxLength={200} value={message} onChange={(e) => setMessage(e.target.value)} />
      </label>
      <div className="tech-row">
        <button
          type="button"
          disabled={!message.trim()}
          onClick={async () => {
            setR(await run({ action: 'outOfService', on: true, message: message.trim() }));
            await reload();
          }}
        >
          {t('service.stop')}
        </button>
        <button
          type="button"
          onClick={async () => {
            setR(await run({ action: 'inService' }));
            await reload();
          }}
        >
          {t('service.resume')}
        </button>
      </div>
      <ErrorLine t={t} r={r ?? (d && !d.ok ? d : null)} />
    </>
  );
}

function VersionPanel({ t, run }: Ctx) {
  const [d] = useLoad(run, { action: 'version' });
  if (!d) return null;
  if (!d.ok) return <ErrorLine t={t} r={d} />;
  return (
    <dl className="tech-version">
      <dt>{t('version.software')}</dt>
      <dd>{`Madoguchi ${String(d.version)}`}</dd>
      <dt>{t('version.kiosk')}</dt>
      <dd>{String(d.kioskId)}</dd>
      <dt>{t('version.node')}</dt>
      <dd>{String(d.node)}</dd>
    </dl>
  );
}

const PANELS: Record<Tab, (c: Ctx) => ReactNode> = {
  status: StatusPanel,
  selfTest: SelfTestPanel,
  cash: CashPanel,
  paper: PaperPanel,
  journal: JournalPanel,
  report: ReportPanel,
  logs: LogsPanel,
  config: ConfigPanel,
  service: ServicePanel,
  version: VersionPanel,
};

export function TechnicianConsole({ bridge, view: raw, language }: { bridge: KioskBridge; view: Record<string, unknown>; language: string }) {
  // The first snapshot of the screen may come before the console's own state: a login, then.
  const v = raw as Partial<View>;
  const view: View = { stage: v.stage ?? 'login', technician: v.technician ?? null, allowed: v.allowed ?? [], cardPresent: v.cardPresent ?? false, lockedUntil: v.lockedUntil ?? null };
  const t = useMemo(() => i18next.getFixedT(consoleLanguage(language), NS), [language]);
  const run = useCallback((r: TechnicianRequest) => tech(bridge, r), [bridge]);
  const [tab, setTab] = useState<Tab>('status');

  // Touches and keys keep the session alive; the core logs out after its inactivity limit.
  useEffect(() => {
    let last = 0;
    const alive = () => {
      if (Date.now() - last < 10_000) return;
      last = Date.now();
      void run({ action: 'ping' });
    };
    window.addEventListener('pointerdown', alive);
    window.addEventListener('keydown', alive);
    return () => {
      window.removeEventListener('pointerdown', alive);
      window.removeEventListener('keydown', alive);
    };
  }, [run]);

  const ctx = { t, run };
  const Panel = PANELS[tab];
  return (
    <div className="technician-console" lang={consoleLanguage(language)} data-stage={view.stage}>
      <div className="tech-bar">
        <span className="tech-title">{t('title')}</span>
        {view.technician && (
          <span className="tech-who" data-role={view.technician.role}>
            {t('who', { id: view.technician.id, role: t(`roles.${view.technician.role}`), method: t(`methods.${view.technician.method}`) })}
          </span>
        )}
        {view.technician && <button type="button" onClick={() => void run({ action: 'logout' })}>{t('logout')}</button>}
        <button type="button" onClick={() => void run({ action: 'exit' })}>{t('exit')}</button>
      </div>
      {view.stage === 'login' ? (
        <Login {...ctx} view={view} />
      ) : (
        <>
          <h1 id="screen-heading" tabIndex={-1} className="tech-heading">{t(`tabs.${tab}`)}</h1>
          <nav aria-label={t('title')} className="tech-tabs">
            {TABS.map(({ tab: x, action }) => (
              <button key={x} type="button" aria-pressed={tab === x} data-tab={x} data-allowed={view.allowed.includes(action)} onClick={() => setTab(x)}>
                {t(`tabs.${x}`)}
              </button>
            ))}
          </nav>
          <section className="tech-panel" data-panel={tab} key={tab}>
            <Panel {...ctx} />
          </section>
        </>
      )}
    </div>
  );
}

/**
 * The hidden gesture: five taps within three seconds in the top-left corner of a screen where no
 * resident is being served. No element is drawn for it.
 */
export function useTechnicianGesture(bridge: KioskBridge, screen: string | undefined): void {
  useEffect(() => {
    if (screen !== 'idle' && screen !== 'outOfService' && screen !== 'outsideHours') return;
    let taps: number[] = [];
    const onDown = (e: PointerEvent) => {
      if (e.clientX > 120 || e.clientY > 120) {
        taps = [];
        return;
      }
      const now = Date.now();
      taps = [...taps.filter((x) => now - x < 3000), now];
      if (taps.length >= 5) {
        taps = [];
        void tech(bridge, { action: 'enter' });
      }
    };
    window.addEventListener('pointerdown', onDown);
    return () => window.removeEventListener('pointerdown', onDown);
  }, [bridge, screen]);
}
