// The printed form of each certificate type, independent of the medium: the A4 PDF, the thermal
// roll and the page seals all use this model. The per-type mapping from the registry's content
// (src/registry/document.ts) lives here and nowhere else. Every printed cell has a field id
// ("<group>.<key>") so that the seal can name it and the verifier can report it.
import type { DocumentBody, SignedDocument } from '../registry/document.js';
import { displayValue, type FieldType } from './field-types.js';

export { warekiDate } from './field-types.js';

export interface FormRow {
  /** "<group>.<key>", e.g. "m2.birth", "h.address", "tax.total". */
  id: string;
  label: string;
  type: FieldType;
  /** What the seal carries: dates as yyyymmdd, amounts and years as integers, else text. */
  raw: string | number;
}
export interface FormBlock {
  /** The group id its rows share (m1, m2 …, income, tax …). */
  id: string;
  /** A heading printed in a cell of its own above the rows (member number, 除籍 …). */
  heading?: string;
  rows: FormRow[];
}
export interface FormModel {
  title: string;
  issuanceNumber: string;
  issuedOn: string;
  /** yyyymmdd of the issue date (what the seal carries). */
  issuedRaw: number;
  header: FormBlock;
  blocks: FormBlock[];
  attestation: string;
  municipality: string;
  mayorLine: string;
  /** The municipality's 公印 (PNG). */
  officialSealPng: Buffer;
  /** The registered seal impression on 印鑑登録証明書 (PNG). */
  registeredSealPng?: Buffer;
}

/** The printed text of a row's value. */
export const rowText = (r: FormRow): string => displayValue(r.type, r.raw);

const isoInt = (iso: string) => Number(iso.replaceAll('-', ''));
const text = (id: string, label: string, value: string | undefined): FormRow[] =>
  value === undefined || value === '' ? [] : [{ id, label, type: 'text', raw: value }];
const date = (id: string, label: string, iso: string | undefined): FormRow[] =>
  iso ? [{ id, label, type: 'date', raw: isoInt(iso) }] : [];
const yen = (id: string, label: string, n: number): FormRow => ({ id, label, type: 'yen', raw: n });

