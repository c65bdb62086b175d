// One personal-data policy for logs, journal and reports: personal fields censored at any depth in
// the log (a ccTalk bus address kept), refused by the journal, left out of exported log lines; an
// error is logged by its class and kind, never its message.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/core/dispatcher.js';
import { openJournalDb } from '../../src/core/journal/db.js';
import { Journal } from '../../src/core/journal/journal.js';
import { createLogger } from '../../src/log/logger.js';
import {
  assertNoPersonalData,
  errorSummary,
  isPersonal,
  PersonalDataInJournal,
  redactPersonal,
  withoutPersonal,
} from '../../src/privacy/policy.js';
import { sanitizeLogLine } from '../../src/technician/reports.js';

const NAME = '山田 太郎';
const ADDRESS = '北海道室蘭市幸町1番2号';

describe('privacy policy', () => {
  it('names fields precisely: a resident address is personal, a ccTalk bus address is not', () => {
    expect(isPersonal('address', ADDRESS)).toBe(true);
    expect(isPersonal('address', 40)).toBe(false);
    expect(isPersonal('address', 40, 'resident')).toBe(true);
    expect(isPersonal('residentAddress', 7)).toBe(true);
    expect(isPersonal('PIN', '1234')).toBe(true);
    expect(isPersonal('header', 154)).toBe(false);
  });

  it('redacts at any depth, through arrays, and cuts cycles', () => {
    const deep = {
      a: {
        b: {
          c: {
            d: { e: { f: [{ g: { resident: { name: NAME, birthDate: '1980-04-01', address: ADDRESS } } }] } },
          },
        },
      },
    };
    const out = JSON.stringify(redactPersonal(deep));
    expect(out).not.toContain(NAME);
    expect(out).not.toContain(ADDRESS);
    expect(out).not.toContain('1980');
    const cyclic: Record<string, unknown> = { pin: '1234' };
    cyclic.self = cyclic;
    expect(redactPersonal(cyclic)).toEqual({ pin: '[redacted]', self: '[cut]' });
  });

  it('censors the people a resident chooses among as a whole, ids and all', () => {
    const option = { id: 'members', kind: 'members', people: [{ id: 'R002', name: NAME }] };
    expect(redactPersonal({ certificates: [{ options: [option] }] })).toEqual({
      certificates: [{ options: [{ id: 'members', kind: 'members', people: '[redacted]' }] }],
    });
  });

  it('the logger censors personal fields six levels down and keeps the ccTalk address', () => {
    const dir = mkdtempSync(join(tmpdir(), 'madoguchi-policy-log-'));
    const log = createLogger({ level: 'debug', dir, stderr: false });
    log.debug({ address: 40, header: 154 }, 'ccTalk exchange');
    log.info(
      {
        step: {
          detail: { registry: { answer: { members: [{ name: NAME }], householdOf: { address: ADDRESS } } } },
        },
      },
      'deep',
    );
    log.child({ area: 'x' }).info({ resident: { furigana: 'ヤマダ タロウ' } }, 'a child logger too');
    const text = readFileSync(join(dir, 'madoguchi.log'), 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(3);
    expect(text).toContain('"address":40');
    expect(text).not.toContain(NAME);
    expect(text).not.toContain(ADDRESS);
    expect(text).not.toContain('ヤマダ');
  });

  it('the journal refuses personal details at any depth, and takes a ccTalk address', () => {
    const journal = new Journal(openJournalDb(':memory:'), Buffer.alloc(32, 1), 'K');
    const tx = journal.openTransaction();
    expect(() =>
      journal.step(tx, 'registry.issue', 'intent', { deep: { deeper: { resident: { address: ADDRESS } } } }),
    ).toThrow(PersonalDataInJournal);
    expect(() => journal.step(tx, 'registry.issue', 'intent', { a: [{ Name: NAME }] })).toThrow(
      PersonalDataInJournal,
    );
    expect(() => assertNoPersonalData({ device: 'coin', address: 2 })).not.toThrow();
  });

  it('exported log lines leave out personal fields and resident links', () => {
    const line = JSON.stringify({
      msg: 'x',
      residentRef: 'abc',
      deep: { display: { name: NAME }, address: ADDRESS, kept: 1 },
    });
    const out = sanitizeLogLine(line)!;
    expect(out).not.toContain(NAME);
    expect(out).not.toContain('abc');
    expect(out).not.toContain(ADDRESS);
    expect(JSON.parse(out)).toMatchObject({ deep: { kept: 1 } });
    expect(withoutPersonal({ address: 3 })).toEqual({ address: 3 });
  });

  it('a failing handler is logged by error class and kind, never its message', async () => {
    const chunks: string[] = [];
    const pino = (await import('pino')).default;
    const log = pino(
      { level: 'info' },
      new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) }),
    );
    const dispatch = createDispatcher(
      {
        hello: () =>
          Promise.reject(Object.assign(new Error(`no resident ${NAME} PIN 1234`), { kind: 'boom' })),
      } as never,
      log,
    );
    const r = await dispatch({ kind: 'request', id: 1, command: 'hello', payload: {} });
    expect(r).toMatchObject({ ok: false });
    const text = chunks.join('');
    expect(text).toContain('"kind":"boom"');
    expect(text).not.toContain(NAME);
    expect(text).not.toContain('1234');
    expect(errorSummary('x')).toEqual({ name: 'string' });
  });
});
