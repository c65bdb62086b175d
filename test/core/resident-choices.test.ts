// What the resident chooses, as real kiosks offer it: the municipality's 利用規約 before the card,
// certificates outside their own hours shown disabled and refused, household members and the 戸籍
// person checked against the lists the registry sent, 個人番号 never asked of the registry, and
// municipality names with their reading.
import { afterEach, describe, expect, it } from 'vitest';
import { viewOn } from '../../src/contract/index.js';
import type { OptionValue } from '../../src/core/machine/types.js';
import type { AuthenticatedResident } from '../../src/core/ports.js';
import { ManualClock } from '../support/manual-clock.js';
import { makeEngine } from './harness.js';

let h: ReturnType<typeof makeEngine>;
afterEach(() => h?.engine.stop());

const people = [
  { id: 'P1', name: '室蘭 太郎' },
  { id: 'P2', name: '室蘭 花子' },
];
const RESIDENT: AuthenticatedResident = {
  token: 'session-token',
  residentRef: 'R001',
  municipalities: [
    {
      code: '012050',
      name: '室蘭市',
      relation: ['residence', 'honseki'],
      certificates: [
        {
          type: 'juminhyo',
          name: '住民票の写し',
          feeYen: 200,
          maxCopies: 5,
          options: [
            { id: 'scope', kind: 'choice', choices: ['household', 'members'] },
            { id: 'members', kind: 'members', people, when: { option: 'scope', equals: 'members' } },
            { id: 'showHouseholder', kind: 'boolean' },
            { id: 'myNumber', kind: 'counterOnly' },
          ],
        },
        {
          type: 'koseki-kojin',
          name: '戸籍個人事項証明書',
          feeYen: 350,
          maxCopies: 5,
          options: [{ id: 'person', kind: 'person', people }],
        },
      ],
    },
  ],
};

const WEEKDAYS_9_17 = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], opens: '09:00', closes: '17:00' };

async function toCertificate() {
  h.registry.resident = RESIDENT;
  h.engine.input({ type: 'START' });
  await h.at('insertCard');
  h.card.insert();
  await h.at('pin');
  h.engine.input({ type: 'PIN_SUBMIT', pin: '1234' });
  await h.at('certificate');
}

describe('利用規約', () => {
  const terms = {
    required: true,
    text: { ja: '個人情報は証明書の交付にのみ使います。', en: 'Used only to issue.' },
  };

  it('is agreed to before the card is read, in the resident’s language or else Japanese', async () => {
    h = makeEngine({}, { service: { terms } });
    h.engine.input({ type: 'START' });
    await h.at('terms');
    expect(h.engine.snapshot().step).toEqual({ index: 1, total: 6 });
    expect(viewOn(h.engine.snapshot(), 'terms').text).toBe(terms.text.ja);
    h.engine.setLanguage('en');
    expect(viewOn(h.engine.snapshot(), 'terms').text).toBe('Used only to issue.');
    expect(viewOn(h.engine.snapshot(), 'terms').textLanguage).toBe('en');
    h.engine.setLanguage('ko');
    expect(viewOn(h.engine.snapshot(), 'terms')).toEqual({ text: terms.text.ja, textLanguage: 'ja' });
    // A card inserted meanwhile waits: nothing is read before consent.
    h.card.insert();
    await new Promise((r) => setImmediate(r));
    expect(h.engine.snapshot().state).toBe('session.terms');
    h.engine.input({ type: 'AGREE' });
    await h.at('pin');
  });

  it('declining ends the session; so does the inactivity timeout', async () => {
    const clock = new ManualClock();
    h = makeEngine({ timeouts: { default: 60 } }, { service: { terms }, clock });
    h.engine.input({ type: 'START' });
    await h.at('terms');
    h.engine.input({ type: 'BACK' });
    await h.at('ended');
    expect(viewOn(h.engine.snapshot(), 'cancelled').ending).toBe('cancelled');
    h.engine.input({ type: 'ACK' });
    await h.at('idle');
    h.engine.input({ type: 'START' });
    await h.at('terms');
    await clock.advance(60_000);
    await h.at('ended');
    expect(viewOn(h.engine.snapshot(), 'cancelled').ending).toBe('timeout');
  });

  it('is skipped where the configuration does not ask for it', async () => {
    h = makeEngine();
    h.engine.input({ type: 'START' });
    await h.at('insertCard');
  });
});

