// A stand-in for the kiosk host: serves the built renderer and sends whatever snapshot a test
// asks for, so every screen can be drawn in every language, size and viewport without devices.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  DEFAULT_LAYOUT,
  LANGUAGES,
  Snapshot,
  type Language,
  type ScreenId,
  type UiConfig,
} from '../../src/contract/index.js';
import { stepOf } from '../../src/core/view.js';
import { RENDERER_DIR } from '../support/kiosk.js';

export const certificate = {
  type: 'juminhyo',
  name: '住民票の写し',
  feeYen: 200,
  maxCopies: 10,
  options: [
    { id: 'scope', kind: 'choice', choices: ['household', 'members'] },
    {
      id: 'members',
      kind: 'members',
      when: { option: 'scope', equals: 'members' },
      people: [
        { id: 'P1', name: '山田 太郎' },
        { id: 'P2', name: '山田 花子' },
        { id: 'P3', name: '山田 一郎' },
        { id: 'P4', name: '山田 さくら' },
      ],
    },
    { id: 'showHouseholder', kind: 'boolean' },
    { id: 'showHonseki', kind: 'boolean' },
    { id: 'myNumber', kind: 'counterOnly' },
  ],
};
const muroran = { code: '012050', name: '室蘭市', reading: { kana: 'むろらんし', romaji: 'Muroran' } };
const summary = {
  municipality: muroran,
  certificate: { type: 'juminhyo', name: '住民票の写し' },
  options: { scope: 'members', members: ['P2', 'P4'], showHouseholder: true, showHonseki: false },
  names: { P2: '山田 花子', P4: '山田 さくら' },
  copies: 2,
  feeYen: 400,
  cardPresent: true,
};
export const VIEWS: Array<[ScreenId, Record<string, unknown>]> = [
  ['idle', {}],
  ['outOfService', { reason: 'printer' }],
  ['outsideHours', { why: 'hours', reopensAt: '2026-12-01T06:30:00+09:00' }],
  [
    'terms',
    {
      text: '1. この端末で取得した情報は、証明書の交付にのみ使います。\n\n2. 証明書は申請者本人または同一世帯の方のために請求してください。\n\n3. 不正な請求は法律により罰せられます。',
    },
  ],
  ['technician', {}],
  ['insertCard', { phoneAccepted: true }],
  ['readingCard', { phone: true }],
  ['pin', { triesLeft: 1, cardType: 'mynumber', form: 'card', spentWhileAway: false, busy: false }],
  ['phoneAway', { triesLeft: 2 }],
  ['authenticating', { phone: true }],
  [
    'municipality',
    {
      phoneOnReader: false,
      municipalities: [
        { ...muroran, relation: ['residence'] },
        {
          code: '012301',
          name: '登別市',
          reading: { kana: 'のぼりべつし', romaji: 'Noboribetsu' },
          relation: ['honseki'],
        },
      ],
    },
  ],
  [
    'certificate',
    {
      phoneOnReader: false,
      municipality: muroran,
      canGoBack: true,
      certificates: [
        ['juminhyo', 200],
        ['juminhyo-kisai', 200],
        ['inkan', 200],
        ['koseki-zenbu', 350],
        ['koseki-kojin', 350],
        ['fuhyo', 200],
        ['shotoku-kazei', 200],
      ].map(([type, feeYen]) => {
        const koseki = String(type).startsWith('koseki');
        const hours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], opens: '09:00', closes: '17:00' };
        return { type, name: type, feeYen, available: !koseki, hours: koseki ? hours : null };
      }),
    },
  ],
  ['options', { certificate, options: {}, copies: 1, busy: false }],
  ['confirm', summary],
  ['requesting', summary],
  ['takeCard', summary],
  [
    'payment',
    {
      accepting: true,
      dueYen: 400,
      insertedYen: 100,
      remainingYen: 300,
      noChangeFor: 10000,
      acceptedBills: [1000, 2000, 5000],
    },
  ],
  ['printing', { copies: 2, printed: 1 }],
  ['change', { changeYen: 600, shortYen: 0, failure: null }],
  ['thankYou', { changeYen: 600, shortYen: 100, failure: null }],
  ['refused', { reason: 'counter', cardPresent: true, busy: false }],
  [
    'error',
    {
      messageKey: 'error.printer',
      cardPresent: false,
      refundedYen: 400,
      owedYen: 0,
      changeYen: 0,
      copiesPrinted: 0,
      copiesOwed: 0,
      busy: false,
    },
  ],
  // Refused from the card before the PIN: the longest message, naming the procedure at the counter.
  [
    'error',
    {
      messageKey: 'error.certificateRevoked',
      cardPresent: true,
      refundedYen: 0,
      owedYen: 0,
      changeYen: 0,
      copiesPrinted: 0,
      copiesOwed: 0,
      busy: false,
    },
  ],
  ['cancelled', { ending: 'removed', cardPresent: false, refundedYen: 0, owedYen: 0, busy: false }],
  ['cardLeft', { abandoned: true }],
  // The options again, with the household members asked for: the longest options screen.
  ['options', { certificate, options: { scope: 'members' }, copies: 1, busy: false }],
];

