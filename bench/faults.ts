// `madoguchi bench faults`: the scripted transaction (a 住民票, two copies, a ¥1000 bill) run
// again and again while one fault is injected right after one journal write, for every fault at
// every journal step; then the kiosk is restarted on the same files and recovery runs. Checked
// after each run:
//   invariantViolations  the ledger invariant (src/core/journal/ledger.ts) and the audit chain
//   moneyLostYen         yen the resident put in that the journal neither kept for a certificate,
//                        paid back, nor owes (an IOU); a movement with an unknown outcome is left to
//                        the technician's count and reported as unresolved, not lost
//   unattendedHandovers  cash paid out or a certificate printed by the restarted kiosk, with
//                        nobody known to be at the machine, or to another resident's card
// When recovery leaves a claim (a certificate or money owed to a known card), another resident's card
// and PIN try to collect it first and must get nothing; then the owner's card and PIN collect it, and
// the ledger invariant is checked again (the IOU turned into a refund, the owed copy printed).
// Faults: SIGKILL (a child process killed), disk full (SQLITE_FULL from a size-capped journal), a
// cut WAL (the last commit torn, as by a power cut during its fsync; the bill validator then hands
// back a bill it held in escrow when it powers up), a lost device reply (the
// printer prints but its answer never comes), a registry timeout (the registry acts, its answer
// is lost), a printer jam (paper out during the next job).
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchArea } from '../src/bench/harness.js';
import { createKioskApp, type KioskApp } from '../src/app.js';
import { parseConfig } from '../src/config/load.js';
import { silentLogger } from '../src/log/logger.js';
import { checkLedger } from '../src/core/journal/ledger.js';
import { verifyJournal } from '../src/core/journal/verify.js';
import { openClaims } from '../src/core/reclaim.js';
import { PAID_WITH_YEN, reclaimAttempt, residentTransaction } from '../fixtures/faults/script.js';

const FAULTS = ['sigkill', 'diskFull', 'cutWal', 'lostDeviceReply', 'registryTimeout', 'printerJam'] as const;
type Fault = (typeof FAULTS)[number];

interface RunResult {
  fired: boolean;
  violations: string[];
  moneyLostYen: number;
  unattended: number;
  unresolved: number;
  /** The owner came back for a claim and collected it. */
  reclaimed: number;
}

const configFor = (dataDir: string) => parseConfig({ kiosk: { dataDir, serviceHours: 'always' } });

function pointRecorder(onPoint: (id: string) => void) {
  const seen = new Map<string, number>();
  return (step: string, phase: string) => {
    const base = `${step}:${phase}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    onPoint(`${base}#${n}`);
  };
}

/** Every journal write of the clean script, in order. */
async function learnPoints(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-faults-'));
  const points: string[] = [];
  const app = await createKioskApp(configFor(dir), {
    log: silentLogger,
    core: { crashPoint: pointRecorder((id) => points.push(id)), monitorMs: 3_600_000 },
  });
  await residentTransaction(app);
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
  return points;
}

/** SQLITE_FULL on the next write that needs a page: the file may not grow and its pages are filled. */
function fillJournal(app: KioskApp) {
  const db = app.core.journal.db;
  db.exec('CREATE TABLE IF NOT EXISTS bench_filler (x BLOB)');
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  for (const size of [2000, 500, 100, 20, 1]) {
    try {
      for (;;) db.prepare('INSERT INTO bench_filler VALUES (?)').run(Buffer.alloc(size));
    } catch {
      // full at this size
    }
  }
}
function unfillJournal(app: KioskApp) {
  const db = app.core.journal.db;
  db.pragma('max_page_count = 1073741823');
  db.exec('DROP TABLE IF EXISTS bench_filler');
}

/**
 * The journal as a power cut during the last commit's fsync leaves it: the database file, and the
 * WAL cut in the middle of the last commit's frames (SQLite then drops that torn commit).
 */
function snapshotWithTornWal(from: string, to: string, journalName: string) {
  mkdirSync(to, { recursive: true });
  // The journal key lives beside the data directory (<data dir>-keys), not inside it.
  cpSync(`${from}-keys`, `${to}-keys`, { recursive: true });
  if (existsSync(join(from, 'registry')))
    cpSync(join(from, 'registry'), join(to, 'registry'), { recursive: true });
  copyFileSync(join(from, journalName), join(to, journalName));
  const walPath = join(from, `${journalName}-wal`);
  if (!existsSync(walPath)) return;
  const wal = readFileSync(walPath);
  const pageSize = wal.readUInt32BE(8);
  const salt = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  const frame = 24 + pageSize;
  const commits: number[] = []; // byte offset at the end of each commit
  for (let off = 32; off + frame <= wal.length; off += frame) {
    if (wal.readUInt32BE(off + 8) !== salt[0] || wal.readUInt32BE(off + 12) !== salt[1]) break;
    if (wal.readUInt32BE(off + 4) !== 0) commits.push(off + frame);
  }
  const last = commits.at(-1);
  const before = commits.at(-2) ?? 32;
  const cut = last === undefined ? wal.length : before + Math.floor((last - before) / 2);
  writeFileSync(join(to, `${journalName}-wal`), wal.subarray(0, cut));
}

