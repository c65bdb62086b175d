import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DemoAction, Language, ResidentInput, Snapshot, UiConfig } from '../../src/contract/index.js';
import type { PageBridge } from './client/bridge.js';
import { DemoPanel } from './components/DemoPanel.js';
import { Disconnected } from './components/Disconnected.js';
import { Steps } from './components/Steps.js';
import { T } from './components/T.js';
import { TimeoutWarning } from './components/TimeoutWarning.js';
import { warekiDate, westernDate, yenNumber } from './format.js';
import { keypadKey } from './keypad.js';
import { HTML_LANG, LANGUAGE_NAMES } from './i18n.js';
import { VOICE_KEY } from './keys.js';
import { ScreenOf } from './screens/index.js';
import { TechnicianConsole, useTechnicianGesture } from './technician/TechnicianConsole.js';
import { Voice } from './voice.js';

declare global {
  interface Window {
    /** Set when the screen for snapshot `seq` has been committed to the DOM (tests and bench). */
    __madoguchiRendered?: { seq: number; screen: string; at: number };
    /** When each recent snapshot arrived from the core, by seq (bench: renderer-side transition time). */
    __madoguchiReceived?: Record<number, number>;
  }
}

function useToday(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(id);
  }, []);
  return now;
}

export function App({ bridge }: { bridge: PageBridge }) {
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [connected, setConnected] = useState(true);
  const [ui, setUi] = useState<UiConfig | null>(null);
  const [largeText, setLargeText] = useState(false);
  const [highContrast, setHighContrast] = useState(false);
  const [muted, setMuted] = useState(false);
  const voice = useMemo(() => new Voice(), []);
  const { i18n, t } = useTranslation();
  const today = useToday();
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    const off = bridge.onEvent((e) => {
      if (e.type !== 'snapshot') return;
      const received = (window.__madoguchiReceived ??= {});
      received[e.snapshot.seq] = performance.now();
      delete received[e.snapshot.seq - 50];
      setSnapshot((s) => (s && s.seq > e.snapshot.seq ? s : e.snapshot));
    });
    void bridge.call('hello', {}).then((r) => {
      setUi(r.ui);
      setSnapshot((s) => s ?? r.snapshot);
    });
    return off;
  }, [bridge]);

  // The core went away (a restart): the last screen and its amounts go at once; a restarted core
  // numbers its snapshots from 1 again, so the first one after the reconnect is taken as it comes.
  useEffect(
    () =>
      bridge.onConnection((up) => {
        setConnected(up);
        if (!up) setSnapshot(null);
      }),
    [bridge],
  );

  const language = snapshot?.language;
  const screen = snapshot?.screen;
  useTechnicianGesture(bridge, screen);
  useEffect(() => {
    if (!language) return;
    void i18n.changeLanguage(language);
    document.documentElement.lang = HTML_LANG[language];
  }, [language, i18n]);

  // A new resident starts with the default display and sound.
  useEffect(() => {
    if (screen === 'idle') {
      setLargeText(false);
      setHighContrast(false);
      setMuted(false);
    }
  }, [screen]);

  useEffect(() => {
    document.documentElement.classList.toggle('large-text', largeText);
    document.documentElement.classList.toggle('high-contrast', highContrast);
  }, [largeText, highContrast]);

  useEffect(() => voice.setMuted(muted), [voice, muted]);

  // Each screen (and each language switch) asks for its voice clip; focus moves to the heading.
  useEffect(() => {
    if (!screen || !language) return;
    voice.play(language, screen);
  }, [voice, screen, language]);
  useEffect(() => {
    if (!screen) return;
    const h = document.getElementById('screen-heading');
    if (h && !document.querySelector('dialog[open]') && !mainRef.current?.contains(document.activeElement))
      h.focus({ preventScroll: true });
    else if (h && document.activeElement?.closest('button[disabled]') === null)
      h.focus({ preventScroll: true });
  }, [screen]);
  useEffect(() => {
    if (snapshot)
      window.__madoguchiRendered = { seq: snapshot.seq, screen: snapshot.screen, at: performance.now() };
  }, [snapshot]);

  const send = useCallback(
    (input: ResidentInput) => void bridge.call('input', { input }).catch(() => {}),
    [bridge],
  );
  const activity = useCallback((kind: 'display' | 'sound') => send({ type: 'ACTIVITY', kind }), [send]);

  // A card left behind: a chime and the spoken reminder, again and again until it is taken.
  useEffect(() => {
    if (screen !== 'cardLeft' || !language) return;
    voice.chime();
    const id = setInterval(() => {
      voice.chime();
      setTimeout(() => voice.play(language, 'cardLeft'), 800);
    }, 12_000);
    return () => clearInterval(id);
  }, [voice, screen, language]);
  const speak = useCallback((clip: string) => language && voice.play(language, clip), [voice, language]);
  const onWarning = useCallback(() => {
    voice.chime();
    if (language) setTimeout(() => voice.play(language, 'timeout'), 800);
  }, [voice, language]);
  const demo = useCallback(
    (action: DemoAction) => void bridge.call('demo', { action }).catch(() => {}),
    [bridge],
  );
  const setLanguage = useCallback(
    (l: Language) => void bridge.call('setLanguage', { language: l }),
    [bridge],
  );

  // Keyboard and numeric keypad (legend on screen): 1–9 pick the numbered choice, 0 the next step,
  // "*" goes back, "#" or Enter confirms, "." cancels, "/" repeats the voice guidance, "M" mutes.
  // Keys are read by code as well, so NumLock off (arrows, Home, End…) still means the digits.
  useEffect(() => {
    const onKey = (raw: KeyboardEvent) => {
      if (raw.defaultPrevented || raw.altKey || raw.ctrlKey || raw.metaKey) return;
      const e = { key: keypadKey(raw), preventDefault: () => raw.preventDefault() };
      const click = (sel: string) => {
        const el = mainRef.current?.querySelector<HTMLButtonElement>(sel);
        if (!el || el.disabled) return false;
        el.click();
        return true;
      };
      const inDialog = document.querySelector('dialog[open]');
      let handled = false;
      if (e.key === 'm' || e.key === 'M') {
        setMuted((m) => !m);
        handled = true;
      } else if (e.key === '/') {
        if (language && screen) voice.play(language, screen);
        handled = true;
      } else if (inDialog) return;
      else if (/^[1-9]$/.test(e.key)) handled = click(`[data-key="${e.key}"]`);
      else if (e.key === '*' || e.key === '-') handled = click('[data-key="back"]');
      else if (e.key === '0') handled = click('[data-key="next"]') || click('[data-primary]');
      else if (e.key === '.' || e.key === 'Escape') handled = click('[data-key="cancel"]');
      else if (e.key === '#') handled = click('[data-primary]');
      else if (e.key === 'Enter') {
        const active = document.activeElement;
        if (active && ['BUTTON', 'INPUT', 'SELECT'].includes(active.tagName)) return;
        handled = click('[data-primary]');
      }
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [voice, language, screen]);

  if (!connected) return <Disconnected />;
  if (!snapshot || !ui) return <p aria-busy="true">…</p>;

  return (
    <div className="kiosk" data-screen={snapshot.screen}>
      <header className="kiosk-top">
        <div className="kiosk-header">
          <div className="kiosk-heading">
            <span className="kiosk-title">
              <T k="app.title" />
            </span>
            <span className="kiosk-date">
              <time dateTime={today.toISOString().slice(0, 10)}>
                <T
                  k="app.today"
                  values={{ wareki: warekiDate(today), western: westernDate(today, snapshot.language) }}
                />
              </time>
            </span>
          </div>
          <nav aria-label={t('language.label')} className="language-switch">
            {ui.languages.map((l) => (
              <button
                key={l}
                type="button"
                lang={HTML_LANG[l]}
                aria-pressed={l === snapshot.language}
                onClick={() => setLanguage(l)}
              >
                {LANGUAGE_NAMES[l]}
              </button>
            ))}
          </nav>
        </div>
        <div className="toolbar" role="toolbar" aria-label={t('a11y.label')}>
          <button
            type="button"
            aria-pressed={largeText}
            onClick={() => {
              setLargeText((v) => !v);
              activity('display');
            }}
          >
            <T k="a11y.largeText" />
          </button>
          <button
            type="button"
            aria-pressed={highContrast}
            onClick={() => {
              setHighContrast((v) => !v);
              activity('display');
            }}
          >
            <T k="a11y.highContrast" />
          </button>
          <button
            type="button"
            aria-pressed={muted}
            onClick={() => {
              setMuted((v) => !v);
              activity('sound');
            }}
            aria-keyshortcuts="M"
          >
            <T k="a11y.mute" />
          </button>
          <button
            type="button"
            onClick={() => voice.play(snapshot.language, snapshot.screen)}
            aria-keyshortcuts="/"
          >
            <T k="a11y.repeat" />
          </button>
        </div>
      </header>
      <Steps step={snapshot.step} />
      <main className="screen" ref={mainRef} data-voice={VOICE_KEY[snapshot.screen]}>
        {snapshot.screen === 'technician' ? (
          <TechnicianConsole bridge={bridge} view={snapshot.view} language={snapshot.language} />
        ) : (
          <ScreenOf key={snapshot.screen} snapshot={snapshot} ui={ui} send={send} voice={speak} />
        )}
        {snapshot.screen === 'outOfService' && typeof snapshot.view.message === 'string' && (
          <p className="technician-notice" role="status">
            {snapshot.view.message}
          </p>
        )}
      </main>
      <footer className="keypad-legend">
        <T k="keypad.legend" />
      </footer>
      {snapshot.demo && <DemoPanel ui={ui} onAction={demo} />}
      <TimeoutWarning
        secondsLeft={snapshot.timeoutWarning?.secondsLeft ?? null}
        onExtend={() => send({ type: 'EXTEND' })}
        onOpen={onWarning}
        due={
          snapshot.screen === 'payment' ? (
            <>
              <T k="timeout.due" />{' '}
              <strong>
                <T
                  k="common.yen"
                  values={{ amount: yenNumber(snapshot.view.remainingYen, snapshot.language) }}
                />
              </strong>
            </>
          ) : undefined
        }
      />
    </div>
  );
}