export const UI: UiConfig = {
  languages: [...LANGUAGES],
  shufflePinPad: true,
  demo: true,
  kioskName: 'test',
  layout: DEFAULT_LAYOUT,
  demoCards: [{ id: 'yamada-taro', label: '山田 太郎' }],
};

/** Serves the built renderer and plays the core: each snapshot it shows is parsed by the contract. */
export class FakeHost {
  demo = true;
  server!: Server;
  sockets = new Set<WebSocket>();
  seq = 0;
  current!: Snapshot;
  inputs: unknown[] = [];
  url = '';

  async start() {
    this.server = createServer((req, res) => {
      const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(
        /^(\.\.[/\\])+/,
        '',
      );
      const file = join(RENDERER_DIR, path === '/' ? 'index.html' : path);
      if (!file.startsWith(RENDERER_DIR) || !existsSync(file) || !statSync(file).isFile())
        return void res.writeHead(404).end();
      const types: Record<string, string> = {
        '.html': 'text/html',
        '.js': 'text/javascript',
        '.css': 'text/css',
        '.ttf': 'font/ttf',
        '.wav': 'audio/wav',
      };
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
    });
    const wss = new WebSocketServer({ server: this.server, path: '/contract' });
    wss.on('connection', (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
      ws.on('message', (data) => {
        const req = JSON.parse(String(data)) as {
          id: number;
          command: string;
          payload: { language?: Language; input?: unknown };
        };
        let result: unknown = { ok: true };
        if (req.command === 'hello') result = { snapshot: this.current, ui: UI };
        if (req.command === 'setLanguage')
          this.show(this.current.screen, this.current.view, req.payload.language!);
        if (req.command === 'input') this.inputs.push(req.payload.input);
        ws.send(JSON.stringify({ kind: 'response', id: req.id, ok: true, result }));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.show('idle', {}, 'ja');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this.url;
  }

  show(
    screen: ScreenId,
    view: Record<string, unknown>,
    language: Language = this.current.language,
    timeoutWarning: Snapshot['timeoutWarning'] = null,
  ) {
    // Parsed: each stand-in view must match its screen's contract schema.
    this.current = Snapshot.parse({
      state: `fake.${screen}`,
      screen,
      language,
      seq: ++this.seq,
      step: stepOf(screen),
      timeoutWarning,
      view,
      demo: this.demo,
    });
    for (const ws of this.sockets)
      ws.send(JSON.stringify({ kind: 'event', event: { type: 'snapshot', snapshot: this.current } }));
  }

  async stop() {
    for (const ws of this.sockets) ws.terminate();
    await new Promise((r) => this.server.close(r));
  }
}
