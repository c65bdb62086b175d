// Glyphs are never clipped: for Latin, Hangul, simplified Chinese and Japanese, in the places text
// sits on the kiosk's screens (body text, headings, buttons, choices, keys, lists), at normal and
// large text, the ink of each sample (measured on a canvas with the element's computed font) stays
// inside its line box and inside every box that clips it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { FakeHost } from './stand-in-host.js';

const SAMPLES = [
  { lang: 'en', text: 'gjpqy Ágy' },
  { lang: 'ko', text: '한국어 글꼴' },
  { lang: 'zh', text: '简体中文字体' },
  { lang: 'ja', text: '日本語の証明書' },
];

/** Where text sits on the screens, as markup around the probe (`@` marks it). */
const PLACES = [
  '<p>@</p>',
  '<p class="lead">@</p>',
  '<div class="screen-top"><h1>@</h1></div>',
  '<div class="actions"><button class="primary">@</button><button class="secondary">@</button></div>',
  '<ul class="choices"><li><button class="choice"><span class="choice-number">1</span><span class="choice-name">@</span><span class="choice-note">@</span></button></li></ul>',
  '<nav class="language-switch"><button>@</button></nav>',
  '<div class="toolbar"><button>@</button></div>',
  // A line only as tall as the font, in a box that clips (as the scrolling screen body can).
  '<div class="screen-body"><p class="normal-line">@</p></div>',
  '<div class="screen-body"><p class="normal-line bold">@</p></div>',
  '<dl class="summary"><div><dt>@</dt><dd>@</dd></div></dl>',
  '<p class="countdown">@</p>',
  '<ol class="steps"><li class="step step-current">@</li></ol>',
];

