// The console through the contract command on a whole kiosk (simulators, embedded registry):
// both logins, wrong PINs and TOTP, role limits, inactivity exit, and the journal rows they leave.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { TechnicianRequest } from '../../src/contract/technician.js';
import { currentTotp, hashTechnicianPin, newTotpSecret } from '../../src/technician/auth.js';
import { tokyoDay } from '../../src/technician/reports.js';
import { startTestKiosk } from '../support/kiosk.js';
import { ManualClock } from '../support/manual-clock.js';

const dir = mkdtempSync(join(tmpdir(), 'madoguchi-tech-'));
const secret = newTotpSecret();
writeFileSync(join(dir, 'totp'), secret, { mode: 0o600 });
export const ACCOUNTS = [
  {
    id: 'op1',
    role: 'operator' as const,
    pinHash: hashTechnicianPin('246810'),
    totpSecretFile: join(dir, 'totp'),
  },
  {
    id: 'eng1',
    role: 'engineer' as const,
    pinHash: hashTechnicianPin('135790'),
    totpSecretFile: join(dir, 'totp'),
  },
];

type TestKiosk = Awaited<ReturnType<typeof startTestKiosk>>;
let k: TestKiosk;
// A second kiosk whose clock the test moves by hand (back-offs, inactivity), starting from now. The
// journal dates its rows by the system clock, so checks that compare the two stay on the first kiosk.
let t: TestKiosk;
const clock = new ManualClock(Date.now());
const totpNow = () => currentTotp(secret, new Date(clock.now()));
const callOn = async (kiosk: TestKiosk, r: unknown) =>
  (await kiosk.app.core.handlers.technician({ request: TechnicianRequest.parse(r) })).result as Record<
    string,
    unknown
  > & { ok: boolean };
const call = (r: unknown) => callOn(k, r);
const callT = (r: unknown) => callOn(t, r);
const actionsOf = (kiosk: TestKiosk) =>
  kiosk.app.core.journal.db
    .prepare('SELECT technician, role, action, detail FROM technician_actions ORDER BY id')
    .all() as Array<{ technician: string; role: string; action: string; detail: string | null }>;
const actions = () => actionsOf(k);
const today = tokyoDay(new Date());
/** A one-time code not used before for this account: each is accepted once, within ±1 step of now. */
const spent = new Map<string, number>();
export function freshTotp(id: string): string {
  const nowStep = Math.floor(Date.now() / 30_000);
  const step = Math.max((spent.get(id) ?? -Infinity) + 1, nowStep - 1);
  if (step > nowStep + 1) throw new Error('no unused one-time code left in the window');
  spent.set(id, step);
  return currentTotp(secret, new Date(step * 30_000));
}

beforeAll(async () => {
  const technician = { accounts: ACCOUNTS, idleLogoutSeconds: 30, lockoutAttempts: 3 };
  k = await startTestKiosk({ technician }, { fileLog: true });
  t = await startTestKiosk({ technician }, { core: { clock } });
}, 60_000);
afterAll(async () => {
  await k?.stop();
  await t?.stop();
});

