// Sample certificates for test pages (`madoguchi print sample`), the bench and the tests: one per
// certificate type, fictional residents of the simulator's seed city (室蘭市), signed with the
// registry simulator's published test key.
import { SIMULATOR_SIGNING_KEY } from '../../fixtures/registry/signing-key.js';
import { CERTIFICATE_TITLES, signDocument, type CertificateType, type DocumentBody, type DocumentContent, type SignedDocument } from '../registry/document.js';
import { officialSealPng, personalSealPng } from './seal-image.js';

export const SAMPLE_TYPES = Object.keys(CERTIFICATE_TITLES) as CertificateType[];

const ADDRESS = '北海道室蘭市さくら坂町二丁目5番8号';
const HONSEKI = '北海道室蘭市みなと通一丁目12番地';

let sealCache: string | undefined;
const muroran = () => ({
  code: '012050',
  prefecture: '北海道',
  name: '室蘭市',
  mayorTitle: '室蘭市長',
  mayorName: '青葉 誠一',
  officialSealPngBase64: (sealCache ??= officialSealPng('室蘭市長之印').toString('base64')),
});

const ATTESTATION: Record<CertificateType, string> = {
  juminhyo: 'この写しは、住民票の原本と相違ないことを証明する。',
  'juminhyo-kisai': '上記のとおり住民票に記載されていることを証明する。',
  inkan: 'この写しは、登録された印影と相違ないことを証明する。',
  'koseki-zenbu': 'これは、戸籍に記録されている事項の全部を証明した書面である。',
  'koseki-kojin': 'これは、戸籍中の一部の者について記録されている事項を証明した書面である。',
  fuhyo: 'この写しは、戸籍の附票の原本と相違ないことを証明する。',
  'shotoku-kazei': '上記のとおり相違ないことを証明する。',
};

function body(type: CertificateType): DocumentBody {
  switch (type) {
    case 'juminhyo':
    case 'juminhyo-kisai':
      return {
        kind: 'juminhyo',
        address: ADDRESS,
        householder: '山田 太郎',
        scope: 'household',
        members: [
          { name: '山田 太郎', furigana: 'やまだ たろう', birthDate: '1978-04-12', sex: '男', relationship: '世帯主', residentSince: '2004-06-01', addressSince: '2012-03-20' },
          { name: '山田 花子', furigana: 'やまだ はなこ', birthDate: '1981-09-30', sex: '女', relationship: '妻', residentSince: '2008-05-10', addressSince: '2012-03-20' },
          { name: '山田 髙志', furigana: 'やまだ たかし', birthDate: '2010-01-15', sex: '男', relationship: '子', residentSince: '2010-01-15', addressSince: '2012-03-20' },
        ],
      };
    case 'inkan':
      return {
        kind: 'inkan',
        registrationNumber: '第0123456号',
        name: '山田 太郎',
        furigana: 'やまだ たろう',
        birthDate: '1978-04-12',
        sex: '男',
        address: ADDRESS,
        sealPngBase64: personalSealPng('山田').toString('base64'),
        registeredOn: '2012-04-02',
      };
    case 'koseki-zenbu':
    case 'koseki-kojin': {
      const members = [
        { name: '山田 太郎', birthDate: '1978-04-12', sex: '男' as const, father: '山田 一郎', mother: '山田 和子', relationship: '長男', removed: false, events: [{ type: '出生', date: '1978-04-12', details: [{ label: '出生地', value: '北海道室蘭市' }] }] },
        { name: '山田 花子', birthDate: '1981-09-30', sex: '女' as const, father: '齋藤 邉三', mother: '齋藤 幸子', relationship: '妻', removed: false, events: [{ type: '婚姻', date: '2008-05-10', details: [{ label: '配偶者氏名', value: '山田 太郎' }] }] },
      ];
      return { kind: 'koseki', scope: type === 'koseki-zenbu' ? 'zenbu' : 'kojin', honseki: HONSEKI, hittousha: '山田 太郎', compiledOn: '2008-05-10', members: type === 'koseki-zenbu' ? members : members.slice(0, 1) };
    }
    case 'fuhyo':
      return {
        kind: 'fuhyo',
        honseki: HONSEKI,
        hittousha: '山田 太郎',
        name: '山田 太郎',
        birthDate: '1978-04-12',
        addresses: [
          { address: '北海道登別市ゆのか町三丁目4番1号', since: '1998-04-01' },
          { address: ADDRESS, since: '2012-03-20' },
        ],
      };
    case 'shotoku-kazei':
      return {
        kind: 'shotoku-kazei',
        fiscalYear: 2026,
        incomeYear: 2025,
        name: '山田 太郎',
        birthDate: '1978-04-12',
        address: ADDRESS,
        incomes: [{ category: '給与', revenueYen: 5_200_000, incomeYen: 3_640_000 }],
        totalIncomeYen: 3_640_000,
        deductions: [
          { name: '社会保険料控除', amountYen: 760_000 },
          { name: '基礎控除', amountYen: 430_000 },
        ],
        totalDeductionsYen: 1_190_000,
        taxableIncomeYen: 2_450_000,
        dependents: { spouse: true, count: 1 },
        tax: { municipalIncomeLevyYen: 147_000, municipalPerCapitaYen: 3_500, prefecturalIncomeLevyYen: 98_000, prefecturalPerCapitaYen: 1_500, totalYen: 250_000 },
        taxable: true,
      };
  }
}

export function sampleContent(type: CertificateType, issuedDate = '2026-11-26'): DocumentContent {
  return {
    schemaVersion: 1,
    certificateType: type,
    title: CERTIFICATE_TITLES[type],
    municipality: muroran(),
    issuanceNumber: `012050-${issuedDate.replaceAll('-', '')}-${String(SAMPLE_TYPES.indexOf(type) + 1).padStart(5, '0')}`,
    issuedDate,
    attestation: ATTESTATION[type],
    body: body(type),
  };
}

/** A sample certificate signed with the registry simulator's test key. */
export function sampleDocument(type: CertificateType, issuedDate?: string): Promise<SignedDocument> {
  return signDocument(sampleContent(type, issuedDate), SIMULATOR_SIGNING_KEY);
}