let browser: Browser;
let host: FakeHost;
beforeAll(async () => {
  host = new FakeHost();
  host.demo = false;
  const [b] = await Promise.all([launchChromium(), host.start()]);
  browser = b;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

/** Clipped glyphs on the page now showing, one line each. */
function clipped(page: Page, samples: typeof SAMPLES, places: string[], tight = ''): Promise<string[]> {
  return page.evaluate(
    async ({ samples, places, tight }) => {
      // On top of the screen, in the kiosk's cascade, out of the screen's flex layout.
      const stage = document.createElement('div');
      stage.style.cssText = 'position:fixed;top:0;left:0;width:1400px;z-index:9;background:var(--bg)';
      (document.querySelector('.kiosk') ?? document.body).append(stage);
      const out: string[] = [];
      const canvas = document.createElement('canvas');
      const ctx = canvas.getContext('2d')!;
      try {
        for (const place of places) {
          for (const { lang, text } of samples) {
            const probe = `<span class="probe" lang="${lang}">${text}<span class="baseline"></span></span>`;
            stage.innerHTML = place.replaceAll('@', probe);
            for (const t of stage.querySelectorAll<HTMLElement>('.tight')) t.style.cssText = tight;
            for (const t of stage.querySelectorAll<HTMLElement>('.normal-line'))
              t.style.cssText = `margin:0;line-height:normal;${t.classList.contains('bold') ? 'font-weight:700;font-size:1.2rem' : ''}`;
            // Styles through the CSSOM: the page's content security policy drops style attributes.
            for (const b of stage.querySelectorAll<HTMLElement>('.baseline'))
              b.style.cssText = 'display:inline-block;width:0;height:0';
            for (const el of stage.querySelectorAll<HTMLElement>('.probe')) el.style.display = 'block';
            for (const el of stage.querySelectorAll<HTMLElement>('.probe')) {
              const cs = getComputedStyle(el);
              await document.fonts.load(cs.font, text);
              ctx.font = cs.font;
              if ('lang' in ctx) (ctx as { lang: string }).lang = lang;
              if (!ctx.font.includes(cs.fontSize)) throw new Error(`canvas cannot use the font ${cs.font}`);
              const m = ctx.measureText(text);
              const line = el.getBoundingClientRect();
              const baseline = el.querySelector('.baseline')!.getBoundingClientRect().bottom;
              const ink = {
                top: baseline - m.actualBoundingBoxAscent,
                bottom: baseline + m.actualBoundingBoxDescent,
              };
              const where = `${place.replace(/@.*$/, '').slice(-48)} ${lang} ${cs.fontSize}/${cs.lineHeight}`;
              if (line.height > parseFloat(cs.lineHeight) * 1.5)
                out.push(`${where}: the sample wraps (${Math.round(line.height)} px)`);
              if (ink.top < line.top - 0.5)
                out.push(`${where}: ink ${(line.top - ink.top).toFixed(1)} px above the line box`);
              if (ink.bottom > line.bottom + 0.5)
                out.push(`${where}: ink ${(ink.bottom - line.bottom).toFixed(1)} px below the line box`);
              for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                const s = getComputedStyle(a);
                if (s.overflowY === 'visible' && s.overflowX === 'visible' && s.clipPath === 'none') continue;
                const r = a.getBoundingClientRect();
                if (ink.top < r.top - 0.5 || ink.bottom > r.bottom + 0.5)
                  out.push(`${where}: ink clipped by ${a.tagName.toLowerCase()}.${a.className}`);
              }
            }
          }
        }
      } finally {
        stage.remove();
      }
      return out;
    },
    { samples, places, tight },
  );
}

describe('fonts', () => {
  it('draw Latin, Hangul, simplified Chinese and Japanese without clipping, at normal and large text', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(host.url);
    await page.locator('.kiosk').waitFor();
    host.show(
      'confirm',
      {
        municipality: { code: '012050', name: '室蘭市' },
        certificate: { type: 'juminhyo', name: '住民票の写し' },
        options: { scope: 'household' },
        copies: 1,
        feeYen: 200,
        cardPresent: true,
      },
      'en',
    );
    await page.locator('.kiosk[data-screen="confirm"]').waitFor();
    const failures: string[] = [];
    for (const large of [false, true]) {
      await page.evaluate((large) => document.documentElement.classList.toggle('large-text', large), large);
      for (const f of await clipped(page, SAMPLES, PLACES))
        failures.push(`${large ? 'large' : 'normal'} ${f}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);

  it('finds what the bundled face clips without its metric overrides, and a line box shorter than the glyphs', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(host.url);
    await page.locator('.kiosk').waitFor();
    // The same font files, loaded as the font's own metrics describe them.
    await page.evaluate(async () => {
      const rules = [...document.styleSheets]
        .flatMap((s) => [...s.cssRules])
        .filter((r): r is CSSFontFaceRule => r instanceof CSSFontFaceRule);
      for (const r of rules) {
        const url = /url\("?([^")]+)"?\)/.exec(r.style.getPropertyValue('src'))![1]!;
        const face = new FontFace(
          'BIZ UDPGothic as shipped',
          `url(${new URL(url, r.parentStyleSheet!.href!).href})`,
          { weight: r.style.getPropertyValue('font-weight') },
        );
        document.fonts.add(await face.load());
      }
    });
    const latinAndJapanese = SAMPLES.filter((s) => s.lang === 'en' || s.lang === 'ja');
    const raw = await clipped(
      page,
      latinAndJapanese,
      ['<div class="screen-body"><p class="tight">@</p></div>'],
      'margin:0;line-height:normal;font:700 28.8px "BIZ UDPGothic as shipped"',
    );
    expect(raw.filter((f) => f.includes('below the line box')).length).toBeGreaterThan(0);
    const short = await clipped(page, SAMPLES, ['<p class="tight">@</p>'], 'line-height:0.7;overflow:hidden');
    expect(short.filter((f) => f.includes('below the line box')).length).toBe(SAMPLES.length);
    expect(short.some((f) => f.includes('clipped by p.'))).toBe(true);
  }, 60_000);
});