function child(dataDir: string, point: string): Promise<{ inserted: number }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'fixtures/faults/kiosk-child.ts'], {
      env: { ...process.env, MADOGUCHI_DATA_DIR: dataDir, MADOGUCHI_CRASH_AT: point },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.on('exit', () => {
      clearTimeout(timer);
      resolve({ inserted: /INSERTED (\d+)/.test(out) ? Number(/INSERTED (\d+)/.exec(out)![1]) : 0 });
    });
  });
}

/** Wraps an object's async method so that, once armed, its next call acts and then loses its answer. */
function loseNextReply<T extends object>(
  obj: T,
  methods: (keyof T)[],
  armed: () => boolean,
  fired: () => void,
  kind: string,
) {
  for (const m of methods) {
    const real = obj[m] as unknown as (...a: unknown[]) => Promise<unknown>;
    if (typeof real !== 'function') continue;
    (obj as Record<keyof T, unknown>)[m] = async (...args: unknown[]) => {
      const r = await real.apply(obj, args);
      if (armed()) {
        fired();
        throw Object.assign(new Error(`${String(m)}: reply lost`), { kind });
      }
      return r;
    };
  }
}

async function judge(
  dataDir: string,
  inserted: number,
  restartedAt: string,
): Promise<Omit<RunResult, 'fired'>> {
  // The restart: recovery runs with nobody at the machine; its simulators start empty-handed.
  const app = await createKioskApp(configFor(dataDir), { log: silentLogger, core: { monitorMs: 3_600_000 } });
  try {
    const j = app.core.journal;
    for (let i = 0; i < 5 && j.openTransactions().length; i++) await app.core.checkService();
    let ledger = checkLedger(j);
    const violations = [...ledger.violations.map((v) => v.problem), ...verifyJournal(j).problems];
    if (j.openTransactions().length) violations.push('transaction still open after recovery');
    const claimed = openClaims(j).length > 0;
    if (claimed) {
      if (!app.core.snapshot().state.startsWith('reclaim.'))
        violations.push(`a claim is open but the kiosk shows ${app.core.snapshot().state}`);
      // Another resident, with their own card and its right PIN, is given nothing.
      await reclaimAttempt(app, 'yamada-hanako', '2580');
    }
    const printedAfter = (
      j.db
        .prepare(
          "SELECT COUNT(*) AS n FROM print_jobs WHERE kind = 'certificate' AND status = 'done' AND created_at >= ?",
        )
        .get(restartedAt) as { n: number }
    ).n;
    const unattended = (app.core.devices.cash.simulator!.raw.paidOutYen() > 0 ? 1 : 0) + printedAfter;
    let reclaimed = 0;
    if (claimed) {
      // The owner's card and PIN collect what is owed; the ledger holds after it too.
      const end = await reclaimAttempt(app, 'yamada-taro', '1234');
      if (end !== 'delivered')
        violations.push(`the owner's card and PIN were not given what is owed (${end})`);
      else reclaimed = 1;
      if (openClaims(j).length) violations.push('a claim is still open after its owner collected it');
      ledger = checkLedger(j);
      violations.push(...ledger.violations.map((v) => `after the reclaim: ${v.problem}`));
    }
    // What the journal accounts for: kept for a certificate, paid back, or owed.
    const moneyLostYen =
      ledger.unresolved > 0 ? 0 : Math.max(0, inserted - (ledger.feesKept + ledger.paidOut + ledger.iouYen));
    return { violations, moneyLostYen, unattended, unresolved: ledger.unresolved, reclaimed };
  } finally {
    await app.stop();
  }
}

