// A kiosk process for the crash test. Runs one scripted transaction on the embedded defaults in
// MADOGUCHI_DATA_DIR and kills itself with SIGKILL right after the journal write named by
// MADOGUCHI_CRASH_AT ("<step>:<phase>#<n>", n = occurrence). With MADOGUCHI_CRASH_LIST it appends every crash
// point it passes to that file instead (to learn the list). Prints DONE when the script completes.
// The cash devices are not in this process: like real hardware they outlive a kiosk crash. They run
// in the test on a socat pty (MADOGUCHI_CASH_JSON names the port); this process prints PAY when it
// waits for the resident's bill, and the test inserts it.
import { appendFileSync } from 'node:fs';
import { parseConfig } from '../../src/config/load.js';
import { createKioskApp } from '../../src/app.js';
import { silentLogger } from '../../src/log/logger.js';
import { viewOn, type Snapshot } from '../../src/contract/index.js';
import { snapshotWhere } from './wait.js';

const crashAt = process.env.MADOGUCHI_CRASH_AT;
const list = process.env.MADOGUCHI_CRASH_LIST;
const seen = new Map<string, number>();
const crashPoint = (step: string, phase: string) => {
  const base = `${step}:${phase}`;
  const n = (seen.get(base) ?? 0) + 1;
  seen.set(base, n);
  const id = `${base}#${n}`;
  if (list) appendFileSync(list, id + '\n');
  if (id === crashAt) process.kill(process.pid, 'SIGKILL');
};

const config = parseConfig({
  kiosk: { dataDir: process.env.MADOGUCHI_DATA_DIR!, serviceHours: 'always' },
  ...(process.env.MADOGUCHI_CASH_JSON ? { cash: JSON.parse(process.env.MADOGUCHI_CASH_JSON) } : {}),
});
const app = await createKioskApp(config, { log: silentLogger, core: { crashPoint } });
const snap = () => app.core.snapshot();
const until = (pred: (s: Snapshot) => boolean, what: string) =>
  snapshotWhere(app.core.engine, pred, what, 20_000);
const call = (command: string, payload: unknown) =>
  app.dispatch({ kind: 'request', id: 1, command, payload });
const input = (i: unknown) => call('input', { input: i });

// A 住民票, two copies, paid with a ¥1000 bill: escrow, stacking and change all happen.
await call('demo', { action: { type: 'insertCard', cardId: 'yamada-taro' } });
await until((s) => s.screen === 'pin', 'pin');
await input({ type: 'PIN_SUBMIT', pin: '1234' });
await until((s) => s.screen === 'municipality' || s.screen === 'certificate', 'menu');
if (snap().screen === 'municipality') await input({ type: 'SELECT_MUNICIPALITY', code: '012050' });
await until((s) => s.screen === 'certificate', 'certificate');
await input({ type: 'SELECT_CERTIFICATE', certificate: 'juminhyo' });
await until((s) => s.screen === 'options' && !s.view.busy, 'options');
const cert = viewOn(snap(), 'options').certificate!;
await input({
  type: 'SET_OPTIONS',
  options: Object.fromEntries(
    cert.options.filter((o) => o.default !== undefined).map((o) => [o.id, o.default!]),
  ),
  copies: 2,
});
await until((s) => s.screen === 'confirm', 'confirm');
await input({ type: 'CONFIRM' });
await until((s) => s.screen === 'takeCard', 'take card');
await call('demo', { action: { type: 'removeCard' } });
await until((s) => s.screen === 'payment' && s.view.accepting === true, 'payment');
if (process.env.MADOGUCHI_CASH_JSON) process.stdout.write('PAY\n');
else {
  const r = await call('demo', { action: { type: 'insertBill', yen: 1000 } });
  if (!r.ok) throw new Error(JSON.stringify(r));
}
await until((s) => s.screen === 'thankYou', 'thank you');
await app.stop();
process.stdout.write('DONE\n');
process.exit(0);
