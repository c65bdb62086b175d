// What the resident's receipt says: the certificate by its Japanese name with the 但し書き, the
// municipality that issued it and the kiosk that collected the fee, the issuance number and the
// money. Internal type codes never reach the paper.
import type { ReceiptContent } from './ports.js';
import type { SessionContext } from './machine/types.js';

export interface ReceiptFacts {
  txId: string;
  kioskId: string;
  kioskName?: string | undefined;
  at: Date;
  /** Change paid out, and change owed on an IOU slip. */
  paidYen: number;
  shortYen: number;
}

export function receiptFor(ctx: SessionContext, f: ReceiptFacts): ReceiptContent {
  const municipality = ctx.resident?.municipalities.find((m) => m.code === ctx.municipalityCode);
  const name = municipality?.certificates.find((c) => c.type === ctx.certificateType)?.name ?? '証明書';
  const item = `${name} ${ctx.copies}通`;
  return {
    title: '領収書',
    ...(municipality ? { issuer: municipality.name } : {}),
    kioskId: f.kioskId,
    ...(f.kioskName ? { kioskName: f.kioskName } : {}),
    transactionRef: f.txId.slice(0, 8).toUpperCase(),
    at: f.at,
    lines: [
      { label: item, amount: ctx.feeYen },
      { label: `但し ${item} 手数料として` },
      { label: 'お預かり', amount: ctx.insertedYen },
      { label: 'おつり', amount: f.paidYen },
      ...(f.shortYen > 0 ? [{ label: '未払いのおつり (預り証)', amount: f.shortYen }] : []),
    ],
    footer: [...(ctx.issuance ? [`交付番号 ${ctx.issuance.issuanceId}`] : []), '上記の金額を領収しました。'],
  };
}
