import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { KioskBridge, Language, Snapshot, UiConfig } from '../../src/contract/index.js';
import { HTML_LANG, LANGUAGE_NAMES } from './i18n.js';

export function App({ bridge }: { bridge: KioskBridge }) {
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [ui, setUi] = useState<UiConfig | null>(null);
  const { i18n } = useTranslation();

  useEffect(() => {
    const off = bridge.onEvent((e) => {
      if (e.type === 'snapshot') setSnapshot((s) => (s && s.seq > e.snapshot.seq ? s : e.snapshot));
    });
    void bridge.call('hello', {}).then((r) => {
      setUi(r.ui);
      setSnapshot((s) => s ?? r.snapshot);
    });
    return off;
  }, [bridge]);

  useEffect(() => {
    if (!snapshot) return;
    void i18n.changeLanguage(snapshot.language);
    document.documentElement.lang = HTML_LANG[snapshot.language];
  }, [snapshot?.language, i18n, snapshot]);

  if (!snapshot || !ui) return <p aria-busy="true">…</p>;
  const setLanguage = (language: Language) => void bridge.call('setLanguage', { language });

  return (
    <div className="kiosk" data-screen={snapshot.screen}>
      <header className="kiosk-header">
        <span className="kiosk-title"><Trans i18nKey="app.title" /></span>
        <nav aria-label="言語 / Language" className="language-switch">
          {ui.languages.map((l) => (
            <button key={l} type="button" lang={HTML_LANG[l]} aria-pressed={l === snapshot.language} onClick={() => setLanguage(l)}>
              {LANGUAGE_NAMES[l]}
            </button>
          ))}
        </nav>
      </header>
      <main className="screen">
        <h1><Trans i18nKey="idle.heading" /></h1>
        <p className="lead"><Trans i18nKey="idle.lead" /></p>
        <div className="actions">
          <button type="button" className="primary" onClick={() => void bridge.call('input', { input: { type: 'START' } })}>
            <Trans i18nKey="idle.start" />
          </button>
        </div>
      </main>
    </div>
  );
}
