// Drives a kiosk app through the contract like a resident at the screen: demo card, PIN,
// 住民票, confirm, card back, up to the payment screen.
import type { KioskApp } from '../../src/app.js';
import type { Snapshot } from '../../src/contract/index.js';
import { snapshotWhere } from './wait.js';

/** The first snapshot the kiosk publishes (or shows now) that satisfies `pred`. */
export const until = (app: KioskApp, pred: (s: Snapshot) => boolean, what: string, ms = 20_000) =>
  snapshotWhere(app.core.engine, pred, what, ms);

export const call = (app: KioskApp, command: string, payload: unknown) =>
  app.dispatch({ kind: 'request', id: 1, command, payload });
export const input = (app: KioskApp, i: unknown) => call(app, 'input', { input: i });

/** From idle to the payment screen with acceptors open; returns the amount due. */
export async function driveToPayment(
  app: KioskApp,
  copies = 1,
  cardId = 'yamada-taro',
  pin = '1234',
): Promise<number> {
  await call(app, 'demo', { action: { type: 'insertCard', cardId } });
  await until(app, (s) => s.screen === 'pin', 'pin');
  await input(app, { type: 'PIN_SUBMIT', pin });
  await until(app, (s) => s.screen === 'municipality' || s.screen === 'certificate', 'menu');
  if (app.core.snapshot().screen === 'municipality')
    await input(app, { type: 'SELECT_MUNICIPALITY', code: '012050' });
  await until(app, (s) => s.screen === 'certificate', 'certificate');
  await input(app, { type: 'SELECT_CERTIFICATE', certificate: 'juminhyo' });
  await until(app, (s) => s.screen === 'options' && !(s.view as { busy?: boolean }).busy, 'options');
  const cert = (
    app.core.snapshot().view as { certificate: { options: { id: string; default?: string | boolean }[] } }
  ).certificate;
  await input(app, {
    type: 'SET_OPTIONS',
    options: Object.fromEntries(
      cert.options.filter((o) => o.default !== undefined).map((o) => [o.id, o.default!]),
    ),
    copies,
  });
  await until(app, (s) => s.screen === 'confirm', 'confirm');
  await input(app, { type: 'CONFIRM' });
  await until(app, (s) => s.screen === 'takeCard', 'take card');
  await call(app, 'demo', { action: { type: 'removeCard' } });
  const s = await until(
    app,
    (x) => x.screen === 'payment' && (x.view as { accepting?: boolean }).accepting === true,
    'payment',
  );
  return (s.view as { dueYen: number }).dueYen;
}
