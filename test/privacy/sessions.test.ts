// Complete sessions of every fixture card on a kiosk running its embedded defaults, then a search of
// everything the kiosk keeps or shows — the journal, its WAL (copied while the kiosk is open), a journal
// backup, the log files, every snapshot sent to the renderer and everything written to the console —
// for each card's PIN, name, furigana, birth date (西暦 and 和暦) and address. Any hit fails.
//
// PIN rule: a 4-digit PIN occurs by chance in binary data (SQLite pages, timestamps, hashes), so in the
// raw bytes of the database files it is searched only in forms that cannot be chance: the VERIFY APDU
// (bytes and hex), the PIN's ASCII in hex, the PIN quoted ("1234") or right after a "pin" key. Textual
// places (every text cell of the journal and its backup and WAL copy, log lines, snapshots, console)
// are searched for the PIN as a token of its own: digits not joined to letters, digits or '-' (so a
// UUID's 4-hex group or a date is not read as a PIN).
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_CARDS, MURORAN, type FixtureCard } from '../../fixtures/cards/catalog.js';
import { SEED_HOUSEHOLDS, SEED_RESIDENTS } from '../../fixtures/registry/seed.js';
import { personalDetails } from '../../fixtures/vcard/personal.js';
import { parseConfig } from '../../src/config/load.js';
import { createKioskApp, type KioskApp } from '../../src/app.js';
import { backupJournal, defaultBackupDir } from '../../src/ops/backup.js';
import type { Snapshot } from '../../src/contract/index.js';
import { snapshotWhere } from '../support/wait.js';

// ---- what to look for -------------------------------------------------------------------------

const ERAS = [
  { name: '令和', start: '2019-05-01', first: 2019 },
  { name: '平成', start: '1989-01-08', first: 1989 },
  { name: '昭和', start: '1926-12-25', first: 1926 },
  { name: '大正', start: '1912-07-30', first: 1912 },
] as const;

/** 西暦 and 和暦 spellings of an ISO date (YYYY-MM-DD). */
export function dateForms(iso: string): string[] {
  const [y, m, d] = iso.split('-') as [string, string, string];
  const [Y, M, D] = [Number(y), Number(m), Number(d)];
  const era = ERAS.find((e) => iso >= e.start)!;
  const n = Y - era.first + 1;
  const years = n === 1 ? ['元', '1'] : [String(n)];
  const wareki = years.flatMap((ny) => [`${era.name}${ny}年${M}月${D}日`, `${era.name}${ny}年${m}月${d}日`]);
  return [iso, `${y}${m}${d}`, `${y}/${m}/${d}`, `${Y}年${M}月${D}日`, `${y}年${m}月${d}日`, ...wareki];
}

const hex = (s: string) => Buffer.from(s, 'ascii').toString('hex');
/** VERIFY (ISO 7816-4 INS 20) of the user-authentication PIN: CLA 00, P1 00, P2 80 (local, key ref 0), Lc 04. */
const verifyApdu = (pin: string) =>
  Buffer.concat([Buffer.from([0x00, 0x20, 0x00, 0x80, pin.length]), Buffer.from(pin, 'ascii')]);

interface Needles {
  card: string;
  pins: string[];
  words: string[];
}

const WRONG_PIN_FIRST = new Set(['yamada-taro', 'sato-kenji', 'no-seal', 'phone-iphone']);
/** A wrong try: the PIN reversed, or for a PIN that reads the same backwards its last digit changed. */
function wrongPin(pin: string): string {
  const reversed = [...pin].reverse().join('');
  return reversed !== pin ? reversed : pin.slice(0, -1) + String((Number(pin.at(-1)) + 1) % 10);
}

function needlesFor(card: FixtureCard): Needles {
  const r = SEED_RESIDENTS.find((x) => x.id === card.residentId)!;
  const address = SEED_HOUSEHOLDS.find((h) => h.id === r.householdId)!.address;
  const printed = personalDetails(card.id);
  const printedBirth = `${printed.birthDate.slice(0, 4)}-${printed.birthDate.slice(4, 6)}-${printed.birthDate.slice(6, 8)}`;
  const names = [r.name, printed.name].flatMap((n) => [
    n,
    n.replace(/\s+/g, ''),
    n.replace(/\s+/g, '\u3000'),
  ]);
  const kana = [r.furigana, r.furigana.replace(/\s+/g, ''), r.furigana.replace(/\s+/g, '\u3000')];
  // The address without its prefecture and city still names one house.
  const addresses = [address, printed.address].flatMap((a) => [a, a.replace(/^北海道室蘭市/, '')]);
  const words = [
    ...new Set([
      ...names,
      ...kana,
      ...dateForms(r.birthDate),
      ...dateForms(printedBirth),
      ...addresses,
      printed.myNumber,
    ]),
  ];
  const pins = WRONG_PIN_FIRST.has(card.id) ? [card.pin, wrongPin(card.pin)] : [card.pin];
  return { card: card.id, pins, words };
}

