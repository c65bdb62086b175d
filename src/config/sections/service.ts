import { z } from 'zod';
import { LANGUAGES } from '../../contract/snapshot.js';

const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const CertificateHours = z
  .object({
    /** Days of the week the certificate is issued (Japan time). */
    days: z.array(z.enum(WEEKDAYS)).min(1),
    opens: HhMm,
    closes: HhMm,
  })
  .strict()
  .refine((h) => h.opens < h.closes, { message: 'opens must be before closes', path: ['closes'] });

const Reading = z
  .object({
    /** The name in hiragana, e.g. むろらんし. */
    kana: z.string().min(1).max(32),
    /** The name in Latin letters, e.g. Muroran. */
    romaji: z.string().min(1).max(64),
  })
  .strict();

export const ServiceSection = z
  .object({
    /**
     * Hours per certificate type (e.g. "koseki-zenbu"), Japan time, within the kiosk's own: a
     * certificate outside its hours is shown disabled with them. Types not listed follow the kiosk.
     * Example: 戸籍 weekdays only, {"days":["mon","tue","wed","thu","fri"],"opens":"09:00","closes":"17:00"}.
     */
    certificateHours: z.record(z.string().min(1).max(64), CertificateHours).default({}),
    /** A 利用規約 the resident must agree to before inserting the card. */
    terms: z
      .object({
        /** Ask for consent at the start of every session. */
        required: z.boolean().default(false),
        /** The text per language; a language without one shows the Japanese text. */
        text: z.partialRecord(z.enum(LANGUAGES), z.string().min(1).max(4000)).default({}),
      })
      .strict()
      .refine((t) => !t.required || t.text.ja !== undefined, {
        message: 'terms.required needs terms.text.ja',
        path: ['text'],
      })
      .prefault({}),
    /** How each municipality's name (by 団体コード) is read, shown beside it in English, Chinese and Korean. */
    municipalityReadings: z.record(z.string().regex(/^\d{6}$/), Reading).default({
      '012050': { kana: 'むろらんし', romaji: 'Muroran' },
      '012301': { kana: 'のぼりべつし', romaji: 'Noboribetsu' },
      '012335': { kana: 'だてし', romaji: 'Date' },
    }),
  })
  .strict();