function bodyBlocks(
  body: DocumentBody,
  prefecture: string,
  municipality: string,
): { header: FormRow[]; blocks: FormBlock[]; registeredSealPng?: Buffer } {
  switch (body.kind) {
    case 'juminhyo':
      return {
        header: [
          ...text('h.address', '住所', body.address),
          ...text('h.householder', '世帯主', body.householder),
        ],
        blocks: body.members.map((m, i) => {
          const g = `m${i + 1}`;
          return {
            id: g,
            heading: String(i + 1),
            rows: [
              ...text(`${g}.name`, '氏名', m.name),
              ...text(`${g}.furigana`, 'ふりがな', m.furigana),
              ...date(`${g}.birth`, '生年月日', m.birthDate),
              ...text(`${g}.sex`, '性別', m.sex),
              ...text(`${g}.rel`, '続柄', m.relationship),
              ...date(`${g}.since`, '住民となった日', m.residentSince),
              ...date(`${g}.addrSince`, '住所を定めた日', m.addressSince),
              ...date(`${g}.notified`, '届出日', m.notifiedOn),
              ...text(`${g}.prev`, '前住所', m.previousAddress),
              ...text(`${g}.honseki`, '本籍', m.honseki?.address),
              ...text(`${g}.hittousha`, '筆頭者', m.honseki?.hittousha),
            ],
          };
        }),
      };
    case 'inkan':
      return {
        header: [...text('h.address', '住所', body.address)],
        blocks: [
          {
            id: 'inkan',
            rows: [
              ...text('inkan.regNo', '登録番号', body.registrationNumber),
              ...text('inkan.name', '氏名', body.name),
              ...text('inkan.furigana', 'ふりがな', body.furigana),
              ...date('inkan.birth', '生年月日', body.birthDate),
              ...text('inkan.sex', '性別', body.sex),
              ...date('inkan.regOn', '登録日', body.registeredOn),
            ],
          },
        ],
        registeredSealPng: Buffer.from(body.sealPngBase64, 'base64'),
      };
    case 'koseki':
      return {
        header: [
          ...text('h.honseki', '本籍', body.honseki),
          ...text('h.hittousha', '氏名', body.hittousha),
          ...date('h.compiled', '戸籍編製', body.compiledOn),
        ],
        blocks: body.members.map((m, i) => {
          const g = `m${i + 1}`;
          return {
            id: g,
            heading: m.removed ? `${i + 1}　除籍` : String(i + 1),
            rows: [
              ...text(`${g}.person`, '戸籍に記録されている者', m.name),
              ...date(`${g}.birth`, '生年月日', m.birthDate),
              ...text(`${g}.father`, '父', m.father),
              ...text(`${g}.mother`, '母', m.mother),
              ...text(`${g}.rel`, '続柄', m.relationship),
              ...m.events.flatMap((e, j) => [
                ...date(`${g}.e${j + 1}`, `${e.type}日`, e.date),
                ...date(`${g}.e${j + 1}n`, '届出日', e.notifiedOn),
                ...e.details.map((d, k): FormRow => ({
                  id: `${g}.e${j + 1}d${k + 1}`,
                  label: d.label,
                  type: 'text',
                  raw: d.value,
                })),
              ]),
            ],
          };
        }),
      };
    case 'fuhyo':
      return {
        header: [
          ...text('h.honseki', '本籍', body.honseki),
          ...text('h.hittousha', '筆頭者', body.hittousha),
        ],
        blocks: [
          {
            id: 'p',
            rows: [...text('p.name', '氏名', body.name), ...date('p.birth', '生年月日', body.birthDate)],
          },
          ...body.addresses.map((a, i): FormBlock => ({
            id: `a${i + 1}`,
            rows: [
              ...text(`a${i + 1}.address`, '住所', a.address),
              ...date(`a${i + 1}.since`, '住所を定めた日', a.since),
            ],
          })),
        ],
      };
    case 'shotoku-kazei': {
      // 道民税 / 都民税 / 府民税 / 県民税 after the prefecture's last character.
      const pref = `${/[都道府]$/.exec(prefecture)?.[0] ?? '県'}民税`;
      // 市民税 / 町民税 / 村民税 / 区民税 after the municipality's.
      const muni = `${/[市町村区]$/.exec(municipality)?.[0] ?? '市'}民税`;
      return {
        header: [
          { id: 'h.fy', label: '年度', type: 'nendo', raw: body.fiscalYear },
          { id: 'h.iy', label: '所得の年', type: 'bunen', raw: body.incomeYear },
          ...text('h.address', '住所', body.address),
          ...text('h.name', '氏名', body.name),
          ...date('h.birth', '生年月日', body.birthDate),
        ],
        blocks: [
          {
            id: 'inc',
            heading: '所得の内訳',
            rows: body.incomes.flatMap((inc, i) => [
              yen(`inc.r${i + 1}`, `${inc.category} 収入金額`, inc.revenueYen),
              yen(`inc.i${i + 1}`, `${inc.category} 所得金額`, inc.incomeYen),
            ]),
          },
          {
            id: 'ded',
            heading: '所得控除',
            rows: [
              yen('ded.totalIncome', '合計所得金額', body.totalIncomeYen),
              ...body.deductions.map((d, i) => yen(`ded.d${i + 1}`, d.name, d.amountYen)),
              yen('ded.total', '所得控除合計', body.totalDeductionsYen),
              yen('ded.taxable', '課税標準額', body.taxableIncomeYen),
              ...text(
                'ded.dependents',
                '扶養',
                `配偶者${body.dependents.spouse ? 'あり' : 'なし'}　扶養親族 ${body.dependents.count}人`,
              ),
            ],
          },
          {
            id: 'tax',
            heading: '税額',
            rows: body.taxable
              ? [
                  yen('tax.mi', `${muni} 所得割`, body.tax.municipalIncomeLevyYen),
                  yen('tax.mp', `${muni} 均等割`, body.tax.municipalPerCapitaYen),
                  yen('tax.pi', `${pref} 所得割`, body.tax.prefecturalIncomeLevyYen),
                  yen('tax.pp', `${pref} 均等割`, body.tax.prefecturalPerCapitaYen),
                  yen('tax.total', '税額合計', body.tax.totalYen),
                ]
              : text('tax.status', '課税状況', '非課税'),
          },
        ],
      };
    }
  }
}

export function toForm(doc: SignedDocument): FormModel {
  const m = doc.municipality;
  const { header, blocks, registeredSealPng } = bodyBlocks(doc.body, m.prefecture, m.name);
  return {
    title: doc.title,
    issuanceNumber: doc.issuanceNumber,
    issuedOn: displayValue('date', isoInt(doc.issuedDate)),
    issuedRaw: isoInt(doc.issuedDate),
    header: { id: 'h', rows: header },
    blocks,
    attestation: doc.attestation,
    municipality: m.name,
    mayorLine: `${m.mayorTitle}　${m.mayorName}`,
    officialSealPng: Buffer.from(m.officialSealPngBase64, 'base64'),
    ...(registeredSealPng ? { registeredSealPng } : {}),
  };
}

/** Names and addresses that must appear in the page text (the print tests). */
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