describe('technician console', () => {
  it('refuses everything before a login, and a wrong PIN or TOTP leaves a loginFailed row', async () => {
    expect(await callT({ action: 'status' })).toMatchObject({ ok: false, error: 'notLoggedIn' });
    expect(await callT({ action: 'enter' })).toMatchObject({ ok: true, screen: 'technician' });
    expect(t.app.core.snapshot().view).toMatchObject({ stage: 'login', technician: null });
    // One answer for every cause; the cause goes only to the journal.
    expect(await callT({ action: 'loginPin', technicianId: 'op1', pin: '111111', totp: totpNow() })).toEqual({
      ok: false,
      error: 'loginFailed',
    });
    expect(
      await callT({
        action: 'loginPin',
        technicianId: 'op1',
        pin: '246810',
        totp: '000000' === totpNow() ? '111111' : '000000',
      }),
    ).toEqual({ ok: false, error: 'loginFailed' });
    expect(
      await callT({ action: 'loginPin', technicianId: 'nobody', pin: '246810', totp: totpNow() }),
    ).toEqual({ ok: false, error: 'loginFailed' });
    const failed = actionsOf(t).filter((a) => a.action === 'loginFailed');
    expect(failed.map((a) => [a.technician, JSON.parse(a.detail!).reason])).toEqual([
      ['op1', 'wrongPin'],
      ['op1', 'wrongTotp'],
      ['nobody', 'unknownTechnician'],
    ]);
    // Three failures in a row at the screen's form: a short back-off, shown without naming any id.
    const lockedUntil = (t.app.core.snapshot().view as { lockedUntil: string | null }).lockedUntil;
    expect(Date.parse(lockedUntil!) - clock.now()).toBeLessThanOrEqual(1000);
    await clock.advance(Date.parse(lockedUntil!) - clock.now());
    expect(
      await callT({ action: 'loginPin', technicianId: 'op1', pin: '246810', totp: totpNow() }),
    ).toMatchObject({ ok: true });
    await callT({ action: 'logout' });
    expect(JSON.stringify(actionsOf(t))).not.toContain('111111');
  });

  it('an operator handles cash and paper but not configuration or diagnostics', async () => {
    expect(await call({ action: 'enter' })).toMatchObject({ ok: true, screen: 'technician' });
    expect(
      await call({ action: 'loginPin', technicianId: 'op1', pin: '246810', totp: freshTotp('op1') }),
    ).toMatchObject({ ok: true, technician: { id: 'op1', role: 'operator', method: 'pin' } });
    expect(k.app.core.snapshot().view).toMatchObject({
      stage: 'console',
      technician: { id: 'op1', role: 'operator' },
    });
    expect(await call({ action: 'configView' })).toMatchObject({ ok: false, error: 'denied' });
    expect(await call({ action: 'selfTest', test: 'printer', printer: 'receipt' })).toMatchObject({
      ok: false,
      error: 'denied',
    });
    const denied = actions().filter((a) => a.action === 'denied');
    expect(denied.map((a) => [a.technician, a.role, JSON.parse(a.detail!).action])).toEqual([
      ['op1', 'operator', 'configView'],
      ['op1', 'operator', 'selfTest'],
    ]);

    const st = await call({ action: 'status' });
    expect((st.devices as Array<{ id: string }>).map((d) => d.id)).toEqual(
      expect.arrayContaining([
        'cardReader',
        'registry',
        'certificatePrinter',
        'receiptPrinter',
        'coinAcceptor',
        'billValidator',
      ]),
    );

    const before = (await call({ action: 'cashCounts' })).hoppers as Array<{ yen: number; count: number }>;
    const refill = await call({ action: 'hopperRefill', yen: 100, count: 50 });
    expect((refill.levels as Array<{ yen: number; count: number }>).find((l) => l.yen === 100)!.count).toBe(
      before.find((l) => l.yen === 100)!.count + 50,
    );
    k.app.core.journal.setState('needsTechnician', { reason: 'test' });
    const col = await call({ action: 'cashCollect' });
    expect(col).toMatchObject({ ok: true, collection: { slipPrinted: true } });
    expect(k.app.core.journal.getState('needsTechnician')).toBeNull();
    expect(await call({ action: 'paperRefill', printer: 'receipt' })).toMatchObject({ ok: true });
    const paper = await call({ action: 'paperCounters' });
    expect(
      (paper.counters as Array<{ printer: string; jobs: number }>).find((c) => c.printer === 'receipt')!.jobs,
    ).toBe(0);
    expect(
      actions()
        .filter((a) => a.technician === 'op1')
        .map((a) => a.action),
    ).toEqual(
      expect.arrayContaining([
        'login',
        'cashCounts',
        'hopperRefill',
        'cashCollect',
        'needsTechnicianCleared',
        'paperRefill',
        'paperCounters',
      ]),
    );
  });

  it('journal by day with filters, CSV export and the daily report (printed, exported)', async () => {
    const j = await call({ action: 'journal', filter: { date: today, kind: 'technician', text: 'refill' } });
    const rows = j.rows as Array<{ kind: string; event: string }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.kind === 'technician' && /refill/i.test(JSON.stringify(r)))).toBe(true);
    const csv = await call({ action: 'journalCsv', filter: { date: today } });
    expect(String(csv.csv).split('\r\n')[0]).toBe('at,kind,ref,event,detail');
    expect(String(csv.csv)).toContain('hopperRefill');
    const rep = await call({ action: 'dailyReport', date: today, print: true });
    expect(rep).toMatchObject({
      ok: true,
      printed: true,
      report: { date: today, cash: { refilledYen: 5000 } },
    });
    expect(String(rep.csv)).toContain('cash,refilledYen,,,5000');
  });

  it('the out-of-service switch keeps residents out with the message until switched back', async () => {
    expect(await call({ action: 'outOfService', on: true, message: '点検中です' })).toMatchObject({
      ok: true,
    });
    expect(await call({ action: 'exit' })).toMatchObject({ ok: true, screen: 'outOfService' });
    expect(k.app.core.snapshot().view).toMatchObject({ reason: 'technician' });
    await call({ action: 'enter' });
    await call({ action: 'loginPin', technicianId: 'op1', pin: '246810', totp: freshTotp('op1') });
    await call({ action: 'inService' });
    await call({ action: 'logout' });
    expect(k.app.core.snapshot().screen).toBe('idle');
  });

  it('an engineer runs diagnostics, exports logs without personal data and edits configuration, but not cash', async () => {
    await call({ action: 'enter' });
    expect(
      await call({ action: 'loginPin', technicianId: 'eng1', pin: '135790', totp: freshTotp('eng1') }),
    ).toMatchObject({ ok: true });
    expect(await call({ action: 'cashCollect' })).toMatchObject({ ok: false, error: 'denied' });
    expect(await call({ action: 'selfTest', test: 'printer', printer: 'certificate' })).toMatchObject({
      ok: true,
    });
    expect(await call({ action: 'selfTest', test: 'printer', printer: 'receipt' })).toMatchObject({
      ok: true,
    });
    expect(await call({ action: 'selfTest', test: 'hopper', yen: 10 })).toMatchObject({
      ok: true,
      paidYen: 10,
    });
    expect(await call({ action: 'selfTest', test: 'acceptorStart' })).toMatchObject({ ok: true });
    k.app.core.devices.cash.simulator!.insertCoin(100);
    // The poll that reads the coin resolves once the test's payment session has counted it.
    await k.app.core.devices.cash.pollOnce();
    expect(await call({ action: 'selfTest', test: 'acceptorStop' })).toMatchObject({
      ok: true,
      insertedYen: 100,
      refundedYen: 100,
    });
    await k.app.core.devices.card.simulator!.insert('technician');
    const card = await call({ action: 'selfTest', test: 'cardReader' });
    expect(card).toMatchObject({ ok: true, card: { cardType: 'mynumber', form: 'card', technician: true } });
    // A phone on the reader is recognised; it has no card-info AP, so there are no basic items to read.
    await k.app.core.devices.card.simulator!.insert('phone-android');
    const phone = await call({ action: 'selfTest', test: 'cardReader', cardInfoPin: '3141' });
    expect(phone).toMatchObject({
      ok: true,
      card: { cardType: 'android', form: 'phone', validTo: null, authPinTriesLeft: 3 },
      basicPin: 'notOnPhone',
      basic: null,
    });
    k.app.core.devices.card.simulator!.remove();

    const logs = await call({ action: 'logExport' });
    expect(logs.ok).toBe(true);
    expect(String(logs.text)).not.toMatch(/"(pin|name|address|birthDate)":/);
    const v = await call({ action: 'version' });
    expect(v).toMatchObject({ ok: true, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    const cfg = await call({ action: 'configView' });
    expect(JSON.stringify(cfg)).not.toContain('scrypt$');
    // Embedded defaults: there is no file to edit.
    expect(
      await call({ action: 'configEdit', yaml: stringify({ ui: { shufflePinPad: true } }) }),
    ).toMatchObject({ ok: false, error: 'noConfigFile' });
    await call({ action: 'logout' });
    const audit = k.app.core.journal.verifyMirrors();
    expect(audit).toEqual([]);
  });

  it('leaves the console after inactivity', async () => {
    await callT({ action: 'enter' });
    expect(
      await callT({ action: 'loginPin', technicianId: 'eng1', pin: '135790', totp: totpNow() }),
    ).toMatchObject({ ok: true });
    // 30 s is the configured minimum, moved on the kiosk's clock.
    expect(t.app.core.snapshot().screen).toBe('technician');
    await clock.advance(29_999);
    expect(t.app.core.snapshot().screen).toBe('technician');
    await clock.advance(1);
    expect(
      t.app.core.snapshot().screen,
      JSON.stringify([t.app.core.snapshot().view, await t.app.core.checkService()]),
    ).toBe('idle');
    expect(actionsOf(t).at(-1)).toMatchObject({
      technician: 'eng1',
      action: 'logout',
      detail: JSON.stringify({ reason: 'inactivity' }),
    });
  });
});

