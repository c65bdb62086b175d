// The printed 日計表, end to end: a day of transactions and cash movements written through the
// journal's own API, the console's daily report printed on the receipt roll over ESC/POS (TCP) to
// the emulator, and the emulator's transcript read line by line against what the day contained.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EscPosEmulator } from '../../fixtures/escpos-emulator/emulator.js';
import { columns } from '../../drivers/printer/escpos/protocol.js';
import { TechnicianRequest } from '../../src/contract/technician.js';
import type { Journal } from '../../src/core/journal/journal.js';
import { currentTotp, hashTechnicianPin, newTotpSecret } from '../../src/technician/auth.js';
import { tokyoDay } from '../../src/technician/reports.js';
import { startTestKiosk } from '../support/kiosk.js';

const dir = mkdtempSync(join(tmpdir(), 'madoguchi-daily-'));
const secret = newTotpSecret();
writeFileSync(join(dir, 'totp'), secret, { mode: 0o600 });

let emu: EscPosEmulator;
let k: Awaited<ReturnType<typeof startTestKiosk>>;
const call = async (r: unknown) =>
  (await k.app.core.handlers.technician({ request: TechnicianRequest.parse(r) })).result as Record<
    string,
    unknown
  > & { ok: boolean };

beforeAll(async () => {
  emu = new EscPosEmulator();
  const port = await emu.start();
  k = await startTestKiosk({
    printers: { receipt: { driver: 'escpos', host: '127.0.0.1', port } },
    technician: {
      accounts: [
        {
          id: 'op1',
          role: 'operator',
          pinHash: hashTechnicianPin('246810'),
          totpSecretFile: join(dir, 'totp'),
        },
      ],
    },
  });
}, 60_000);
afterAll(async () => {
  await k?.stop();
  await emu?.stop();
});

/** A closed transaction of the day. */
function tx(
  j: Journal,
  status: 'completed' | 'cancelled' | 'failed' | 'recovered' | 'refused',
  f: { certificateType?: string; copies?: number; feeYen?: number } = {},
): string {
  const id = j.openTransaction();
  j.update(id, f);
  j.close(id, status, status);
  return id;
}

/** A cash movement with its outcome (done unless ok is false). */
function cash(j: Journal, transactionId: string, kind: string, device: string, yen: number, count: number) {
  const id = j.intent({ transactionId, kind: kind as never, device, yen, count });
  j.outcome(id, { ok: true, count });
}

describe('the printed 日計表', () => {
  it('names each certificate and shows its counts and fees, cancelled and failed, and every cash figure', async () => {
    const j = k.app.core.journal;
    const a = tx(j, 'completed', { certificateType: 'juminhyo', copies: 2, feeYen: 600 });
    const b = tx(j, 'completed', { certificateType: 'juminhyo', copies: 1, feeYen: 300 });
    const c = tx(j, 'completed', { certificateType: 'inkan', copies: 1, feeYen: 300 });
    const d = tx(j, 'cancelled', { certificateType: 'juminhyo', copies: 1 });
    tx(j, 'failed', { certificateType: 'inkan', copies: 1, feeYen: 300 });
    tx(j, 'recovered');
    tx(j, 'refused');
    cash(j, a, 'accept', 'coin', 100, 5);
    cash(j, a, 'stack', 'bill', 1000, 1);
    cash(j, b, 'accept', 'coin', 100, 3);
    cash(j, c, 'stack', 'bill', 1000, 1);
    cash(j, c, 'change', 'hopper.100', 100, 7);
    cash(j, d, 'accept', 'coin', 100, 2);
    cash(j, d, 'refund', 'hopper.100', 100, 2);
    cash(j, 'tech-refill-1', 'refill', 'hopper.100', 100, 20);
    cash(j, 'tech-collect-1', 'collect', 'cashbox', 1000, 2);
    // Not takings: a technician's hopper test, a movement that failed, one with no outcome yet.
    cash(j, 'tech-hopper-1', 'payout', 'hopper.10', 10, 3);
    j.outcome(j.intent({ transactionId: b, kind: 'accept', device: 'coin', yen: 500, count: 1 }), {
      ok: false,
      count: 0,
    });
    j.intent({ transactionId: b, kind: 'change', device: 'hopper.10', yen: 10, count: 4 });
    const today = tokyoDay(new Date());

    await call({ action: 'enter' });
    expect(
      await call({ action: 'loginPin', technicianId: 'op1', pin: '246810', totp: currentTotp(secret) }),
    ).toMatchObject({ ok: true });
    const jobsBefore = emu.jobs.length;
    const rep = await call({ action: 'dailyReport', date: today, print: true });
    expect(rep).toMatchObject({ ok: true, printed: true });
    expect(emu.jobs).toHaveLength(jobsBefore + 1);

    const lines = emu.jobs.at(-1)!.transcript.split('\n');
    expect(lines[0]).toBe('日計表');
    const rules = lines.flatMap((l, i) => (l === '-'.repeat(48) ? [i] : []));
    expect(rules).toHaveLength(3);
    expect(lines.slice(rules[0]! + 1, rules[1])).toContain(`取引番号 DAY-${today}`);
    const body = lines.slice(rules[1]! + 1, rules[2]);
    // Label left, amount right on the 48 columns of an 80 mm roll.
    const money = (label: string, yen: string) =>
      `${label}${' '.repeat(48 - columns(label) - columns(`${yen}円`))}${yen}円`;
    expect(body).toEqual([
      `対象日 ${today}`,
      money('印鑑登録証明書 1件 1通', '300'),
      money('住民票の写し 2件 3通', '900'),
      money('交付 計 3件', '1,200'),
      '取消 1件',
      '失敗 2件',
      money('現金 受入', '3,000'),
      money('釣銭 払出', '700'),
      money('返金', '200'),
      money('回収', '2,000'),
      money('補充', '2,000'),
      // The embedded registry finalized none of these: the day does not reconcile.
      '基幹照合 不一致',
    ]);
    expect(lines.slice(rules[2]! + 1)).toContain('担当 op1');
    expect(body.join('\n')).not.toMatch(/juminhyo|inkan/);
    // The journal row the prune relies on says the same.
    const row = j.db
      .prepare("SELECT detail FROM technician_actions WHERE action = 'dailyReport' ORDER BY id DESC LIMIT 1")
      .get() as { detail: string };
    expect(JSON.parse(row.detail)).toMatchObject({
      date: today,
      printed: true,
      issuances: 3,
      feeYen: 1200,
      matches: false,
    });
  });
});
