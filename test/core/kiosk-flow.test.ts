// The whole kiosk on its embedded defaults — card simulator, registry simulator over mutual TLS,
// ccTalk cash simulator, printer simulators, SQLite journal — driven through the contract.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKiosk } from '../support/kiosk.js';
import { isScreen, viewOn, type Snapshot } from '../../src/contract/index.js';
import { snapshotWhere } from '../support/wait.js';

let k: Awaited<ReturnType<typeof startTestKiosk>>;
beforeAll(async () => {
  k = await startTestKiosk({ log: { level: 'debug' } }, { fileLog: true });
}, 120_000);
afterAll(() => k?.stop());

const snap = () => k.app.core.snapshot();
const until = (pred: (s: Snapshot) => boolean, what: string, ms = 15_000) =>
  snapshotWhere(k.app.core.engine, pred, what, ms);
const call = (command: string, payload: unknown) =>
  k.app.dispatch({ kind: 'request', id: 1, command, payload });
const input = (i: unknown) => call('input', { input: i });

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

describe('kiosk on its embedded defaults', () => {
  it('issues a 住民票 end to end, then leaves no personal data or PIN in the kiosk files', async () => {
    expect(snap().screen).toBe('idle');
    await call('demo', { action: { type: 'insertCard', cardId: 'yamada-taro' } });
    await until((s) => s.screen === 'pin', 'pin');
    expect(viewOn(snap(), 'pin').triesLeft).toBe(3);
    await input({ type: 'PIN_SUBMIT', pin: '1234' });
    await until((s) => s.screen === 'municipality' || s.screen === 'certificate', 'menu');
    if (snap().screen === 'municipality') await input({ type: 'SELECT_MUNICIPALITY', code: '012050' });
    await until((s) => s.screen === 'certificate', 'certificate');
    const certs = viewOn(snap(), 'certificate').certificates;
    expect(certs.map((c) => c.type)).toContain('juminhyo');
    await input({ type: 'SELECT_CERTIFICATE', certificate: 'juminhyo' });
    await until((s) => isScreen(s, 'options') && !s.view.busy, 'options');
    const cert = viewOn(snap(), 'options').certificate!;
    const options = Object.fromEntries(
      cert.options.filter((o) => o.default !== undefined).map((o) => [o.id, o.default!]),
    );
    await input({ type: 'SET_OPTIONS', options, copies: 1 });
    await until((s) => s.screen === 'confirm', 'confirm');
    const fee = viewOn(snap(), 'confirm').feeYen;
    expect(fee).toBeGreaterThan(0);
    await input({ type: 'CONFIRM' });
    await until((s) => s.screen === 'takeCard', 'take card');
    await call('demo', { action: { type: 'removeCard' } });
    await until((s) => isScreen(s, 'payment') && s.view.accepting, 'payment');
    expect(await call('demo', { action: { type: 'insertCoin', yen: 500 } })).toMatchObject({ ok: true });
    await until((s) => s.screen === 'thankYou' || s.screen === 'error', 'thank you', 30_000);
    expect(snap().screen).toBe('thankYou');
    expect(viewOn(snap(), 'thankYou').changeYen).toBe(500 - fee);

    const j = k.app.core.journal;
    const tx = j.db.prepare('SELECT * FROM transactions ORDER BY started_at DESC LIMIT 1').get() as {
      id: string;
      status: string;
      issuance_id: string;
    };
    expect(tx.status).toBe('completed');
    expect(j.cashBalance(tx.id)).toMatchObject({ netYen: fee, escrowYen: 0 });
    expect(j.printJobs(tx.id).map((p) => `${p.kind}:${p.status}`)).toEqual([
      'certificate:done',
      'receipt:done',
    ]);

    await input({ type: 'ACK' });
    await until((s) => s.screen === 'idle', 'idle');
    expect(k.app.core.engine.machineSnapshot().context.resident).toBeNull();
    expect(JSON.stringify(snap())).not.toMatch(/山田|1972|幸町/);

    // Privacy: the kiosk's own files (journal and its WAL, logs, card simulator state) hold none of it.
    // (The embedded registry's database and the printer's spool stand for the central registry and paper.)
    // The log file is appended synchronously: what was logged is on disk once flushed.
    k.app.log.flush();
    const kioskFiles = filesUnder(k.app.paths.dataDir).filter(
      (f) =>
        !f.includes(`${join(k.app.paths.dataDir, 'registry')}`) &&
        !f.startsWith(k.app.paths.spoolDir) &&
        !f.includes('registry-sim') &&
        statSync(f).isFile(),
    );
    expect(kioskFiles.some((f) => f.endsWith('journal.sqlite3'))).toBe(true);
    expect(kioskFiles.some((f) => f.includes('logs'))).toBe(true);
    const needles = ['1234', '山田', 'ヤマダ', '1972-04-15', '19720415', '幸町'];
    for (const f of kioskFiles) {
      const bytes = readFileSync(f);
      for (const n of needles) {
        const hit =
          bytes.includes(Buffer.from(n, 'utf8')) || (n === '1234' && bytes.includes(Buffer.from('"1234"')));
        if (n === '1234') {
          // Four digits occur naturally in binary files; the PIN as a JSON value or after "pin" must not.
          expect(bytes.includes(Buffer.from('"1234"')), `${f} holds the PIN`).toBe(false);
          expect(/pin[^a-z]{0,4}1234/i.test(bytes.toString('latin1')), `${f} holds the PIN`).toBe(false);
        } else expect(hit, `${f} holds "${n}"`).toBe(false);
      }
    }
    expect(k.app.core.journal.verifyAudit().problems).toEqual([]);
  }, 90_000);
});