describe('validated configuration edit', () => {
  it('rejects an invalid file, writes a valid one with a backup and asks for a restart', async () => {
    // separate kiosk with a configuration file
    const { createKioskApp } = await import('../../src/app.js');
    const { parseConfig } = await import('../../src/config/load.js');
    const { silentLogger } = await import('../../src/log/logger.js');
    const d = mkdtempSync(join(tmpdir(), 'madoguchi-tech-cfg-'));
    const file = join(d, 'config.yaml');
    const doc = {
      kiosk: { dataDir: d, serviceHours: 'always' as const },
      technician: { accounts: [ACCOUNTS[1]] },
      fleet: { heartbeat: false },
    };
    writeFileSync(file, stringify(doc));
    let restarted = 0;
    const own = new ManualClock(Date.now());
    const app = await createKioskApp(parseConfig(doc), {
      log: silentLogger,
      core: { configFile: file, restart: () => restarted++, clock: own },
    });
    try {
      const c = async (r: unknown) =>
        (await app.core.handlers.technician({ request: TechnicianRequest.parse(r) })).result as Record<
          string,
          unknown
        >;
      await c({ action: 'enter' });
      expect(
        await c({
          action: 'loginPin',
          technicianId: 'eng1',
          pin: '135790',
          totp: currentTotp(secret, new Date(own.now())),
        }),
      ).toMatchObject({ ok: true });
      writeFileSync(file, `# kiosk configuration\n${stringify(doc)}`);
      const view = await c({ action: 'configView' });
      expect(String(view.text)).toContain('[scrypt]');
      expect(String(view.text)).not.toContain('scrypt$');
      // Saved unchanged: accepted, the hash kept from the file, nothing changed.
      expect(await c({ action: 'configEdit', yaml: String(view.text) })).toMatchObject({
        ok: true,
        restart: 'unchanged',
        changedKeys: [],
      });
      expect(readFileSync(file, 'utf8')).toContain(ACCOUNTS[1]!.pinHash);
      // A placeholder for an account that has no hash on disk cannot be saved.
      const invented = await c({
        action: 'configEdit',
        yaml: String(view.text).replace('id: eng1', 'id: eng9'),
      });
      expect(invented).toMatchObject({
        ok: false,
        error: 'invalid',
        problems: [{ key: 'technician.accounts.0.pinHash' }],
      });
      const bad = await c({ action: 'configEdit', yaml: 'ui:\n  shufflePinPad: maybe\n' });
      expect(bad).toMatchObject({ ok: false, error: 'invalid', problems: [{ key: 'ui.shufflePinPad' }] });
      const edited = String(view.text).replace('fleet:', 'ui:\n  shufflePinPad: true\nfleet:');
      expect(await c({ action: 'configEdit', yaml: edited })).toMatchObject({
        ok: true,
        restart: 'restarting',
        changedKeys: ['ui.shufflePinPad'],
      });
      const written = readFileSync(file, 'utf8');
      expect(written).toContain('shufflePinPad: true');
      expect(written.startsWith('# kiosk configuration')).toBe(true);
      // Every edit is journaled with its keys (never values), refused ones too.
      const edits = (
        app.core.journal.db
          .prepare("SELECT detail FROM technician_actions WHERE action = 'configEdit' ORDER BY id")
          .all() as Array<{ detail: string }>
      ).map((r) => JSON.parse(r.detail) as { ok: boolean; changedKeys: string[] });
      expect(edits.map((e) => e.ok)).toEqual([true, false, false, true]);
      expect(edits[2]!.changedKeys).toContain('kiosk.dataDir');
      expect(edits[3]!.changedKeys).toEqual(['ui.shufflePinPad']);
      expect(JSON.stringify(edits)).not.toContain('scrypt$');
      expect(written).toContain(ACCOUNTS[1]!.pinHash);
      // The restart comes half a second after the answer, so the answer reaches the screen first.
      expect(restarted).toBe(0);
      await own.advance(500);
      expect(restarted).toBe(1);
      // The edit is on trial until a start on it comes up (then it is the last good one).
      expect(existsSync(`${file}.trial.json`)).toBe(true);
      expect(readFileSync(`${file}.last-good`, 'utf8')).not.toContain('shufflePinPad');

      // Refused before anything is written: what start-up would trip over, named by key.
      const current = String((await c({ action: 'configView' })).text);
      const refusals: Array<[string, string, string]> = [
        [
          current.replace(/totpSecretFile: .*/, `totpSecretFile: ${join(d, 'missing-totp')}`),
          'invalid',
          'technician.accounts.0.totpSecretFile',
        ],
        [
          `${current}registry:\n  mode: remote\n  url: http://registry.example.lg.jp/\n  signingKeys: /nonexistent.jwks\n`,
          'invalid',
          'registry.url',
        ],
        [current.replace('kiosk:', 'kiosk:\n  demo: false'), 'invalid', 'card.driver'],
        [current.replace(`dataDir: ${d}`, 'dataDir: /'), 'invalid', 'kiosk.dataDir'],
        // A data directory under a file: the schema and semantics cannot see it, the dry run can.
        [current.replace(`dataDir: ${d}`, `dataDir: ${file}/data`), 'dryRunFailed', 'kiosk.dataDir'],
      ];
      for (const [yaml, error, key] of refusals) {
        const r = await c({ action: 'configEdit', yaml });
        expect(r, key).toMatchObject({ ok: false, error });
        expect(
          (r.problems as Array<{ key: string }>).map((p) => p.key),
          key,
        ).toContain(key);
      }
      expect(readFileSync(file, 'utf8')).toBe(written);
    } finally {
      await app.stop();
    }
  });
});