const ALL = FIXTURE_CARDS.map(needlesFor);

interface Hit {
  where: string;
  card: string;
  what: string;
}

/** Search a text (a log line, a snapshot, a database cell, console output) for every needle. */
function searchText(where: string, text: string, hits: Hit[]): void {
  for (const n of ALL) {
    for (const w of n.words) if (text.includes(w)) hits.push({ where, card: n.card, what: w });
    for (const pin of n.pins) {
      if (new RegExp(`(?<![0-9A-Za-z-])${pin}(?![0-9A-Za-z-])`).test(text))
        hits.push({ where, card: n.card, what: `PIN ${pin}` });
      if (text.toLowerCase().includes(hex(pin)))
        hits.push({ where, card: n.card, what: `PIN ${pin} in hex` });
      if (text.toLowerCase().includes(verifyApdu(pin).toString('hex')))
        hits.push({ where, card: n.card, what: `VERIFY APDU of ${pin} in hex` });
    }
  }
}

/** Search raw file bytes: personal words in UTF-8, the PIN only in forms that are not chance. */
function searchBytes(where: string, bytes: Buffer, hits: Hit[]): void {
  const latin = bytes.toString('latin1');
  for (const n of ALL) {
    for (const w of n.words)
      if (bytes.includes(Buffer.from(w, 'utf8'))) hits.push({ where, card: n.card, what: w });
    for (const pin of n.pins) {
      if (bytes.includes(verifyApdu(pin))) hits.push({ where, card: n.card, what: `VERIFY APDU of ${pin}` });
      if (latin.toLowerCase().includes(verifyApdu(pin).toString('hex')))
        hits.push({ where, card: n.card, what: `VERIFY APDU of ${pin} in hex` });
      if (latin.toLowerCase().includes(hex(pin)))
        hits.push({ where, card: n.card, what: `PIN ${pin} in hex` });
      if (latin.includes(`"${pin}"`) || latin.includes(`'${pin}'`))
        hits.push({ where, card: n.card, what: `PIN ${pin} quoted` });
      if (new RegExp(`pin[^a-z0-9]{0,6}${pin}(?![0-9])`, 'i').test(latin))
        hits.push({ where, card: n.card, what: `PIN ${pin} after a pin key` });
    }
  }
}