describe('per-certificate service hours', () => {
  it('shows a certificate outside its hours disabled with them, and refuses it', async () => {
    // Saturday 2026-11-28 10:00 in Japan.
    const clock = new ManualClock(Date.parse('2026-11-28T01:00:00Z'));
    h = makeEngine({}, { clock, service: { certificateHours: { 'koseki-kojin': WEEKDAYS_9_17 } } });
    await toCertificate();
    const menu = viewOn(h.engine.snapshot(), 'certificate').certificates;
    expect(menu.map((c) => [c.type, c.available, c.hours])).toEqual([
      ['juminhyo', true, null],
      ['koseki-kojin', false, WEEKDAYS_9_17],
    ]);
    h.engine.input({ type: 'SELECT_CERTIFICATE', certificate: 'koseki-kojin' });
    expect(h.engine.snapshot().state).toBe('session.certificate');
  });

  it('a menu left open past the closing time refuses the certificate and shows it disabled', async () => {
    // Monday 2026-11-30 16:59:30 in Japan.
    const clock = new ManualClock(Date.parse('2026-11-30T07:59:30Z'));
    h = makeEngine({}, { clock, service: { certificateHours: { 'koseki-kojin': WEEKDAYS_9_17 } } });
    await toCertificate();
    expect(viewOn(h.engine.snapshot(), 'certificate').certificates[1]!.available).toBe(true);
    await clock.advance(30_000);
    h.engine.input({ type: 'SELECT_CERTIFICATE', certificate: 'koseki-kojin' });
    expect(h.engine.snapshot().state).toBe('session.certificate');
    expect(viewOn(h.engine.snapshot(), 'certificate').certificates[1]!.available).toBe(false);
  });

  it('offers it within its hours, up to the closing minute', async () => {
    // Monday 2026-11-30 16:59 in Japan.
    const clock = new ManualClock(Date.parse('2026-11-30T07:59:00Z'));
    h = makeEngine({}, { clock, service: { certificateHours: { 'koseki-kojin': WEEKDAYS_9_17 } } });
    await toCertificate();
    expect(viewOn(h.engine.snapshot(), 'certificate').certificates[1]!.available).toBe(true);
    h.engine.input({ type: 'SELECT_CERTIFICATE', certificate: 'koseki-kojin' });
    await h.at('options');
  });
});

describe('options checked against what the registry offered', () => {
  it('takes chosen household members, refuses strangers, an empty list and 個人番号', async () => {
    h = makeEngine();
    await toCertificate();
    h.engine.input({ type: 'SELECT_CERTIFICATE', certificate: 'juminhyo' });
    await h.at('options');
    const view = viewOn(h.engine.snapshot(), 'options');
    expect(view.certificate!.options.find((o) => o.id === 'members')!.people).toEqual(people);
    const refused: Array<Record<string, OptionValue>> = [
      { scope: 'members', members: ['P9'], showHouseholder: false },
      { scope: 'members', members: [], showHouseholder: false },
      { scope: 'members', showHouseholder: false },
      { scope: 'household', members: ['P1'], showHouseholder: false },
      { scope: 'household', showHouseholder: false, myNumber: true },
      { scope: 'everyone', showHouseholder: false },
    ];
    for (const options of refused) {
      h.engine.input({ type: 'SET_OPTIONS', options, copies: 1 });
      expect(h.engine.snapshot().state, JSON.stringify(options)).toBe('session.options');
    }
    h.engine.input({
      type: 'SET_OPTIONS',
      options: { scope: 'members', members: ['P2'], showHouseholder: false },
      copies: 1,
    });
    await h.at('confirm');
    expect(viewOn(h.engine.snapshot(), 'confirm').options).toEqual({
      scope: 'members',
      members: ['P2'],
      showHouseholder: false,
    });
  });

  it('asks whose 個人事項 it is: a person of the 戸籍, chosen', async () => {
    h = makeEngine();
    await toCertificate();
    h.engine.input({ type: 'SELECT_CERTIFICATE', certificate: 'koseki-kojin' });
    await h.at('options');
    h.engine.input({ type: 'SET_OPTIONS', options: {}, copies: 1 });
    h.engine.input({ type: 'SET_OPTIONS', options: { person: 'P3' }, copies: 1 });
    expect(h.engine.snapshot().state).toBe('session.options');
    h.engine.input({ type: 'SET_OPTIONS', options: { person: 'P1' }, copies: 1 });
    await h.at('confirm');
  });

  it('forgets the household list with the session', async () => {
    h = makeEngine();
    await toCertificate();
    h.engine.input({ type: 'CANCEL' });
    await h.at('ended');
    h.engine.input({ type: 'ACK' });
    await h.until(() => ['idle', 'cardLeft'].includes(h.engine.snapshot().screen), 'session over');
    expect(JSON.stringify(h.engine.machineSnapshot().context)).not.toMatch(/室蘭 花子/);
    expect(JSON.stringify(h.engine.snapshot())).not.toMatch(/室蘭 花子/);
  });
});

describe('municipality names', () => {
  it('carry their reading from the configuration', async () => {
    h = makeEngine(
      {},
      { service: { municipalityReadings: { '012050': { kana: 'むろらんし', romaji: 'Muroran' } } } },
    );
    await toCertificate();
    expect(viewOn(h.engine.snapshot(), 'certificate').municipality).toEqual({
      code: '012050',
      name: '室蘭市',
      reading: { kana: 'むろらんし', romaji: 'Muroran' },
    });
  });
});
