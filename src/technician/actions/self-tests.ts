// Engineer diagnostics: card reader (type, certificate, optionally the basic four items shown on
// screen only), a test print on either printer, the acceptors (whatever goes in comes back) and a
// one-coin hopper payout.
import type { TechnicianAnswer } from '../../contract/technician.js';
import type { PaymentEvent } from '../../core/ports.js';
import { sampleDocument } from '../../documents/samples-index.js';
import { tokyoDay } from '../reports.js';
import { ENGINEER, fail, type ActionContext, type ActionTable, type RequestOf } from '../context.js';

const describeEvent = (e: PaymentEvent): string =>
  'yen' in e ? `${e.type} ${e.yen}` : e.type === 'fault' ? `fault ${e.device} ${e.kind}` : e.type;

/** Ends a running acceptor test: refunds what was inserted. Null when none runs. */
export async function stopAcceptorTest(ctx: Pick<ActionContext, 'state'>) {
  const t = ctx.state.acceptorTest;
  if (!t) return null;
  ctx.state.acceptorTest = null;
  t.off();
  const insertedYen = t.session.insertedYen();
  const refund = await t.session.cancel();
  return {
    insertedYen,
    events: t.events.map(describeEvent),
    refundedYen: refund.paidYen,
    shortYen: refund.shortYen,
  };
}

async function cardReader(
  ctx: ActionContext,
  cardInfoPin: string | undefined,
): Promise<TechnicianAnswer<'selfTest'>> {
  const card = ctx.deps.devices.card;
  if (!card.cardPresent()) return fail('noCard');
  try {
    const info = await card.cardInfo();
    const summary = {
      cardType: info.cardType,
      form: info.form,
      technician: info.technician,
      expired: info.expired,
      validTo: info.validTo,
      authPinTriesLeft: info.authPinTriesLeft,
      apdus: info.apdus,
      reader: info.reader,
    };
    let basic: { name: string; address: string; birthDate: string; sex: string } | null = null;
    let basicPin: string | null = null;
    // A phone (and a 住基カード) has no card-info AP: there are no basic items to read.
    if (cardInfoPin && info.form === 'phone') basicPin = 'notOnPhone';
    else if (cardInfoPin) {
      const r = await card.readBasicInfo(cardInfoPin);
      basicPin = r.pin.ok ? 'ok' : r.pin.blocked ? 'blocked' : `wrong (${r.pin.triesLeft})`;
      // Shown to the technician on screen only: the basic four items never reach the journal.
      if (r.info)
        basic = { name: r.info.name, address: r.info.address, birthDate: r.info.birthDate, sex: r.info.sex };
    }
    ctx.record('selfTest', {
      test: 'cardReader',
      ok: true,
      cardType: info.cardType,
      basicItems: basic ? 'read' : (basicPin ?? 'skipped'),
    });
    return { ok: true, test: 'cardReader', card: summary, basicPin, basic };
  } catch (e) {
    ctx.record('selfTest', {
      test: 'cardReader',
      ok: false,
      error: (e as { kind?: string }).kind ?? 'error',
    });
    return fail('cardError', { message: (e as Error).message });
  } finally {
    await card.endSession();
  }
}

async function printer(
  ctx: ActionContext,
  which: 'certificate' | 'receipt',
): Promise<TechnicianAnswer<'selfTest'>> {
  const { journal, devices, config } = ctx.deps;
  const job = `test-${which}-${ctx.now().getTime()}`;
  const id = journal.printIntent({ txId: null, kind: 'test' });
  try {
    if (which === 'certificate') {
      await devices.printers.certificate.printSample({
        issuanceId: job,
        document: await sampleDocument('juminhyo', tokyoDay(ctx.now())),
        copies: 1,
        feeYen: 0,
      });
    } else {
      await devices.printers.receipt.printReceipt({
        title: 'テスト印字',
        kioskId: config.kiosk.id,
        transactionRef: job,
        at: ctx.now(),
        lines: [{ label: 'あいうえお アイウエオ 漢字 ABC 123' }, { label: '金額', amount: 1234 }],
      });
    }
    journal.printOutcome(id, true, { printerJob: job });
    ctx.record('selfTest', { test: 'printer', printer: which, ok: true });
    return { ok: true, test: 'printer', job };
  } catch (e) {
    journal.printOutcome(id, false, { printerJob: job, detail: { error: (e as Error).message } });
    ctx.record('selfTest', { test: 'printer', printer: which, ok: false });
    return fail('printerError', { message: (e as Error).message });
  }
}

async function selfTest(
  ctx: ActionContext,
  req: RequestOf<'selfTest'>,
): Promise<TechnicianAnswer<'selfTest'>> {
  const { devices } = ctx.deps;
  switch (req.test) {
    case 'cardReader':
      return cardReader(ctx, req.cardInfoPin);
    case 'printer':
      return printer(ctx, req.printer);
    case 'acceptorStart': {
      if (ctx.state.acceptorTest) return { ok: true, test: 'acceptorStart', running: true };
      const txId = `tech-acceptor-${ctx.now().getTime()}`;
      // A payment session nobody can complete: whatever is inserted is shown, then handed back.
      const session = await devices.cash.startPayment(100_000, txId);
      const events: PaymentEvent[] = [];
      const off = session.onEvent((e) => events.push(e));
      ctx.state.acceptorTest = { txId, session, events, off };
      ctx.record('selfTest', { test: 'acceptorStart' });
      return { ok: true, test: 'acceptorStart', running: true };
    }
    case 'acceptorStop': {
      const r = await stopAcceptorTest(ctx);
      if (!r) return fail('notRunning');
      ctx.record('selfTest', {
        test: 'acceptor',
        ok: true,
        insertedYen: r.insertedYen,
        refundedYen: r.refundedYen,
      });
      return { ok: true, test: 'acceptorStop', ...r };
    }
    case 'hopper': {
      if (!devices.cash.levels().some((l) => l.yen === req.yen)) return fail('noHopper');
      const r = await devices.cash.payout(req.yen, `tech-hopper-${req.yen}-${ctx.now().getTime()}`);
      const complete = r.paidYen === req.yen;
      ctx.record('selfTest', { test: 'hopper', yen: req.yen, ok: complete, paidYen: r.paidYen });
      return { ok: true, test: 'hopper', complete, paidYen: r.paidYen, levels: devices.cash.levels() };
    }
  }
}

export const selfTestActions: ActionTable = {
  selfTest: { action: 'selfTest', roles: ENGINEER, handler: selfTest },
};
