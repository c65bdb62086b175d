import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { LogRateLimiter } from '../../src/log/rate-limit.js';
import { RotatingFile } from '../../src/log/rotating-file.js';

const dirSize = (dir: string) => readdirSync(dir).reduce((a, f) => a + statSync(join(dir, f)).size, 0);

describe('log rotation', () => {
  it('rotates by size and keeps the logs under a hard cap whatever is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'madoguchi-log-'));
    const f = new RotatingFile(join(dir, 'madoguchi.log'), { maxFileBytes: 4096, maxFiles: 3 });
    for (let i = 0; i < 5000; i++) f.write(`{"n":${i},"msg":"${'x'.repeat(50)}"}\n`);
    f.write('y'.repeat(100_000) + '\n'); // one line bigger than a file
    f.close();
    expect(readdirSync(dir).sort()).toEqual([
      'madoguchi.log',
      'madoguchi.log.1',
      'madoguchi.log.2',
      'madoguchi.log.3',
    ]);
    expect(dirSize(dir)).toBeLessThanOrEqual(4096 * 4);
    // The newest lines are kept, in order.
    expect(readFileSync(join(dir, 'madoguchi.log.1'), 'utf8')).toContain('"n":4999');
  });

  it('never throws when the file cannot be written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'madoguchi-log-'));
    // The path is a directory: every open fails, as on a full or read-only disk.
    const g = new RotatingFile(dir, { maxFileBytes: 4096, maxFiles: 1 });
    expect(() => g.write('line\n')).not.toThrow();
    expect(g.dropped).toBe(1);
  });
});

describe('log rate limit per source', () => {
  it('lets each source write its quota per window and reports what it dropped', () => {
    let t = 0;
    const l = new LogRateLimiter({ perWindow: 3, windowMs: 1000 }, () => t);
    const a = Array.from({ length: 10 }, () => l.admit('a').ok);
    expect(a.filter(Boolean)).toHaveLength(3);
    expect(l.admit('b').ok).toBe(true); // another source is not starved
    t = 1000;
    expect(l.admit('a')).toEqual({ ok: true, suppressed: 7 });
  });

  it('caps a flood of identical lines in the log file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'madoguchi-log-'));
    const log = createLogger({ dir, level: 'info', rateLimit: { perWindow: 5, windowMs: 60_000 } });
    for (let i = 0; i < 10_000; i++) log.warn({ path: '/x' }, 'browser host: refused WebSocket upgrade');
    log.info('a different source');
    log.child({ area: 'cash' }).warn('browser host: refused WebSocket upgrade');
    const lines = readFileSync(join(dir, 'madoguchi.log'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines.filter((l) => l.includes('refused'))).toHaveLength(6);
  });

  it('censors personal data but keeps ccTalk device addresses in the bus debug log', () => {
    const dir = mkdtempSync(join(tmpdir(), 'madoguchi-log-'));
    const log = createLogger({ dir, level: 'debug' });
    log.debug({ address: 40, header: 154, kind: 'timeout' }, 'ccTalk exchange failed');
    log.info({ resident: { name: '山田太郎', address: '東京都千代田区1-1' }, pin: 1234 }, 'must not leak');
    log.info({ address: '東京都千代田区1-1' }, 'must not leak either');
    const [bus, resident, text] = readFileSync(join(dir, 'madoguchi.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(bus).toMatchObject({ address: 40, header: 154 });
    expect(resident).toMatchObject({
      resident: { name: '[redacted]', address: '[redacted]' },
      pin: '[redacted]',
    });
    expect(text).toMatchObject({ address: '[redacted]' });
  });

  it("censors a child logger's bindings the same way, at any depth and through grandchildren", () => {
    const dir = mkdtempSync(join(tmpdir(), 'madoguchi-log-'));
    const log = createLogger({ dir, level: 'info' });
    const session = log.child({
      area: 'session',
      PIN: '4821',
      card: { holder: { resident: { name: '山田太郎', birthDate: '1980-01-02' } } },
      tries: [{ pin: '9911' }],
    });
    session.child({ step: 'pin', kana: 'ヤマダタロウ', address: '東京都千代田区1-1' }).info('pin entered');
    session.info({ ok: true }, 'card read');
    const raw = readFileSync(join(dir, 'madoguchi.log'), 'utf8');
    for (const secret of ['4821', '9911', '山田太郎', '1980-01-02', 'ヤマダタロウ', '東京都千代田区'])
      expect(raw).not.toContain(secret);
    const [grandchild, child] = raw
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(child).toMatchObject({
      area: 'session',
      PIN: '[redacted]',
      card: { holder: { resident: { name: '[redacted]', birthDate: '[redacted]' } } },
      tries: [{ pin: '[redacted]' }],
      ok: true,
    });
    expect(grandchild).toMatchObject({
      area: 'session',
      step: 'pin',
      kana: '[redacted]',
      address: '[redacted]',
      msg: 'pin entered',
    });
  });
});