/** Every text and blob cell of every table of an SQLite file (a copy: opening it may apply its WAL). */
function searchDatabase(where: string, file: string, hits: Hit[]): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  let cells = 0;
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    for (const { name } of tables) {
      for (const row of db
        .prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`)
        .raw()
        .iterate() as Iterable<unknown[]>) {
        for (const v of row) {
          cells++;
          if (typeof v === 'string') searchText(`${where} ${name}`, v, hits);
          else if (Buffer.isBuffer(v)) searchBytes(`${where} ${name} (blob)`, v, hits);
        }
      }
    }
  } finally {
    db.close();
  }
  return cells;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

// ---- the kiosk and what it shows and says ----------------------------------------------------------

let app: KioskApp;
const snapshots: string[] = [];

/** A snapshot without the people lists of the options screen and the names of those chosen. */
function withoutChoosableNames(json: string): string {
  return JSON.stringify(JSON.parse(json), (k, v: unknown) =>
    k === 'people' || k === 'names' ? undefined : v,
  );
}
const consoleOut: string[] = [];
const restore: (() => void)[] = [];
const tempDirs: string[] = [];

function captureConsole(): void {
  // The logger's stderr stream writes straight to fd 2 through fs (not process.stderr): catch it there.
  const { writeSync, write } = fs;
  const text = (b: unknown) =>
    typeof b === 'string'
      ? b
      : ArrayBuffer.isView(b)
        ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8')
        : '';
  fs.writeSync = ((fd: number, buf: unknown, ...rest: unknown[]) => {
    if (fd === 1 || fd === 2) consoleOut.push(text(buf));
    return (writeSync as (...a: unknown[]) => number)(fd, buf, ...rest);
  }) as typeof fs.writeSync;
  fs.write = ((fd: number, buf: unknown, ...rest: unknown[]) => {
    if (fd === 1 || fd === 2) consoleOut.push(text(buf));
    return (write as (...a: unknown[]) => void)(fd, buf, ...rest);
  }) as typeof fs.write;
  restore.push(() => Object.assign(fs, { writeSync, write }));
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      consoleOut.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => (stream.write = write as typeof stream.write));
  }
  for (const m of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const orig = console[m];
    console[m] = (...args: unknown[]) => {
      consoleOut.push(
        args
          .map((a) =>
            typeof a === 'string'
              ? a
              : (JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? String(v) : v)) ?? String(a)),
          )
          .join(' '),
      );
      orig.apply(console, args);
    };
    restore.push(() => (console[m] = orig));
  }
}

beforeAll(async () => {
  captureConsole();
  const dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-privacy-'));
  tempDirs.push(dataDir);
  const config = parseConfig({ log: { level: 'debug' }, kiosk: { dataDir, serviceHours: 'always' } });
  app = await createKioskApp(config, { stderr: true });
  // The renderer's state: every snapshot the core publishes to the renderer (IPC / browser host).
  app.core.subscribe((e) => snapshots.push(JSON.stringify(e)));
  snapshots.push(JSON.stringify(app.core.snapshot()));
}, 120_000);
afterAll(async () => {
  await app?.stop();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  for (const r of restore.reverse()) r();
});

const snap = () => app.core.snapshot();
const call = (command: string, payload: unknown) =>
  app.dispatch({ kind: 'request', id: 1, command, payload });
const input = (i: unknown) => call('input', { input: i });
const busy = (s: Snapshot) => (s.view as { busy?: boolean }).busy === true;
/** The next snapshot the kiosk publishes after `s`; after 3 s of nothing the driver looks again. */
const moved = (s: Snapshot) =>
  snapshotWhere(app.core.engine, (x) => x.seq > s.seq, 'the kiosk to move', 3_000).catch(() => undefined);
const END = new Set(['thankYou', 'refused', 'error', 'cancelled']);

/** The certificate each card asks for: the one its scenario is about. */
const WANTS: Record<string, string> = {
  'no-seal': 'inkan',
  'phone-android': 'inkan',
  'takahashi-yui': 'koseki',
  tenshutsu: 'juminhyo',
};

/** One session of a card as far as it goes; returns the screens it passed through. */
async function session(card: FixtureCard): Promise<string[]> {
  const seen: string[] = [];
  let wrongDone = !WRONG_PIN_FIRST.has(card.id);
  let paid = 0;
  let lastAct = '';
  let actedAt = 0;
  await call('demo', { action: { type: 'insertCard', cardId: card.id } });
  const end = Date.now() + 60_000;
  for (;;) {
    if (Date.now() > end)
      throw new Error(
        `${card.id}: stuck at ${snap().screen} ${JSON.stringify(snap().view)} after ${seen.join(' > ')}`,
      );
    const s = snap();
    if (seen.at(-1) !== s.screen) seen.push(s.screen);
    const act = `${s.screen}:${JSON.stringify(s.view)}`;
    // Act once per screen state; again only if nothing moved for a while (an input the machine dropped).
    if (busy(s) || (act === lastAct && Date.now() - actedAt < 3_000)) {
      await moved(s);
      continue;
    }
    if (END.has(s.screen)) {
      if ((s.view as { cardPresent?: boolean }).cardPresent) {
        await call('demo', { action: { type: 'removeCard' } });
        await moved(s);
        continue;
      }
      await input({ type: 'ACK' });
      await waitFor((x) => x.screen === 'idle', `${card.id}: idle`);
      return seen;
    }
    lastAct = act;
    actedAt = Date.now();
    switch (s.screen) {
      case 'pin':
        if (!wrongDone) seen.push('wrongPin');
        else if (seen.includes('wrongPin'))
          seen.push(`triesLeft=${(s.view as { triesLeft: number | null }).triesLeft}`);
        await input({ type: 'PIN_SUBMIT', pin: wrongDone ? card.pin : wrongPin(card.pin) });
        wrongDone = true;
        break;
      case 'municipality': {
        const ms = (s.view as { municipalities: { code: string; relation: string[] }[] }).municipalities;
        const want =
          WANTS[card.id] === 'koseki'
            ? ms.find((m) => m.relation.includes('honseki'))
            : ms.find((m) => m.code === MURORAN);
        await input({ type: 'SELECT_MUNICIPALITY', code: (want ?? ms[0]!).code });
        break;
      }
      case 'certificate': {
        const types = (s.view as { certificates: { type: string }[] }).certificates.map((c) => c.type);
        const want = WANTS[card.id] ?? 'juminhyo';
        if (types.length === 0) throw new Error(`${card.id}: no certificates offered`);
        await input({ type: 'SELECT_CERTIFICATE', certificate: types.includes(want) ? want : types[0]! });
        break;
      }
      case 'options': {
        const cert = (s.view as { certificate: { options: { id: string; default?: string | boolean }[] } })
          .certificate;
        await input({
          type: 'SET_OPTIONS',
          options: Object.fromEntries(
            cert.options.filter((o) => o.default !== undefined).map((o) => [o.id, o.default!]),
          ),
          copies: 1,
        });
        break;
      }
      case 'confirm':
        await input({ type: 'CONFIRM' });
        break;
      case 'takeCard':
        await call('demo', { action: { type: 'removeCard' } });
        break;
      case 'payment': {
        const v = s.view as { accepting?: boolean; dueYen: number; insertedYen?: number };
        if (!v.accepting) {
          lastAct = '';
          await moved(s);
          break;
        }
        if (paid < v.dueYen) {
          await call('demo', { action: { type: 'insertCoin', yen: 500 } });
          paid += 500;
        }
        lastAct = '';
        await moved(s);
        break;
      }
      default:
        lastAct = '';
        await moved(s);
    }
  }
}

const waitFor = (pred: (s: Snapshot) => boolean, what: string, ms = 20_000) =>
  snapshotWhere(app.core.engine, pred, what, ms);

describe('privacy after complete sessions of every fixture card', () => {
  it('leaves no PIN, name, furigana, birth date or address in the journal, its WAL, a backup, the logs, the renderer state or the console', async () => {
    const journeys: Record<string, string[]> = {};
    for (const card of FIXTURE_CARDS) {
      await waitFor((s) => s.screen === 'idle', 'idle before a session');
      journeys[card.id] = await session(card);
    }
    // The sessions went where their scenarios say: the searches below look at real sessions.
    expect(journeys['yamada-taro']).toEqual(
      expect.arrayContaining(['pin', 'confirm', 'payment', 'thankYou']),
    );
    expect(journeys['phone-android']).toContain('thankYou');
    for (const id of WRONG_PIN_FIRST)
      expect(journeys[id], id).toContain(`triesLeft=${FIXTURE_CARDS.find((c) => c.id === id)!.pinTries - 1}`);
    expect(journeys['blocked-pin']).toContain('refused');
    expect(journeys['shien-sochi']).toContain('refused');
    // Revoked: refused from the card before the PIN screen, so no try could be spent.
    expect(journeys['revoked']!.at(-1)).toMatch(/refused|error/);
    expect(journeys['revoked']).not.toContain('pin');
    expect(journeys['expired']!.at(-1)).toMatch(/refused|error/);
    const journal = app.core.journal;
    const txs = journal.db
      .prepare("SELECT COUNT(*) AS n FROM transactions WHERE status = 'completed'")
      .get() as { n: number };
    expect(txs.n).toBeGreaterThanOrEqual(4);

    // The WAL as it stands while the kiosk is open (before any checkpoint), with its database.
    // The log file is appended synchronously: what was logged is on disk once flushed.
    app.log.flush();
    const journalPath = app.paths.journal;
    const walCopyDir = mkdtempSync(join(tmpdir(), 'madoguchi-privacy-wal-'));
    tempDirs.push(walCopyDir);
    const walCopy = join(walCopyDir, 'journal.sqlite3');
    copyFileSync(journalPath, walCopy);
    expect(existsSync(`${journalPath}-wal`)).toBe(true);
    copyFileSync(`${journalPath}-wal`, `${walCopy}-wal`);
    const walBytes = readFileSync(`${walCopy}-wal`);
    expect(walBytes.length).toBeGreaterThan(0);

    const backup = await backupJournal(journal.db, {
      journalPath,
      kioskId: journal.kioskId,
      dir: defaultBackupDir(journalPath),
      reason: 'manual',
    });
    await app.stop();

    const hits: Hit[] = [];
    // Journal, WAL (raw frames, then the database it makes), backups: raw bytes and every cell.
    searchBytes('journal', readFileSync(journalPath), hits);
    searchBytes('journal WAL', walBytes, hits);
    const cells =
      searchDatabase('journal (with its WAL)', walCopy, hits) + searchDatabase('journal', journalPath, hits);
    expect(cells).toBeGreaterThan(100);
    const backupFiles = filesUnder(defaultBackupDir(journalPath)).filter((f) => statSync(f).isFile());
    expect(backupFiles).toContain(join(backup.path, 'journal.sqlite3'));
    for (const f of backupFiles) {
      searchBytes(`backup ${f}`, readFileSync(f), hits);
      if (f.endsWith('.sqlite3')) searchDatabase(`backup ${f}`, f, hits);
    }
    // Logs: every file the logger wrote, line by line as text.
    const logFiles = filesUnder(app.paths.logDir).filter((f) => statSync(f).isFile());
    expect(logFiles.length).toBeGreaterThan(0);
    const logText = logFiles.map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(logText).toMatch(/"msg"/);
    for (const f of logFiles) searchText(`log ${f}`, readFileSync(f, 'utf8'), hits);
    // The renderer's state and the console.
    expect(snapshots.length).toBeGreaterThan(FIXTURE_CARDS.length * 3);
    // The one place a screen shows names: the options of a 住民票 or 戸籍個人事項 list the resident's own
    // household or 戸籍 to choose from, and the confirm screens name those chosen. Anywhere else, none.
    snapshots.forEach((s, i) => searchText(`snapshot ${i}`, withoutChoosableNames(s), hits));
    // The kiosk logs to stderr too: the console saw every session.
    expect(consoleOut.join('').match(/"msg":"certificate printed"/g)?.length ?? 0).toBeGreaterThanOrEqual(
      txs.n,
    );
    searchText('console', consoleOut.join('\n'), hits);

    expect(hits.map((h) => `${h.where}: ${h.card} ${h.what}`)).toEqual([]);

    // The same search finds the residents where they belong: the embedded registry's database (which
    // stands for the municipality's central registry, not the kiosk).
    const control: Hit[] = [];
    searchDatabase('registry', join(app.paths.dataDir, 'registry', 'registry.sqlite3'), control);
    expect(new Set(control.map((h) => h.card)).size).toBeGreaterThanOrEqual(12);
  }, 600_000);
});

describe('the needles themselves', () => {
  it('spell a birth date in 西暦 and 和暦, including 元年', () => {
    expect(dateForms('1972-04-15')).toEqual(
      expect.arrayContaining(['1972-04-15', '19720415', '1972年4月15日', '昭和47年4月15日']),
    );
    expect(dateForms('1989-01-07')).toContain('昭和64年1月7日');
    expect(dateForms('1989-01-08')).toEqual(expect.arrayContaining(['平成元年1月8日', '平成1年1月8日']));
    expect(dateForms('1990-01-30')).toContain('平成2年1月30日');
  });
  it('find the PIN as the VERIFY APDU in bytes and in hex, and as a token in text, but not inside other numbers', () => {
    const hits: Hit[] = [];
    searchBytes('t', Buffer.concat([Buffer.from('xx'), verifyApdu('1234'), Buffer.from('yy')]), hits);
    searchText('t', 'apdu 002000800431323334', hits);
    searchText('t', 'entered 2580 on the pad', hits);
    searchText('t', '{"id":"ISS-9f3a1c2e-1234-4b6d-2580-0123456789ab"}', hits);
    searchText('t', '{"t":"2026-11-30T07:12:34.123Z","ms":123456,"seq":12345}', hits);
    searchBytes('t', Buffer.from('\x01\x0212345678\x03'), hits);
    // (4321 is one card's PIN and another's wrong try, so hits come once per card: count distinct ones.)
    expect([...new Set(hits.map((h) => h.what))]).toEqual([
      'VERIFY APDU of 1234',
      'PIN 1234 in hex',
      'VERIFY APDU of 1234 in hex',
      'PIN 2580',
    ]);
  });
});
