import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchedBrowser } from '../../src/browser/launch.js';
import { buildAll } from '../../src/pipeline/build.js';
import { listTemplates } from '../../src/render/load-template.js';
import { repoRoot } from '../helpers/fs.js';
import { browserForTests, testPage, launchForTests } from '../helpers/browser.js';
import { tempDir } from '../helpers/temp.js';

// Every built-in template renders every layout in real Chromium: no console errors, nothing
// overflowing its slide. A screenshot of each goes to test-results/templates/ for review.
const browserPath = browserForTests('template browser tests');

const fixture = join(repoRoot, 'tests', 'fixtures', 'layouts', 'every-layout.md');
const shots = join(repoRoot, 'test-results', 'templates');
const templates = listTemplates({ projectDir: repoRoot }).map((t) => t.name);
const layouts = ['title', 'section', 'bullets', 'quote', 'two-column', 'image', 'code', 'statement', 'closing'];

const viewports: [number, number][] = [
  [1280, 720],
  [1024, 768],
];

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Overlapping area of two boxes, in square pixels. */
function overlap(a: Box, b: Box): number {
  const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? w * h : 0;
}

/** In the page: the shown slide's layout and overflow, Reveal's visible arrows and slide number, and the slide's bottom line. */
function cornerBoxes() {
  const box = (e: Element) => {
    const r = e.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  };
  const shown = (e: Element) => {
    const style = getComputedStyle(e);
    const r = e.getBoundingClientRect();
    return (
      style.display !== 'none' &&
      style.visibility !== 'hidden' &&
      Number(style.opacity) > 0 &&
      r.width > 0 &&
      r.height > 0
    );
  };
  const s = (window as any).Reveal.getCurrentSlide() as HTMLElement;
  const number = document.querySelector('.reveal > .slide-number');
  const text = number?.querySelector('a') ?? number;
  const title = s.querySelector('.slide-frame > .slide-title');
  const body = s.querySelector('.slide-frame > .slide-body');
  const code = s.querySelector('pre code');
  const bodyText = s.querySelector('.slide-body li, .slide-body p');
  return {
    // In the slide's own pixels (the slide is scaled to the window): where its title and body are, and its type sizes.
    place:
      title && body
        ? {
            scale: s.getBoundingClientRect().height / s.offsetHeight,
            top: s.getBoundingClientRect().top,
            bottom: s.getBoundingClientRect().bottom,
            titleBottom: title.getBoundingClientRect().bottom,
            body: box(body),
          }
        : null,
    codePx: code ? Number.parseFloat(getComputedStyle(code).fontSize) : null,
    textPx: bodyText ? Number.parseFloat(getComputedStyle(bodyText).fontSize) : null,
    layout: s.dataset.layout,
    over: Math.max(s.scrollHeight - s.clientHeight, s.scrollWidth - s.clientWidth),
    // Enabled arrows fade in: where they will be, whatever their opacity now.
    arrows: [...document.querySelectorAll('.reveal .controls button.enabled')].map(box),
    number: number && shown(number) ? box(number) : null,
    numberUnderlined: text ? getComputedStyle(text).textDecorationLine.includes('underline') : false,
    chrome: [...s.querySelectorAll('.caption, .slide-footer, .footnotes, .slide-page')]
      .filter(shown)
      .map((e) => [e.className, box(e)] as [string, ReturnType<typeof box>]),
  };
}

describe.skipIf(!browserPath)('built-in templates in Chromium', () => {
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    browser = await launchForTests(browserPath!);
  });
  afterAll(async () => browser?.close());

  it.each(templates)('%s renders every layout without errors or overflow', async (template) => {
    const out = tempDir(`tpl-${template}`);
    const { decks } = await buildAll({
      projectDir: repoRoot,
      inputs: [fixture],
      outDir: out,
      flags: { template },
      pdf: false,
    });
    const slides = decks[0]!.deck.stacks.flatMap((s) => s.slides);
    expect(slides.map((s) => s.layout).sort()).toEqual([...layouts].sort());

    const page = await testPage(browser);
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      mkdirSync(join(shots, template), { recursive: true });
      // A laptop's 16:9 and a projector's 4:3, where the 16:9 slide is letterboxed.
      for (const [width, height] of viewports) {
        await page.setViewport({ width, height });
        await page.goto(`file://${join(out, 'every-layout', 'index.html')}`, { waitUntil: 'load' });
        await page.waitForFunction(() => (window as any).Reveal?.isReady());
        await page.evaluate(() => {
          (window as any).Reveal.configure({ transition: 'none', backgroundTransition: 'none', fragments: false });
          return document.fonts.ready.then(() => undefined);
        });
        for (const slide of slides) {
          await page.evaluate((h, v) => (window as any).Reveal.slide(h, v), slide.h, slide.v);
          const seen = await page.evaluate(cornerBoxes);
          expect(seen.layout).toBe(slide.layout);
          expect(seen.over, `${template}/${slide.layout} overflows by ${seen.over}px`).toBeLessThanOrEqual(1);
          expect(seen.arrows.length, 'the slide has arrows to show').toBeGreaterThan(0);
          expect(seen.number, 'the slide number is shown').not.toBeNull();
          // Reveal's arrows and the slide number cover nothing of the slide's own bottom line.
          for (const [name, box] of [
            ...seen.arrows.map((a) => ['an arrow', a] as const),
            ['the slide number', seen.number!] as const,
          ]) {
            for (const [what, other] of seen.chrome) {
              expect(
                overlap(box, other),
                `${template}/${slide.layout} at ${width}x${height}: ${name} over ${what}`,
              ).toBe(0);
            }
          }
          // Nor do the caption bar, the footer and footnotes cover each other.
          seen.chrome.forEach(([what, box], i) => {
            for (const [other, second] of seen.chrome.slice(i + 1)) {
              expect(
                overlap(box, second),
                `${template}/${slide.layout} at ${width}x${height}: ${what} over ${other}`,
              ).toBe(0);
            }
          });
          for (const arrow of seen.arrows) {
            expect(
              overlap(arrow, seen.number!),
              `${template}/${slide.layout} at ${width}x${height}: an arrow over the number`,
            ).toBe(0);
          }
          expect(seen.numberUnderlined, 'the slide number is not underlined as a link').toBe(false);
          // Read from the back of a room: body text and code at least this big on the slide.
          if (seen.textPx !== null) expect(seen.textPx, `${template}/${slide.layout} text`).toBeGreaterThanOrEqual(28);
          if (seen.codePx !== null) expect(seen.codePx, `${template}/${slide.layout} code`).toBeGreaterThanOrEqual(22);
          // The body in the middle of the room under the title, not hanging under it (handout: under it, as a page).
          if (seen.place) {
            const { top, bottom, titleBottom, body } = seen.place;
            const room = bottom - titleBottom;
            const middle = (body.top + body.bottom) / 2 - titleBottom;
            const where = `${template}/${slide.layout} at ${width}x${height}: body centre at ${Math.round((100 * middle) / room)}% of the room under the title`;
            if (template === 'handout') expect(body.top - titleBottom, where).toBeLessThan(0.1 * (bottom - top));
            else expect(Math.abs(middle / room - 0.5), where).toBeLessThan(0.1);
          }
          writeFileSync(join(shots, template, `${slide.layout}-${width}x${height}.png`), await page.screenshot());
        }
      }
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
