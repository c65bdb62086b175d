// The technician console behind the contract's `technician` command: authentication (technician
// card checked with the registry, or PIN + TOTP), roles, inactivity logout, and every action
// journaled with who and when. Results go back in the command's answer; the session (who, role,
// allowed actions) is published on the 'technician' screen's snapshot view.
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { JournalFilter, TechnicianRequest, TechnicianRole, TechnicianView } from '../contract/technician.js';
import type { Config } from '../config/schema.js';
import { ConfigError, dataPaths, parseConfig } from '../config/load.js';
import type { Logger } from '../log/logger.js';
import type { Devices } from '../core/devices.js';
import type { Engine } from '../core/engine.js';
import type { Journal } from '../core/journal/journal.js';
import type { PaymentSessionPort, PaymentEvent } from '../core/ports.js';
import { sampleDocument } from '../documents/samples-index.js';
import { readTotpSecret, verifyTechnicianPin, verifyTotp } from './auth.js';
import { cashBoxCounts, dailyReportCsv, journalCsv, journalRows, localDailyReport, paperCounters, sanitizeLogLine, tokyoDay, type DailyReport } from './reports.js';
import { softwareVersion } from './version.js';

export interface TechnicianDeps {
  config: Config;
  /** The configuration file in use (for the validated edit), or null on embedded defaults. */
  configFile: string | null;
  journal: Journal;
  devices: Devices;
  engine: Engine;
  log: Logger;
  /** Re-evaluate service conditions (after an out-of-service switch, a refill…). */
  checkService(): Promise<string[]>;
  /** Restart the kiosk after a configuration edit (the shell's; absent = a restart is only requested). */
  restart?: () => void;
  now?: () => Date;
}

export interface TechnicianConsole {
  handle(request: TechnicianRequest): Promise<unknown>;
  stop(): void;
}

type Action = TechnicianRequest['action'];
const COMMON: Action[] = ['logout', 'ping', 'status', 'version', 'journal', 'journalCsv', 'dailyReport', 'outOfService', 'inService'];
/** Operators handle cash and paper; engineers configuration and diagnostics. Neither has both. */
export const ROLE_ACTIONS: Record<TechnicianRole, readonly Action[]> = {
  operator: [...COMMON, 'cashCounts', 'cashCollect', 'hopperRefill', 'paperCounters', 'paperRefill'],
  engineer: [...COMMON, 'selfTest', 'logExport', 'configView', 'configEdit'],
};

interface Session {
  id: string;
  role: TechnicianRole;
  method: 'card' | 'pin';
}

const STICKY = 'needsTechnician';
const fail = (error: string, extra: Record<string, unknown> = {}) => ({ ok: false as const, error, ...extra });

