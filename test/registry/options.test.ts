// The simulator's certificate options as real kiosks offer them: a 住民票 for the whole household or
// chosen members (from the household list the registry sends with the resident's catalog), 世帯主・続柄
// and 本籍・筆頭者 shown or not, 個人番号 at the counter only, and 戸籍 個人事項 for a chosen person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthenticatedResident, IssuanceRequest } from '../../src/core/ports.js';
import type { SignedDocument } from '../../src/registry/document.js';
import { RegistryError } from '../../src/registry/errors.js';
import { login, makeAdapter, startSim, MURORAN } from './helpers.js';

let sim: Awaited<ReturnType<typeof startSim>>;
let adapter: Awaited<ReturnType<typeof makeAdapter>>['adapter'];
let resident: AuthenticatedResident;
let key = 0;
const nextKey = () => `options-test-${process.pid}-${++key}`;

beforeAll(async () => {
  sim = await startSim();
  ({ adapter } = await makeAdapter(sim.url));
  resident = await login(adapter, 'yamada-taro');
});
afterAll(async () => {
  await adapter.close();
  await sim.close();
});

const optionOf = (certificate: string, id: string) =>
  resident.municipalities[0]!.certificates.find((c) => c.type === certificate)!.options.find(
    (o) => o.id === id,
  );

async function issued(req: Omit<IssuanceRequest, 'municipalityCode' | 'copies'>) {
  const doc = await adapter.issue(
    resident.token,
    { municipalityCode: MURORAN, copies: 1, ...req },
    nextKey(),
  );
  return (doc.document as SignedDocument).body;
}

describe('住民票 options', () => {
  it('sends the household to choose from, with the privacy choices unanswered and 個人番号 at the counter', () => {
    const members = optionOf('juminhyo', 'members')!;
    expect(members.kind).toBe('members');
    expect(members.when).toEqual({ option: 'scope', equals: 'members' });
    expect(members.people!.map((p) => p.name)).toEqual([
      '山田 太郎',
      '山田 花子',
      '山田 一郎',
      '山田 さくら',
    ]);
    expect(optionOf('juminhyo', 'scope')).toEqual({
      id: 'scope',
      kind: 'choice',
      choices: ['household', 'members'],
    });
    expect(optionOf('juminhyo', 'myNumber')).toEqual({ id: 'myNumber', kind: 'counterOnly' });
    for (const id of ['scope', 'showHouseholder', 'showHonseki'])
      expect(optionOf('juminhyo', id)?.default).toBeUndefined();
  });

  it('lists only the chosen members, without householder and relationship when asked so', async () => {
    const people = optionOf('juminhyo', 'members')!.people!;
    const hanako = people.find((p) => p.name === '山田 花子')!.id;
    const body = await issued({
      certificate: 'juminhyo',
      options: { scope: 'members', members: [hanako], showHouseholder: false, showHonseki: false },
    });
    expect(body).toMatchObject({ kind: 'juminhyo', scope: 'members' });
    expect(body).not.toHaveProperty('householder');
    if (body.kind !== 'juminhyo') throw new Error('not a 住民票');
    expect(body.members.map((m) => [m.name, m.relationship, m.honseki])).toEqual([
      ['山田 花子', undefined, undefined],
    ]);
  });

  it('shows the householder with each relationship, and 本籍・筆頭者, when chosen', async () => {
    const body = await issued({
      certificate: 'juminhyo',
      options: { scope: 'household', showHouseholder: true, showHonseki: true },
    });
    if (body.kind !== 'juminhyo') throw new Error('not a 住民票');
    expect(body.scope).toBe('household');
    expect(body.householder).toBe('山田 太郎');
    expect(body.members).toHaveLength(4);
    expect(body.members.every((m) => m.relationship && m.honseki?.hittousha)).toBe(true);
  });

  it.each([
    ['someone outside the household', { scope: 'members', members: ['R003'] }],
    ['the same member twice', { scope: 'members', members: ['R001', 'R001'] }],
    ['no member', { scope: 'members', members: [] }],
    ['members without the scope', { scope: 'household', members: ['R001'] }],
    ['the scope without members', { scope: 'members' }],
    ['個人番号', { scope: 'household', myNumber: true }],
  ])('refuses %s as a bad request', async (_what, options) => {
    const e = await adapter
      .eligibility(resident.token, { municipalityCode: MURORAN, certificate: 'juminhyo', options, copies: 1 })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RegistryError);
    expect((e as RegistryError).kind).toBe('rejected');
  });
});

describe('戸籍 個人事項', () => {
  it('sends the persons of the 戸籍 and certifies the one chosen', async () => {
    const person = optionOf('koseki-kojin', 'person')!;
    expect(person.kind).toBe('person');
    const sakura = person.people!.find((p) => p.name === '山田 さくら')!.id;
    const body = await issued({ certificate: 'koseki-kojin', options: { person: sakura } });
    if (body.kind !== 'koseki') throw new Error('not a 戸籍');
    expect(body.scope).toBe('kojin');
    expect(body.members.map((m) => m.name)).toEqual(['山田 さくら']);
  });

  it('refuses a person outside the 戸籍', async () => {
    const e = await adapter
      .eligibility(resident.token, {
        municipalityCode: MURORAN,
        certificate: 'koseki-kojin',
        options: { person: 'R003' },
        copies: 1,
      })
      .catch((x: unknown) => x);
    expect((e as RegistryError).kind).toBe('rejected');
  });
});
