import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n.js';
import './styles.css';
import { App } from './App.js';
import { connect } from './client/bridge.js';

const root = createRoot(document.getElementById('root')!);
connect()
  .then((bridge) =>
    root.render(
      <StrictMode>
        <App bridge={bridge} />
      </StrictMode>,
    ),
  )
  .catch((e: Error) => root.render(<p role="alert">{e.message}</p>));
