// Where every printed field of an A4 certificate page goes. The renderer draws from this and the
// verifier reads the page back through it, so the place of each field is a function of the page's
// field list alone (which the page's seal carries). Pages are filled row by row before breaking; a
// block that continues on the next page repeats its heading there.
import { createHash } from 'node:crypto';
import { displayValue, type FieldType } from './field-types.js';
import type { FormBlock, FormModel } from './form.js';

export const A4 = { w: 595.28, h: 841.89 };
export const MARGIN = 48;
const CONTENT_W = A4.w - 2 * MARGIN;
export const LABEL_W = 124;
const ROW_H = 21;
const HEAD_H = 17;
const GROUP_GAP = 8;
const BODY_TOP = 112;
/** The seal's QR code: bottom right of every page, on a white quiet zone. */
export const QR_BOX = { size: 150, x: A4.w - MARGIN - 150, y: A4.h - 44 - 150 };
const BODY_BOTTOM = QR_BOX.y - 8;
/** Left of the QR code on the last page: the attestation, the date, the mayor's line and 公印. */
const TAIL_BOX = { x: MARGIN, y: QR_BOX.y, w: QR_BOX.x - MARGIN - 16 };
/** The municipality's verification note along the bottom (configuration text, not sealed). */
export const NOTE_BOX = { x: MARGIN, y: A4.h - 40, w: CONTENT_W, h: 26 };
/** "n / m 頁", top left (the seal's page n of m). */
export const PAGE_NO_BOX = { x: MARGIN, y: 26, w: 160, h: 14 };
const INEI_H = 96;
export const KOIN_SIZE = 62;