async function runInProcess(fault: Exclude<Fault, 'sigkill'>, point: string): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-faults-'));
  let armed = false;
  let fired = false;
  let torn: string | null = null;
  let paying = false;
  let insertedAtCut = 0;
  let app: KioskApp | null = null;
  const crashPoint = pointRecorder((id) => {
    if (id !== point || !app) return;
    if (fault === 'diskFull') {
      fillJournal(app);
      fired = true;
    } else if (fault === 'cutWal') {
      // The world as the power cut left it: money inserted after this point was never put in, and
      // a bill still in escrow comes back out of the validator when it powers up again.
      const escrowed = (app.core.devices.cash.simulator?.raw.bill.escrow ?? null) !== null;
      insertedAtCut = paying && !escrowed ? PAID_WITH_YEN : 0;
      torn = join(dir, 'torn');
      snapshotWithTornWal(dir, torn, 'journal.sqlite3');
      fired = true;
    } else if (fault === 'printerJam') {
      armed = true;
      app.core.devices.printers.simulators.certificate?.paperOutDuringNextJob();
    } else armed = true;
  });
  app = await createKioskApp(configFor(dir), {
    log: silentLogger,
    core: { crashPoint, monitorMs: 3_600_000 },
  });
  const { printers, registry } = app.core.devices;
  const fire = () => {
    armed = false;
    fired = true;
  };
  if (fault === 'lostDeviceReply')
    loseNextReply(printers.certificate, ['printCertificate'], () => armed, fire, 'timeout');
  if (fault === 'registryTimeout')
    loseNextReply(
      registry,
      ['challenge', 'authenticate', 'eligibility', 'issue'],
      () => armed,
      fire,
      'timeout',
    );
  if (fault === 'printerJam') {
    // The simulator jams the next job; a jam armed after the last print never meets one.
    const cert = printers.certificate;
    const real = cert.printCertificate.bind(cert);
    cert.printCertificate = (doc, copy) => {
      if (armed) fire();
      return real(doc, copy);
    };
  }
  let inserted = 0;
  try {
    inserted = await residentTransaction(app, () => (paying = true));
    if (fault === 'diskFull' && fired) {
      // The technician frees space: the held cash is written and recovery settles the rest.
      unfillJournal(app);
      await app.core.checkService();
    }
  } finally {
    await app.stop();
  }
  const restartedAt = new Date().toISOString();
  const verdict = await judge(torn ?? dir, torn ? insertedAtCut : inserted, restartedAt);
  rmSync(dir, { recursive: true, force: true });
  return { fired, ...verdict };
}

async function runSigkill(point: string): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-faults-kill-'));
  const { inserted } = await child(dir, point);
  const verdict = await judge(dir, inserted, new Date().toISOString());
  rmSync(dir, { recursive: true, force: true });
  return { fired: true, ...verdict };
}

const bench: BenchArea = async ({ quick }) => {
  const all = await learnPoints();
  // --quick: every fourth step (always the first and the last).
  const points = quick ? all.filter((_, i) => i % 4 === 0 || i === all.length - 1) : all;
  const per: Record<
    Fault,
    {
      injected: number;
      violations: number;
      lost: number;
      unattended: number;
      unresolved: number;
      reclaimed: number;
    }
  > = Object.fromEntries(
    FAULTS.map((f) => [
      f,
      { injected: 0, violations: 0, lost: 0, unattended: 0, unresolved: 0, reclaimed: 0 },
    ]),
  ) as never;
  const examples: string[] = [];
  for (const fault of FAULTS) {
    for (const point of points) {
      const r = fault === 'sigkill' ? await runSigkill(point) : await runInProcess(fault, point);
      if (!r.fired) continue;
      const p = per[fault];
      p.injected++;
      p.violations += r.violations.length;
      p.lost += r.moneyLostYen;
      p.unattended += r.unattended;
      p.unresolved += r.unresolved;
      p.reclaimed += r.reclaimed;
      if ((r.violations.length || r.moneyLostYen || r.unattended) && examples.length < 5)
        examples.push(
          `${fault}@${point}: ${[...r.violations, r.moneyLostYen ? `¥${r.moneyLostYen} lost` : '', r.unattended ? 'unattended handover' : ''].filter(Boolean).join('; ')}`,
        );
    }
  }
  const sum = (k: keyof (typeof per)[Fault]) => FAULTS.reduce((a, f) => a + per[f][k], 0);
  return {
    rows: [
      {
        metric: 'journal steps',
        value: all.length,
        note: quick ? `${points.length} injected (--quick)` : undefined,
      },
      ...FAULTS.map((f) => ({
        metric: `${f}`,
        value: per[f].injected,
        unit: 'runs',
        note: `violations ${per[f].violations}, lost ¥${per[f].lost}, unattended ${per[f].unattended}, awaiting a count ${per[f].unresolved}, collected by their owner ${per[f].reclaimed}`,
      })),
      ...examples.map((e) => ({ metric: 'problem', value: e })),
    ],
    figures: {
      faultsInjected: sum('injected'),
      invariantViolations: sum('violations'),
      moneyLostYen: sum('lost'),
      unattendedHandovers: sum('unattended'),
    },
  };
};

export default bench;