export function createTechnicianConsole(deps: TechnicianDeps): TechnicianConsole {
  const { journal, devices, engine, config, log } = deps;
  const now = deps.now ?? (() => new Date());
  let session: Session | null = null;
  let idleTimer: NodeJS.Timeout | null = null;
  let failures = 0;
  let lockedUntil: number | null = null;
  let acceptorTest: { txId: string; session: PaymentSessionPort; events: PaymentEvent[]; off: () => void } | null = null;
  const offCard = devices.card.onEvent(() => publish());

  const onConsole = () => engine.snapshot().screen === 'technician';
  const record = (action: string, detail?: unknown) => journal.technicianAction({ technician: session?.id ?? '-', role: session?.role ?? '-', action, detail });

  function view(): TechnicianView {
    return {
      stage: session ? 'console' : 'login',
      technician: session && { id: session.id, role: session.role, method: session.method },
      allowed: session ? [...ROLE_ACTIONS[session.role]] : [],
      cardPresent: devices.card.cardPresent(),
      idleLogoutSeconds: config.technician.idleLogoutSeconds,
      lockedUntil: lockedUntil && lockedUntil > now().getTime() ? new Date(lockedUntil).toISOString() : null,
    };
  }
  function publish() {
    if (onConsole()) engine.setTechnicianView(view() as unknown as Record<string, unknown>);
  }

  function touch() {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => void idleExit(), config.technician.idleLogoutSeconds * 1000);
    idleTimer.unref();
  }
  async function idleExit() {
    idleTimer = null;
    if (!onConsole()) return;
    if (session) record('logout', { reason: 'inactivity' });
    await leave();
  }
  async function leave() {
    await stopAcceptorTest().catch(() => undefined);
    session = null;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    engine.send({ type: 'TECHNICIAN_EXIT' });
    await deps.checkService();
  }

  function loginFailed(who: string, reason: string, extra: Record<string, unknown> = {}) {
    journal.technicianAction({ technician: who, role: '-', action: 'loginFailed', detail: { reason } });
    log.warn({ technician: who, reason }, 'technician login failed');
    return fail(reason, extra);
  }
  function loggedIn(s: Session) {
    session = s;
    failures = 0;
    lockedUntil = null;
    record('login', { method: s.method });
    log.info({ technician: s.id, role: s.role, method: s.method }, 'technician logged in');
    publish();
    return { ok: true as const, technician: s };
  }

  async function loginCard(pin: string) {
    const card = devices.card;
    if (!card.cardPresent()) return loginFailed('card', 'noCard');
    try {
      const info = await card.cardInfo();
      if (!info.technician) return loginFailed('card', 'notTechnicianCard');
      const r = await card.verifyAuthPin(pin);
      if (!r.ok) return loginFailed('card', r.blocked ? 'cardBlocked' : 'wrongPin', r.blocked ? {} : { triesLeft: r.triesLeft });
      const { certificate } = await card.readAuthCertificate();
      const challenge = await devices.registry.challenge();
      const signature = await card.signWithAuthKey(challenge.nonce);
      const t = await devices.registry.technicianSession({ challengeId: challenge.challengeId, certificate, signature });
      return loggedIn({ id: t.technicianId, role: t.role, method: 'card' });
    } catch (e) {
      const kind = (e as { kind?: string }).kind ?? 'error';
      return loginFailed('card', kind === 'unauthorized' || kind === 'rejected' ? 'registryRefused' : kind === 'unreachable' || kind === 'timeout' ? 'registryUnavailable' : `card:${kind}`);
    } finally {
      await card.endSession();
    }
  }

  function loginPin(technicianId: string, pin: string, totp: string) {
    const t = now().getTime();
    if (lockedUntil && lockedUntil > t) return loginFailed(technicianId, 'locked', { lockedUntil: new Date(lockedUntil).toISOString() });
    const account = config.technician.accounts.find((a) => a.id === technicianId);
    // Hash even for an unknown id so the answer takes as long either way.
    const pinOk = verifyTechnicianPin(pin, account?.pinHash ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    let totpOk = false;
    if (account) {
      try {
        totpOk = verifyTotp(readTotpSecret(account.totpSecretFile), totp, config.technician.totpWindow, now());
      } catch (e) {
        log.error({ err: (e as Error).message }, 'TOTP secret unreadable');
      }
    }
    if (!account || !pinOk || !totpOk) {
      failures += 1;
      if (failures >= config.technician.lockoutAttempts) {
        lockedUntil = t + config.technician.lockoutSeconds * 1000;
        failures = 0;
      }
      publish();
      return loginFailed(technicianId, !account ? 'unknownTechnician' : !pinOk ? 'wrongPin' : 'wrongTotp', lockedUntil ? { lockedUntil: new Date(lockedUntil).toISOString() } : {});
    }
    return loggedIn({ id: account.id, role: account.role, method: 'pin' });
  }

  async function status() {
    const reasons = await deps.checkService();
    return {
      ok: true as const,
      devices: devices.statuses(),
      outOfService: journal.getState<{ message: string } | null>('outOfService') ?? null,
      needsTechnician: journal.getState<unknown>(STICKY) ?? null,
      reasons,
      hoppers: devices.cash.levels(),
    };
  }

  function clearSticky(why: string) {
    if (journal.getState<unknown>(STICKY)) {
      journal.setState(STICKY, null);
      record('needsTechnicianCleared', { by: why });
    }
  }

  async function printSlip(title: string, ref: string, lines: Array<{ label: string; amount?: number }>, footer: string[] = []) {
    const id = journal.printIntent({ txId: null, kind: 'slip' });
    try {
      await devices.printers.receipt.printReceipt({ title, kioskId: config.kiosk.id, transactionRef: ref, at: now(), lines, footer: [`担当 ${session?.id ?? '-'}`, ...footer] });
      journal.printOutcome(id, true, { printerJob: `slip-${ref}` });
      return true;
    } catch (e) {
      journal.printOutcome(id, false, { detail: { error: (e as Error).message } });
      return false;
    }
  }

  async function stopAcceptorTest() {
    const t = acceptorTest;
    if (!t) return null;
    acceptorTest = null;
    t.off();
    const inserted = t.session.insertedYen();
    const refund = await t.session.cancel();
    return { insertedYen: inserted, events: t.events, refundedYen: refund.paidYen, shortYen: refund.shortYen };
  }

  async function selfTest(req: Extract<TechnicianRequest, { action: 'selfTest' }>) {
    switch (req.test) {
      case 'cardReader': {
        const card = devices.card;
        if (!card.cardPresent()) return fail('noCard');
        try {
          const info = await card.cardInfo();
          const summary = { cardType: info.cardType, technician: info.technician, expired: info.expired, validTo: info.validTo, authPinTriesLeft: info.authPinTriesLeft, apdus: info.apdus, reader: info.reader };
          let basic: Record<string, unknown> | null = null;
          let basicPin: string | null = null;
          if (req.cardInfoPin) {
            const r = await card.readBasicInfo(req.cardInfoPin);
            basicPin = r.pin.ok ? 'ok' : r.pin.blocked ? 'blocked' : `wrong (${r.pin.triesLeft})`;
            // Shown to the technician on screen only: the basic four items never reach the journal.
            if (r.info) basic = { ...r.info };
          }
          record('selfTest', { test: 'cardReader', ok: true, cardType: info.cardType, basicItems: basic ? 'read' : basicPin ?? 'skipped' });
          return { ok: true as const, card: summary, basicPin, basic };
        } catch (e) {
          record('selfTest', { test: 'cardReader', ok: false, error: (e as { kind?: string }).kind ?? 'error' });
          return fail('cardError', { message: (e as Error).message });
        } finally {
          await card.endSession();
        }
      }
      case 'printer': {
        const job = `test-${req.printer}-${now().getTime()}`;
        const id = journal.printIntent({ txId: null, kind: 'test' });
        try {
          if (req.printer === 'certificate') {
            await devices.printers.certificate.printSample({ issuanceId: job, document: await sampleDocument('juminhyo', tokyoDay(now())), copies: 1, feeYen: 0 });
          } else {
            await devices.printers.receipt.printReceipt({ title: 'テスト印字', kioskId: config.kiosk.id, transactionRef: job, at: now(), lines: [{ label: 'あいうえお アイウエオ 漢字 ABC 123' }, { label: '金額', amount: 1234 }] });
          }
          journal.printOutcome(id, true, { printerJob: job });
          record('selfTest', { test: 'printer', printer: req.printer, ok: true });
          return { ok: true as const, job };
        } catch (e) {
          journal.printOutcome(id, false, { printerJob: job, detail: { error: (e as Error).message } });
          record('selfTest', { test: 'printer', printer: req.printer, ok: false });
          return fail('printerError', { message: (e as Error).message });
        }
      }
      case 'acceptorStart': {
        if (acceptorTest) return { ok: true as const, running: true };
        const txId = `tech-acceptor-${now().getTime()}`;
        // A payment session nobody can complete: whatever is inserted is shown, then handed back.
        const s = await devices.cash.startPayment(100_000, txId);
        const events: PaymentEvent[] = [];
        const off = s.onEvent((e) => events.push(e));
        acceptorTest = { txId, session: s, events, off };
        record('selfTest', { test: 'acceptorStart' });
        return { ok: true as const, running: true };
      }
      case 'acceptorStop': {
        const r = await stopAcceptorTest();
        if (!r) return fail('notRunning');
        record('selfTest', { test: 'acceptor', ok: true, insertedYen: r.insertedYen, refundedYen: r.refundedYen });
        return { ok: true as const, ...r };
      }
      case 'hopper': {
        const before = devices.cash.levels().find((l) => l.yen === req.yen);
        if (!before) return fail('noHopper');
        const r = await devices.cash.payout(req.yen, `tech-hopper-${req.yen}-${now().getTime()}`);
        const ok = r.paidYen === req.yen;
        record('selfTest', { test: 'hopper', yen: req.yen, ok, paidYen: r.paidYen });
        return { ok, paid: r.paid, paidYen: r.paidYen, levels: devices.cash.levels() };
      }
    }
  }

  async function collect() {
    const box = cashBoxCounts(journal);
    const ref = `COL-${now().getTime()}`;
    for (const c of box.counts) {
      const id = journal.intent({ transactionId: `tech-collect-${ref}`, kind: 'collect' as never, device: 'cashBox', yen: c.yen, count: c.count });
      journal.outcome(id, { ok: true, count: c.count });
    }
    const lastId = (journal.db.prepare('SELECT MAX(id) AS m FROM cash_movements').get() as { m: number | null }).m ?? 0;
    journal.setState('cash.lastCollectionId', lastId);
    const printed = await printSlip('回収票', ref, [...box.counts.map((c) => ({ label: `${c.yen}円 × ${c.count}`, amount: c.yen * c.count })), { label: '合計', amount: box.totalYen }]);
    record('cashCollect', { ref, totalYen: box.totalYen, counts: box.counts, slipPrinted: printed });
    clearSticky('cashCollect');
    return { ok: true as const, ref, counts: box.counts, totalYen: box.totalYen, slipPrinted: printed };
  }

  function refill(yen: number, count: number) {
    const level = devices.cash.levels().find((l) => l.yen === yen);
    if (!level) return fail('noHopper');
    const id = journal.intent({ transactionId: `tech-refill-${now().getTime()}`, kind: 'refill' as never, device: `hopper.${yen}`, yen, count });
    devices.cash.setHopperLevel(yen, level.count + count);
    journal.outcome(id, { ok: true, count });
    record('hopperRefill', { yen, count, level: level.count + count });
    clearSticky('hopperRefill');
    return { ok: true as const, levels: devices.cash.levels() };
  }

  async function dailyReport(date: string, print: boolean) {
    const local = localDailyReport(journal, date);
    let registry: DailyReport['registry'];
    try {
      const r = await devices.registry.reconciliation(date);
      registry = { finalized: r.finalized, finalizedFeeYen: r.finalizedFeeYen, matches: r.finalized === local.issuances && r.finalizedFeeYen === local.feeYen };
    } catch (e) {
      registry = { unavailable: (e as { kind?: string }).kind ?? 'error' };
    }
    const report: DailyReport = { ...local, registry };
    let printed = false;
    if (print) {
      printed = await printSlip('日計表', `DAY-${date}`, [
        { label: `対象日 ${date}` },
        ...report.byCertificate.map((b) => ({ label: `${b.certificate} ${b.issuances}件 ${b.copies}通`, amount: b.feeYen })),
        { label: `交付 計 ${report.issuances}件`, amount: report.feeYen },
        { label: '現金 受入', amount: report.cash.inYen },
        { label: '釣銭 払出', amount: report.cash.changeYen },
        { label: '返金', amount: report.cash.refundYen },
        { label: '回収', amount: report.cash.collectedYen },
        { label: '補充', amount: report.cash.refilledYen },
        { label: 'matches' in registry ? `基幹照合 ${registry.matches ? '一致' : '不一致'}` : '基幹照合 不可' },
      ]);
    }
    record('dailyReport', { date, printed, issuances: report.issuances, feeYen: report.feeYen });
    return { ok: true as const, report, csv: dailyReportCsv(report), printed };
  }

  function logExport() {
    const dir = dataPaths(config).logDir;
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith('madoguchi') && f.includes('.log')).sort() : [];
    const lines: string[] = [];
    for (const f of files) for (const l of readFileSync(join(dir, f), 'utf8').split('\n')) {
      const s = l.trim() && sanitizeLogLine(l);
      if (s) lines.push(s);
    }
    record('logExport', { files: files.length, lines: lines.length });
    return { ok: true as const, fileName: `madoguchi-${config.kiosk.id}-${tokyoDay(now())}.ndjson`, lines: lines.length, text: lines.join('\n') + (lines.length ? '\n' : '') };
  }

  function configView() {
    const redacted = { ...config, technician: { ...config.technician, accounts: config.technician.accounts.map((a) => ({ ...a, pinHash: '[scrypt]' })) } };
    const text = deps.configFile && existsSync(deps.configFile) ? readFileSync(deps.configFile, 'utf8').replace(/(pinHash:\s*)\S+/g, '$1[scrypt]') : null;
    record('configView');
    return { ok: true as const, file: deps.configFile, effective: redacted, text };
  }

  function configEdit(yaml: string) {
    if (!deps.configFile) return fail('noConfigFile');
    // A redacted hash left in place keeps the one on disk: the console never shows a real hash.
    const text = yaml.includes('[scrypt]') ? restoreHashes(yaml) : yaml;
    if (text === null) return fail('invalid', { problems: [{ key: 'technician.accounts', message: 'a redacted PIN hash does not match an existing account' }] });
    let parsed: unknown;
    try {
      parsed = parseYaml(text) ?? {};
    } catch (e) {
      record('configEdit', { ok: false, problem: 'yaml' });
      return fail('invalid', { problems: [{ key: '(file)', message: `not valid YAML: ${(e as Error).message.split('\n')[0]}` }] });
    }
    try {
      parseConfig(parsed, deps.configFile);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      record('configEdit', { ok: false, keys: e.problems.map((p) => p.key) });
      return fail('invalid', { problems: e.problems });
    }
    if (existsSync(deps.configFile)) copyFileSync(deps.configFile, `${deps.configFile}.bak`);
    writeFileSync(`${deps.configFile}.new`, text, { mode: 0o600 });
    renameSync(`${deps.configFile}.new`, deps.configFile);
    const sections = parsed && typeof parsed === 'object' ? Object.keys(parsed) : [];
    record('configEdit', { ok: true, sections, restart: deps.restart ? 'restarting' : 'requested' });
    journal.setState('restartRequested', { at: now().toISOString(), by: session?.id ?? '-' });
    if (deps.restart) setTimeout(deps.restart, 500).unref();
    return { ok: true as const, restart: deps.restart ? 'restarting' : 'requested', backup: `${deps.configFile}.bak` };
  }

  function restoreHashes(yaml: string): string | null {
    const onDisk = config.technician.accounts;
    let missing = false;
    const out = yaml.replace(/(\bid:\s*['"]?([A-Za-z0-9_-]+)['"]?[\s\S]*?pinHash:\s*)\[scrypt\]/g, (_m, head: string, id: string) => {
      const a = onDisk.find((x) => x.id === id);
      if (!a) missing = true;
      return head + (a?.pinHash ?? '');
    });
    return missing || out.includes('[scrypt]') ? null : out;
  }

  async function run(req: TechnicianRequest): Promise<unknown> {
    switch (req.action) {
      case 'status':
        return status();
      case 'version':
        return { ok: true as const, version: softwareVersion(), node: process.versions.node, electron: process.versions.electron ?? null, kioskId: config.kiosk.id, configFile: deps.configFile };
      case 'ping':
        return { ok: true as const };
      case 'logout':
        record('logout', { reason: 'technician' });
        await leave();
        return { ok: true as const };
      case 'selfTest':
        return selfTest(req);
      case 'cashCounts': {
        record('cashCounts');
        return { ok: true as const, cashBox: cashBoxCounts(journal), hoppers: devices.cash.levels(), devices: devices.cash.status() };
      }
      case 'cashCollect':
        return collect();
      case 'hopperRefill':
        return refill(req.yen, req.count);
      case 'paperCounters':
        record('paperCounters');
        return { ok: true as const, counters: paperCounters(journal), printers: [devices.printers.certificate.status(), devices.printers.receipt.status()] };
      case 'paperRefill':
        journal.setState(`paper.${req.printer}.refilledAt`, now().toISOString());
        record('paperRefill', { printer: req.printer });
        return { ok: true as const, counters: paperCounters(journal) };
      case 'journal':
        record('journal', { date: req.filter.date, kind: req.filter.kind });
        return { ok: true as const, rows: journalRows(journal, req.filter as JournalFilter) };
      case 'journalCsv': {
        const rows = journalRows(journal, req.filter as JournalFilter);
        record('journalCsv', { date: req.filter.date, kind: req.filter.kind, rows: rows.length });
        return { ok: true as const, fileName: `journal-${config.kiosk.id}-${req.filter.date}.csv`, csv: journalCsv(rows) };
      }
      case 'dailyReport':
        return dailyReport(req.date, req.print);
      case 'logExport':
        return logExport();
      case 'configView':
        return configView();
      case 'configEdit':
        return configEdit(req.yaml);
      case 'outOfService':
        journal.setState('outOfService', { message: req.message });
        record('outOfService', { on: true, message: req.message });
        return { ok: true as const, outOfService: { message: req.message } };
      case 'inService':
        journal.setState('outOfService', null);
        record('outOfService', { on: false });
        return { ok: true as const, outOfService: null };
      default:
        return fail('unknownAction');
    }
  }

  return {
    async handle(request) {
      switch (request.action) {
        case 'enter': {
          if (!['idle', 'outOfService', 'outsideHours', 'technician'].includes(engine.snapshot().state)) return fail('busy');
          session = null;
          // The screen's first snapshot already carries the login state.
          engine.setTechnicianView(view() as unknown as Record<string, unknown>);
          engine.send({ type: 'TECHNICIAN_ENTER' });
          if (!onConsole()) return fail('busy');
          journal.technicianAction({ technician: '-', role: '-', action: 'enter' });
          touch();
          publish();
          return { ok: true as const, screen: engine.snapshot().screen };
        }
        case 'exit':
          if (!onConsole()) return { ok: true as const, screen: engine.snapshot().screen };
          if (session) record('logout', { reason: 'exit' });
          await leave();
          return { ok: true as const, screen: engine.snapshot().screen };
        case 'loginCard':
        case 'loginPin': {
          if (!onConsole()) return fail('notOnConsole');
          if (session) return fail('alreadyLoggedIn');
          touch();
          const r = request.action === 'loginCard' ? await loginCard(request.pin) : loginPin(request.technicianId, request.pin, request.totp);
          publish();
          return r;
        }
      }
      if (!onConsole() || !session) return fail('notLoggedIn');
      touch();
      if (!ROLE_ACTIONS[session.role].includes(request.action)) {
        record('denied', { action: request.action });
        return fail('denied', { role: session.role });
      }
      try {
        return await run(request);
      } catch (e) {
        log.error({ err: (e as Error).message, action: request.action }, 'technician action failed');
        record('error', { action: request.action, kind: (e as { kind?: string }).kind ?? 'error' });
        return fail('failed', { message: (e as Error).message });
      }
    },
    stop() {
      if (idleTimer) clearTimeout(idleTimer);
      offCard();
      acceptorTest?.off();
    },
  };
}
