import { T } from './T.js';

// Shown while the page has lost the kiosk core (it is restarting): never the last screen with its
// amounts. The transport reconnects by itself and the core's current screen replaces this one.
export function Disconnected() {
  return (
    <div className="kiosk" data-screen="disconnected">
      <main className="screen" aria-busy="true">
        <h1 id="screen-heading" tabIndex={-1}>
          <T k="disconnected.heading" />
        </h1>
        <p className="lead" role="status">
          <T k="disconnected.body" />
        </p>
      </main>
    </div>
  );
}
