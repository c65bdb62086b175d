// The printed form of each certificate type, independent of the medium: the A4 PDF and the
// thermal roll both lay out this model. The per-type mapping from the registry's content
// (src/registry/document.ts) lives here and nowhere else.
import type { DocumentBody, SignedDocument } from '../registry/document.js';

export interface FormRow {
  label: string;
  value: string;
}
export interface FormBlock {
  heading?: string;
  rows: FormRow[];
}
export interface FormModel {
  title: string;
  issuanceNumber: string;
  issuedOn: string;
  header: FormRow[];
  blocks: FormBlock[];
  attestation: string;
  municipality: string;
  mayorLine: string;
  /** The municipality's 公印 (PNG). */
  officialSealPng: Buffer;
  /** The registered seal impression on 印鑑登録証明書 (PNG). */
  registeredSealPng?: Buffer;
}

/** 2026-11-26 → 令和8年11月26日 (dates on municipal forms are in the Japanese era). */
export function warekiDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ymd = y * 10000 + mo * 100 + d;
  const [era, base] = ymd >= 20190501 ? ['令和', 2018] : ymd >= 19890108 ? ['平成', 1988] : ymd >= 19261225 ? ['昭和', 1925] : ['大正', 1911];
  const n = y - base;
  return `${era}${n === 1 ? '元' : n}年${mo}月${d}日`;
}

const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;
const row = (label: string, value: string | undefined): FormRow[] => (value === undefined || value === '' ? [] : [{ label, value }]);

function bodyRows(body: DocumentBody): { header: FormRow[]; blocks: FormBlock[]; registeredSealPng?: Buffer } {
  switch (body.kind) {
    case 'juminhyo':
      return {
        header: [...row('住所', body.address), ...row('世帯主', body.householder)],
        blocks: body.members.map((m, i) => ({
          heading: body.members.length > 1 ? String(i + 1) : undefined,
          rows: [
            ...row('氏名', m.name),
            ...row('ふりがな', m.furigana),
            ...row('生年月日', warekiDate(m.birthDate)),
            ...row('性別', m.sex),
            ...row('続柄', m.relationship),
            ...row('住民となった日', warekiDate(m.residentSince)),
            ...row('住所を定めた日', warekiDate(m.addressSince)),
            ...row('前住所', m.previousAddress),
            ...row('本籍', m.honseki?.address),
            ...row('筆頭者', m.honseki?.hittousha),
          ],
        })),
      };
    case 'inkan':
      return {
        header: [...row('住所', body.address)],
        blocks: [
          {
            rows: [
              ...row('登録番号', body.registrationNumber),
              ...row('氏名', body.name),
              ...row('ふりがな', body.furigana),
              ...row('生年月日', warekiDate(body.birthDate)),
              ...row('性別', body.sex),
              ...row('登録日', warekiDate(body.registeredOn)),
            ],
          },
        ],
        registeredSealPng: Buffer.from(body.sealPngBase64, 'base64'),
      };
    case 'koseki':
      return {
        header: [...row('本籍', body.honseki), ...row('氏名', body.hittousha), ...row('戸籍編製', warekiDate(body.compiledOn))],
        blocks: body.members.map((m) => ({
          heading: m.removed ? '除籍' : undefined,
          rows: [
            ...row('戸籍に記録されている者', m.name),
            ...row('生年月日', warekiDate(m.birthDate)),
            ...row('父', m.father),
            ...row('母', m.mother),
            ...row('続柄', m.relationship),
            ...m.events.map((e) => ({ label: e.type, value: [warekiDate(e.date), ...e.details.map((d) => `${d.label} ${d.value}`)].join('　') })),
          ],
        })),
      };
    case 'fuhyo':
      return {
        header: [...row('本籍', body.honseki), ...row('筆頭者', body.hittousha)],
        blocks: [
          {
            rows: [...row('氏名', body.name), ...row('生年月日', warekiDate(body.birthDate)), ...body.addresses.map((a) => ({ label: `住所 ${warekiDate(a.since)}`, value: a.address }))],
          },
        ],
      };
    case 'shotoku-kazei':
      return {
        header: [...row('住所', body.address), ...row('氏名', body.name), ...row('生年月日', warekiDate(body.birthDate))],
        blocks: [
          { heading: `${body.fiscalYear}年度`, rows: body.incomes.map((i) => ({ label: i.category, value: `収入 ${yen(i.revenueYen)}　所得 ${yen(i.incomeYen)}` })) },
          {
            rows: [
              { label: '合計所得金額', value: yen(body.totalIncomeYen) },
              ...body.deductions.map((d) => ({ label: d.name, value: yen(d.amountYen) })),
              { label: '所得控除合計', value: yen(body.totalDeductionsYen) },
              { label: '課税標準額', value: yen(body.taxableIncomeYen) },
              { label: '扶養', value: `配偶者${body.dependents.spouse ? 'あり' : 'なし'}　扶養親族 ${body.dependents.count}人` },
            ],
          },
          {
            rows: body.taxable
              ? [
                  { label: '市民税 所得割', value: yen(body.tax.municipalIncomeLevyYen) },
                  { label: '市民税 均等割', value: yen(body.tax.municipalPerCapitaYen) },
                  { label: '道民税 所得割', value: yen(body.tax.prefecturalIncomeLevyYen) },
                  { label: '道民税 均等割', value: yen(body.tax.prefecturalPerCapitaYen) },
                  { label: '税額合計', value: yen(body.tax.totalYen) },
                ]
              : [{ label: '課税状況', value: '非課税' }],
          },
        ],
      };
  }
}

export function toForm(doc: SignedDocument): FormModel {
  const { header, blocks, registeredSealPng } = bodyRows(doc.body);
  const m = doc.municipality;
  return {
    title: doc.title,
    issuanceNumber: doc.issuanceNumber,
    issuedOn: warekiDate(doc.issuedDate),
    header,
    blocks,
    attestation: doc.attestation,
    municipality: m.name,
    mayorLine: `${m.mayorTitle}　${m.mayorName}`,
    officialSealPng: Buffer.from(m.officialSealPngBase64, 'base64'),
    ...(registeredSealPng ? { registeredSealPng } : {}),
  };
}

/** Names and addresses that must appear in the page text (verify's comparison, the tests). */
export function certifiedStrings(doc: SignedDocument): string[] {
  const b = doc.body;
  const s = [doc.issuanceNumber];
  switch (b.kind) {
    case 'juminhyo':
      return [...s, b.address, ...b.members.map((m) => m.name)];
    case 'inkan':
      return [...s, b.address, b.name];
    case 'koseki':
      return [...s, b.honseki, ...b.members.map((m) => m.name)];
    case 'fuhyo':
      return [...s, b.honseki, b.name, ...b.addresses.map((a) => a.address)];
    case 'shotoku-kazei':
      return [...s, b.address, b.name];
  }
}