/** One printed field as the seal carries it. */
export interface PageField {
  /** title, no, att, date, mayor, koin, inei; a group id (m1, tax …) for a heading; "<group>.<key>" for a row. */
  id: string;
  type: FieldType;
  raw: string | number;
  /** Rows only: the label cell's text. */
  label?: string;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A field placed on the page: `label` and `value` are the cells that hold its text (or image). */
export interface PlacedField {
  field: PageField;
  kind: 'title' | 'number' | 'heading' | 'row' | 'image' | 'attestation' | 'date' | 'mayor';
  text: string;
  value: Rect;
  label?: Rect;
  size: number;
}

export const fieldText = (f: PageField) => displayValue(f.type, f.raw);
const isRow = (f: PageField) => f.id.includes('.');
const groupOf = (id: string) => id.split('.')[0]!;
const TAIL = new Set(['att', 'date', 'mayor', 'koin']);

/** Short, stable hash of an image's bytes: what the seal says about a seal impression. */
export const imageHash = (png: Uint8Array) =>
  createHash('sha256').update(png).digest('base64url').slice(0, 16);

function flowHeight(f: PageField, prev: PageField | undefined): number {
  const gap =
    prev && !TAIL.has(prev.id) && prev.id !== 'no' && groupOf(prev.id) !== groupOf(f.id) ? GROUP_GAP : 0;
  if (f.id === 'inei') return gap + INEI_H;
  if (isRow(f)) return gap + ROW_H;
  return gap + HEAD_H;
}

/** Splits the form into pages: the field list of each (what its seal will carry). */
export function planPages(form: FormModel): PageField[][] {
  const top: PageField[] = [
    { id: 'title', type: 'text', raw: form.title },
    { id: 'no', type: 'text', raw: form.issuanceNumber },
  ];
  const row = (r: FormBlock['rows'][number]): PageField => ({
    id: r.id,
    type: r.type,
    raw: r.raw,
    label: r.label,
  });
  // The flow: header rows, the 印影, then each block (heading + rows).
  const flow: Array<{ f: PageField; heading?: PageField }> = [];
  for (const r of form.header.rows) flow.push({ f: row(r) });
  if (form.registeredSealPng)
    flow.push({ f: { id: 'inei', type: 'text', raw: imageHash(form.registeredSealPng) } });
  for (const b of form.blocks) {
    const heading: PageField | undefined = b.heading ? { id: b.id, type: 'text', raw: b.heading } : undefined;
    if (heading) flow.push({ f: heading });
    for (const r of b.rows) flow.push({ f: row(r), ...(heading ? { heading } : {}) });
  }
  const tail: PageField[] = [
    { id: 'att', type: 'text', raw: form.attestation },
    { id: 'date', type: 'date', raw: form.issuedRaw },
    { id: 'mayor', type: 'text', raw: form.mayorLine },
    { id: 'koin', type: 'text', raw: imageHash(form.officialSealPng) },
  ];
  const pages: PageField[][] = [];
  let page: PageField[] = [...top];
  let y = BODY_TOP;
  const newPage = () => {
    pages.push(page);
    page = [...top];
    y = BODY_TOP;
  };
  flow.forEach((item, i) => {
    const next = flow[i + 1];
    // A heading never ends a page: it needs its first row below it.
    const need = flowHeight(item.f, page.at(-1)) + (!isRow(item.f) && next ? ROW_H : 0);
    if (y + need > BODY_BOTTOM && page.length > top.length) {
      newPage();
      if (item.heading) {
        page.push(item.heading);
        y += flowHeight(item.heading, undefined);
      }
    }
    y += flowHeight(item.f, page.at(-1));
    page.push(item.f);
  });
  page.push(...tail);
  pages.push(page);
  return pages;
}

/** Font size at which `chars` full-width characters fit `width` (never above `max`). */
const fit = (text: string, width: number, max: number) =>
  Math.max(
    6,
    Math.min(
      max,
      width /
        Math.max(
          1,
          [...text].reduce((n, c) => n + (c.charCodeAt(0) < 0x100 ? 0.55 : 1), 0),
        ),
    ),
  );

/** Places a page's fields (the same for the renderer and the verifier). */
export function placePage(fields: PageField[]): PlacedField[] {
  const out: PlacedField[] = [];
  let y = BODY_TOP;
  let prev: PageField | undefined;
  for (const f of fields) {
    const text = fieldText(f);
    if (f.id === 'title')
      out.push({ field: f, kind: 'title', text, value: { x: MARGIN, y: 56, w: CONTENT_W, h: 30 }, size: 20 });
    else if (f.id === 'no')
      out.push({
        field: f,
        kind: 'number',
        text,
        value: { x: A4.w / 2, y: 26, w: A4.w / 2 - MARGIN, h: 14 },
        size: 9,
      });
    else if (f.id === 'att')
      out.push({
        field: f,
        kind: 'attestation',
        text,
        value: { x: TAIL_BOX.x, y: TAIL_BOX.y, w: TAIL_BOX.w, h: 42 },
        size: 10.5,
      });
    else if (f.id === 'date')
      out.push({
        field: f,
        kind: 'date',
        text,
        value: { x: TAIL_BOX.x + 10, y: TAIL_BOX.y + 50, w: 200, h: 16 },
        size: 10.5,
      });
    else if (f.id === 'mayor') {
      // Right-aligned so that its last character sits under the centre of the 公印.
      out.push({
        field: f,
        kind: 'mayor',
        text,
        value: { x: TAIL_BOX.x, y: TAIL_BOX.y + 96, w: TAIL_BOX.w - KOIN_SIZE / 2 + 7, h: 20 },
        size: 14,
      });
    } else if (f.id === 'koin') {
      // Over the end of the mayor's line, as the 公印 is pressed.
      const cx = TAIL_BOX.x + TAIL_BOX.w - KOIN_SIZE / 2;
      const cy = TAIL_BOX.y + 96 + 7;
      out.push({
        field: f,
        kind: 'image',
        text,
        value: { x: cx - KOIN_SIZE / 2, y: cy - KOIN_SIZE / 2, w: KOIN_SIZE, h: KOIN_SIZE },
        size: 0,
      });
    } else if (f.id === 'inei') {
      y += flowHeight(f, prev) - INEI_H;
      out.push({
        field: f,
        kind: 'image',
        text,
        label: { x: MARGIN, y, w: LABEL_W, h: INEI_H - 8 },
        value: { x: MARGIN + LABEL_W, y, w: INEI_H - 8, h: INEI_H - 8 },
        size: 0,
      });
      y += INEI_H;
    } else if (isRow(f)) {
      y += flowHeight(f, prev) - ROW_H;
      out.push({
        field: f,
        kind: 'row',
        text,
        label: { x: MARGIN, y, w: LABEL_W, h: ROW_H },
        value: { x: MARGIN + LABEL_W, y, w: CONTENT_W - LABEL_W, h: ROW_H },
        size: fit(text, CONTENT_W - LABEL_W - 14, 11),
      });
      y += ROW_H;
    } else {
      y += flowHeight(f, prev) - HEAD_H;
      out.push({
        field: f,
        kind: 'heading',
        text,
        value: { x: MARGIN, y, w: CONTENT_W, h: HEAD_H },
        size: 9.5,
      });
      y += HEAD_H;
    }
    prev = f;
  }
  return out;
}

/** The label cell's font size (long labels such as 戸籍に記録されている者 shrink to fit). */
export const labelSize = (label: string) => fit(label, LABEL_W - 10, 10);
