import { afterEach, describe, expect, it } from 'vitest';
import { EscPosDecoder } from '../../drivers/printer/escpos/protocol.js';
import type { PrinterDriver } from '../../drivers/printer/interface.js';
import type { ReceiptContent } from '../../src/core/ports.js';
import { silentLogger } from '../../src/log/logger.js';
import { receiptPrinter } from '../../src/printing/index.js';
import { ManualClock } from '../support/manual-clock.js';
import { makeEngine } from './harness.js';

let h: ReturnType<typeof makeEngine>;
afterEach(() => h?.engine.stop());

/** A receipt head that keeps the bytes of every job. */
function recordingDriver(): PrinterDriver & { jobs: Uint8Array[] } {
  const jobs: Uint8Array[] = [];
  return {
    jobs,
    state: async () => ({ device: 'online', paper: 'ok', coverOpen: false }),
    submit: async (job) => (jobs.push(job.data), { bytes: job.data.length }),
    onJobEvent: () => () => undefined,
    close: async () => undefined,
  };
}

async function buyJuminhyo(copies: number): Promise<ReceiptContent> {
  h = makeEngine({}, { clock: new ManualClock(Date.parse('2026-04-01T01:00:00Z')) });
  await h.toPayment(copies);
  h.cash.session!.coin(500);
  await h.at('thankYou');
  expect(h.receipt.receipts).toHaveLength(1);
  return h.receipt.receipts[0] as ReceiptContent;
}

async function printedText(r: ReceiptContent): Promise<string[]> {
  const driver = recordingDriver();
  await receiptPrinter(driver, '室蘭市', 576, silentLogger).printReceipt(r);
  return new EscPosDecoder().push(driver.jobs[0]!).flatMap((o) => (o.op === 'text' ? [o.text.trim()] : []));
}

describe('the resident’s receipt', () => {
  it('names the certificate in Japanese with its 但し書き, never by its internal code', async () => {
    const r = await buyJuminhyo(2);
    const text = await printedText(r);
    expect(text).toContainEqual(expect.stringMatching(/^住民票の写し 2通 +[\d,]+円$/));
    expect(text).toContain('但し 住民票の写し 2通 手数料として');
    expect(text.join('\n')).not.toMatch(/juminhyo|×/);
  });

  it('dates it in 和暦 and 西暦 and names the issuer, the kiosk, the issuance number and the money', async () => {
    const text = await printedText(await buyJuminhyo(1));
    expect(text).toContain('領収書');
    expect(text).toContain('室蘭市');
    expect(text).toContain('日付 令和8年4月1日');
    expect(text).toContain('(西暦 2026-04-01 10:00)');
    expect(text).toContain('端末 TEST-01');
    expect(text).toContain('交付番号 ISS-1');
    expect(text.find((t) => t.startsWith('お預かり'))).toMatch(/ 500円$/);
    expect(text.find((t) => t.startsWith('おつり'))).toMatch(/ 300円$/);
  });

  it('prints where the kiosk stands when the kiosk has a name', async () => {
    const r = await buyJuminhyo(1);
    const text = await printedText({ ...r, kioskName: '室蘭市役所 本庁舎 1F' });
    expect(text).toContain('設置 室蘭市役所 本庁舎 1F');
  });
});
