// The technician's console: login, then one panel per function (./panels), each allowed or denied
// by role in the core (a denied attempt is journaled there). Results come back in the command's
// answer, typed by the contract; who is logged in comes with the snapshot's view.
import { useCallback, useEffect, useMemo, useState } from 'react';
import i18next from 'i18next';
import { TechnicianView, type KioskBridge, type TechnicianAction } from '../../../src/contract/index.js';
import { tech, type Run } from './api.js';
import type { PanelProps } from './common.js';
import { NS, consoleLanguage } from './i18n.js';
import { Login } from './Login.js';
import { CashPanel } from './panels/CashPanel.js';
import { ConfigPanel } from './panels/ConfigPanel.js';
import { JournalPanel } from './panels/JournalPanel.js';
import { LogsPanel } from './panels/LogsPanel.js';
import { PaperPanel } from './panels/PaperPanel.js';
import { ReportPanel } from './panels/ReportPanel.js';
import { SelfTestPanel } from './panels/SelfTestPanel.js';
import { ServicePanel } from './panels/ServicePanel.js';
import { StatusPanel } from './panels/StatusPanel.js';
import { VersionPanel } from './panels/VersionPanel.js';
import './technician.css';

type Tab =
  'status' | 'selfTest' | 'cash' | 'paper' | 'journal' | 'report' | 'logs' | 'config' | 'service' | 'version';
const TABS: Array<{ tab: Tab; action: TechnicianAction; Panel: (p: PanelProps) => React.ReactNode }> = [
  { tab: 'status', action: 'status', Panel: StatusPanel },
  { tab: 'selfTest', action: 'selfTest', Panel: SelfTestPanel },
  { tab: 'cash', action: 'cashCounts', Panel: CashPanel },
  { tab: 'paper', action: 'paperCounters', Panel: PaperPanel },
  { tab: 'journal', action: 'journal', Panel: JournalPanel },
  { tab: 'report', action: 'dailyReport', Panel: ReportPanel },
  { tab: 'logs', action: 'logExport', Panel: LogsPanel },
  { tab: 'config', action: 'configView', Panel: ConfigPanel },
  { tab: 'service', action: 'outOfService', Panel: ServicePanel },
  { tab: 'version', action: 'version', Panel: VersionPanel },
];

/** The first snapshot of the screen may come before the console's own state: a login, then. */
const LOGIN_VIEW: TechnicianView = {
  stage: 'login',
  technician: null,
  allowed: [],
  cardPresent: false,
  idleLogoutSeconds: 300,
  lockedUntil: null,
};

export function TechnicianConsole({
  bridge,
  view: raw,
  language,
}: {
  bridge: KioskBridge;
  view: unknown;
  language: string;
}) {
  const parsed = TechnicianView.safeParse(raw);
  const view = parsed.success ? parsed.data : LOGIN_VIEW;
  const t = useMemo(() => i18next.getFixedT(consoleLanguage(language), NS), [language]);
  const run: Run = useCallback((r) => tech(bridge, r), [bridge]);
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
  const Panel = (TABS.find((x) => x.tab === tab) ?? TABS[0]!).Panel;
  return (
    <div className="technician-console" lang={consoleLanguage(language)} data-stage={view.stage}>
      <div className="tech-bar">
        <span className="tech-title">{t('title')}</span>
        {view.technician && (
          <span className="tech-who" data-role={view.technician.role}>
            {t('who', {
              id: view.technician.id,
              role: t(`roles.${view.technician.role}`),
              method: t(`methods.${view.technician.method}`),
            })}
          </span>
        )}
        {view.technician && (
          <button type="button" onClick={() => void run({ action: 'logout' })}>
            {t('logout')}
          </button>
        )}
        <button type="button" onClick={() => void run({ action: 'exit' })}>
          {t('exit')}
        </button>
      </div>
      {view.stage === 'login' ? (
        <Login {...ctx} view={view} />
      ) : (
        <>
          <h1 id="screen-heading" tabIndex={-1} className="tech-heading">
            {t(`tabs.${tab}`)}
          </h1>
          <nav aria-label={t('title')} className="tech-tabs">
            {TABS.map(({ tab: x, action }) => (
              <button
                key={x}
                type="button"
                aria-pressed={tab === x}
                data-tab={x}
                data-allowed={view.allowed.includes(action)}
                onClick={() => setTab(x)}
              >
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
