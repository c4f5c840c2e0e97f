import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchedBrowser } from '../../src/browser/launch.js';
import { browserForTests, testPage, launchForTests } from '../helpers/browser.js';
import { cli, makeProject } from '../helpers/fs.js';
import { readPdf } from '../helpers/pdf.js';
import { serveFolder } from '../helpers/static-server.js';
import { tempDir } from '../helpers/temp.js';

const browserPath = browserForTests('rich content tests');

/**
 * A project built with the CLI, served over HTTP and a browser to open it in, for one describe
 * block: made before its tests, closed after them. `mustBuild` fails the block on a failed build.
 */
function builtProject(files: Record<string, string | Buffer>, args: string[], mustBuild = false) {
  const project = {} as {
    dir: string;
    build: Awaited<ReturnType<typeof cli>>;
    server: Awaited<ReturnType<typeof serveFolder>>;
    browser: LaunchedBrowser;
  };
  beforeAll(async () => {
    project.dir = makeProject(files);
    project.build = await cli(args, project.dir);
    if (mustBuild) expect(project.build.code, project.build.stderr).toBe(0);
    project.server = await serveFolder(join(project.dir, 'dist'));
    project.browser = await launchForTests(browserPath!);
  });
  afterAll(async () => {
    await project.browser?.close();
    await project.server?.close();
  });
  return project;
}

/** A technical talk as its speaker writes it: formulas, footnotes, prices that are no math. */
const talk = `---
title: Scaling laws, briefly
date: 2026-03-01
---

## Loss falls as a power law

The fitted curve is $L(N) = (N_c / N)^{\\alpha_N}$ with $\\alpha_N \\approx 0.076$[^kaplan].

$$
\\hat{\\theta} = \\arg\\min_\\theta \\sum_{i=1}^{n} \\ell(f_\\theta(x_i), y_i)
$$

A run costs $5 and a cluster $10 an hour: those dollars stay text[^cost].

[^kaplan]: Fitted on language models; the exponent is an example.
[^cost]: Prices are made up.

Note: Explain $N$ as the parameter count.

## Second slide

Another note[^one] here.

[^one]: Numbered from one again.
`;

describe.skipIf(!browserPath)('rich content in Chromium and the PDF', () => {
  const project = builtProject({ 'decks/talk.md': talk }, ['build', '--quiet']);

  async function open(url: string): Promise<{ page: Page; failed: string[]; requests: string[] }> {
    const page = await testPage(project.browser);
    const failed: string[] = [];
    const requests: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    page.on('request', (r) => requests.push(r.url()));
    await page.setViewport({ width: 1280, height: 720 });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as any).Reveal?.isReady());
    await page.evaluate(() => document.fonts.ready);
    return { page, failed, requests };
  }

  it('builds without a warning and ships KaTeX’s stylesheet with only the fonts used', () => {
    expect(project.build.code, project.build.stderr).toBe(0);
    expect(project.build.stderr).toBe('');
    const fonts = readdirSync(join(project.dir, 'dist/talk/_lectern/katex/fonts')).sort();
    expect(fonts).toEqual(['KaTeX_Main-Regular.woff2', 'KaTeX_Math-Italic.woff2', 'KaTeX_Size2-Regular.woff2']);
    const html = readFileSync(join(project.dir, 'dist/talk/index.html'), 'utf8');
    expect(html).toContain('<link rel="stylesheet" href="_lectern/katex/katex.min.css">');
    // No script sets the math: it is in the page as HTML and MathML already.
    expect(html).not.toMatch(/<script[^>]*(katex|mathjax)/i);
  });

  it('draws the formulas with KaTeX’s fonts, loads nothing else, and asks for no file it lacks', async () => {
    const { page, failed, requests } = await open(`${project.server.url}/talk/index.html#/1`);
    try {
      expect(failed).toEqual([]);
      expect(requests.every((u) => u.startsWith(`${project.server.url}/talk/`) || u.startsWith('data:'))).toBe(true);
      const seen = await page.evaluate(() => {
        const slide = (window as any).Reveal.getCurrentSlide() as HTMLElement;
        const display = slide.querySelector('.katex-display') as HTMLElement;
        return {
          math: slide.querySelectorAll('math').length,
          annotations: [...slide.querySelectorAll('annotation')].map((a) => a.textContent),
          mathFont: getComputedStyle(slide.querySelector('.mathnormal')!).fontFamily,
          loaded: [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family.replace(/"/g, '')),
          displayWidth: display.getBoundingClientRect().width,
          displayHeight: display.getBoundingClientRect().height,
        };
      });
      // Two inline formulas, one display formula, and the one in the notes.
      expect(seen.math).toBe(4);
      expect(seen.annotations[0]).toBe('L(N) = (N_c / N)^{\\alpha_N}');
      expect(seen.mathFont).toContain('KaTeX_Math');
      expect(seen.loaded).toEqual(expect.arrayContaining(['KaTeX_Main', 'KaTeX_Math']));
      expect(seen.displayHeight).toBeGreaterThan(30);
      expect(seen.displayWidth).toBeGreaterThan(200);
    } finally {
      await page.close();
    }
  });

  it('shows footnotes at the foot of their slide, numbered per slide, linked both ways, on the same slide', async () => {
    const { page } = await open(`${project.server.url}/talk/index.html#/1`);
    try {
      const feet = await page.evaluate(() => {
        const slide = (window as any).Reveal.getCurrentSlide() as HTMLElement;
        const notes = slide.querySelector('.footnotes') as HTMLElement;
        const box = slide.getBoundingClientRect();
        const foot = notes.getBoundingClientRect();
        const refs = [...slide.querySelectorAll('sup.footnote-ref a')] as HTMLAnchorElement[];
        return {
          refs: refs.map((a) => a.textContent),
          targets: refs.map((a) => !!document.getElementById(a.hash.slice(1))),
          backs: [...notes.querySelectorAll('a.footnote-back')].map(
            (a) => document.getElementById((a as HTMLAnchorElement).hash.slice(1))?.textContent,
          ),
          items: [...notes.querySelectorAll('li')].map((li) => li.textContent!.replace(/\s*\u21a9\ufe0e?$/, '')),
          bottomGap: (box.bottom - foot.bottom) / (window as any).Reveal.getScale(),
          belowBody: foot.top >= (slide.querySelector('.slide-body') as HTMLElement).getBoundingClientRect().bottom - 1,
        };
      });
      expect(feet.refs).toEqual(['1', '2']);
      expect(feet.targets).toEqual([true, true]);
      expect(feet.backs).toEqual(['1', '2']);
      expect(feet.items).toEqual(['Fitted on language models; the exponent is an example.', 'Prices are made up.']);
      expect(feet.bottomGap).toBeGreaterThanOrEqual(0);
      expect(feet.bottomGap).toBeLessThan(40);
      expect(feet.belowBody).toBe(true);
      // Following a footnote link stays on the slide.
      await page.click('sup.footnote-ref a');
      await new Promise((r) => setTimeout(r, 100));
      expect(await page.evaluate(() => (window as any).Reveal.getIndices().h)).toBe(1);
      await page.evaluate(() => (window as any).Reveal.slide(2));
      expect(
        await page.evaluate(() => (window as any).Reveal.getCurrentSlide().querySelector('.footnotes li').id),
      ).toMatch(/-fn-1$/);
    } finally {
      await page.close();
    }
  });

  it('prints formulas and footnotes into the PDF', async () => {
    const pdf = await readPdf(join(project.dir, 'dist/talk/talk.pdf'));
    expect(pdf.pages).toBe(3);
    expect(pdf.text[1]).toContain('Prices are made up.');
    expect(pdf.text[1]).toContain('A run costs $5 and a cluster $10 an hour');
    expect(pdf.text[2]).toContain('Numbered from one again.');
    expect(existsSync(join(project.dir, 'dist/talk/thumbnail.png'))).toBe(true);
  });
});

/** Fenced code with line steps as reveal.js users write them. */
const fences = [
  '```js [1|2-3|5]\nfunction add(a, b) {\n  const sum = a + b;\n  return sum;\n}\nadd(1, 2);\n```',
  '```js [2,4]\na\nb\nc\nd\n```',
  '```python [1-2|3|1,3]\nx = 1\ny = 2\nprint(x + y)\n```',
  '```js [10: 1|2]\nfirst();\nsecond();\n```',
  '```sh []\nnpm run setup\nnpm test\n```',
];

describe.skipIf(!browserPath)('code line steps against reveal.js’s own highlight plugin', () => {
  let browser: LaunchedBrowser;
  let server: Awaited<ReturnType<typeof serveFolder>>;

  beforeAll(async () => {
    // reveal.js with its Markdown and highlight plugins, reading the same fences in the browser.
    const root = tempDir('reveal-steps');
    const dist = join(dirname(createRequire(import.meta.url).resolve('reveal.js')), '..', 'dist');
    cpSync(dist, join(root, 'reveal'), { recursive: true });
    writeFileSync(
      join(root, 'index.html'),
      `<!doctype html><html><head><link rel="stylesheet" href="reveal/reveal.css"></head><body>
<div class="reveal"><div class="slides"><section data-markdown data-separator="^---$"><textarea data-template>
${fences.join('\n\n---\n\n')}
</textarea></section></div></div>
<script src="reveal/reveal.js"></script><script src="reveal/plugin/markdown.js"></script><script src="reveal/plugin/highlight.js"></script>
<script>Reveal.initialize({ hash: true, plugins: [RevealMarkdown, RevealHighlight] });</script></body></html>`,
    );
    const dir = makeProject({ 'decks/steps.md': `## Steps\n\n${fences.join('\n\n---\n\n')}\n` });
    const built = await cli(['build', '--no-pdf', '--quiet'], dir);
    expect(built.code, built.stderr).toBe(0);
    cpSync(join(dir, 'dist', 'steps'), join(root, 'lectern'), { recursive: true });
    server = await serveFolder(root);
    browser = await launchForTests(browserPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Per slide, per step: the first line number shown and the numbers of the lit lines. */
  async function stepsIn(url: string, kind: 'reveal' | 'lectern'): Promise<[string, number[]][][]> {
    const page = await testPage(browser);
    try {
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForFunction(() => (window as any).Reveal?.isReady());
      return await page.evaluate((which) => {
        const slides = [
          ...document.querySelectorAll('.reveal .slides > section, .reveal .slides > section > section'),
        ].filter((s) => s.querySelector('pre'));
        return slides.map((slide) =>
          [...slide.querySelectorAll('pre code')].map((code): [string, number[]] => {
            const rows = which === 'reveal' ? [...code.querySelectorAll('tr')] : [...code.querySelectorAll('.line')];
            const first =
              which === 'reveal'
                ? (rows[0]?.querySelector('[data-line-number]')?.getAttribute('data-line-number') ?? '')
                : (rows[0]?.querySelector('.ln')?.textContent ?? '');
            return [first, rows.flatMap((row, i) => (row.classList.contains('highlight-line') ? [i + 1] : []))];
          }),
        );
      }, kind);
    } finally {
      await page.close();
    }
  }

  it('light the same lines at every step, numbered from the same line', async () => {
    const theirs = await stepsIn(`${server.url}/index.html`, 'reveal');
    const mine = await stepsIn(`${server.url}/lectern/index.html`, 'lectern');
    expect(theirs.length).toBe(fences.length);
    expect(theirs.flat().length).toBe(10);
    expect(mine).toEqual(theirs);
  });

  it('show one step at a time: each fragment takes the place of the one before', async () => {
    const page = await testPage(browser);
    try {
      await page.setViewport({ width: 1280, height: 720 });
      await page.goto(`${server.url}/lectern/index.html#/0`, { waitUntil: 'load' });
      await page.waitForFunction(() => (window as any).Reveal?.isReady());
      const shown = async () =>
        page.evaluate(() => {
          const codes = [...(window as any).Reveal.getCurrentSlide().querySelectorAll('pre code')] as HTMLElement[];
          const boxes = codes.map((c) => c.getBoundingClientRect().top);
          return {
            visible: codes.flatMap((c, i) =>
              getComputedStyle(c).visibility === 'visible' && Number(getComputedStyle(c).opacity) > 0 ? [i] : [],
            ),
            samePlace: boxes.every((top) => Math.abs(top - boxes[0]!) < 1),
          };
        });
      expect(await shown()).toEqual({ visible: [0], samePlace: true });
      await page.evaluate(() => (window as any).Reveal.next());
      expect((await shown()).visible).toEqual([1]);
      await page.evaluate(() => (window as any).Reveal.next());
      expect((await shown()).visible).toEqual([2]);
    } finally {
      await page.close();
    }
  });
});

// A one-pixel PNG and the smallest JPEG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

const layoutDeck = `## Three columns

- One

<!-- column -->

- Two

<!-- column -->

- Three

## Widths

<!-- column: 60% -->

The wide column.

<!-- column: 40% -->

![A chart](chart.png)

## A screenshot

![The settings screen](screen.png)

## A photograph

![The hall](hall.jpg)

## Chosen

![The hall, whole](hall.jpg){.contain}
`;

describe.skipIf(!browserPath)('columns and images in Chromium', () => {
  const project = builtProject(
    { 'decks/layout.md': layoutDeck, 'decks/chart.png': PNG, 'decks/screen.png': PNG, 'decks/hall.jpg': JPEG },
    ['build', '--no-pdf', '--quiet'],
    true,
  );

  it('puts every column side by side at its share of the width, and a picture whole across its column', async () => {
    const page = await testPage(project.browser);
    try {
      await page.setViewport({ width: 1280, height: 720 });
      await page.goto(`${project.server.url}/layout/index.html`, { waitUntil: 'load' });
      await page.waitForFunction(() => (window as any).Reveal?.isReady());
      const measure = (h: number) =>
        page.evaluate((index) => {
          const R = (window as any).Reveal;
          R.slide(index);
          const scale = R.getScale();
          return [...R.getCurrentSlide().querySelectorAll('.columns > .column')].map((c: Element) => {
            const r = c.getBoundingClientRect();
            const img = c.querySelector('img')?.getBoundingClientRect();
            return { top: r.top, width: r.width / scale, img: img ? img.width / scale : null };
          });
        }, h);
      const three = await measure(0);
      expect(three.length).toBe(3);
      expect(new Set(three.map((c) => Math.round(c.top))).size).toBe(1);
      expect(Math.abs(three[0]!.width - three[2]!.width)).toBeLessThan(1);
      const widths = await measure(1);
      expect(widths[0]!.width / widths[1]!.width).toBeCloseTo(1.5, 1);
      expect(widths[1]!.img).toBeCloseTo(widths[1]!.width, 0);
    } finally {
      await page.close();
    }
  });

  it('shows a screenshot whole and fills the slide with a photograph, unless the deck says otherwise', async () => {
    const page = await testPage(project.browser);
    try {
      await page.goto(`${project.server.url}/layout/index.html`, { waitUntil: 'load' });
      await page.waitForFunction(() => (window as any).Reveal?.isReady());
      const fits = await page.evaluate(() =>
        [2, 3, 4].map((h) => {
          (window as any).Reveal.slide(h);
          const slide = (window as any).Reveal.getCurrentSlide() as HTMLElement;
          return [slide.dataset.layout, getComputedStyle(slide.querySelector('img')!).objectFit];
        }),
      );
      expect(fits).toEqual([
        ['image', 'contain'],
        ['image', 'cover'],
        ['image', 'contain'],
      ]);
    } finally {
      await page.close();
    }
  });
});

describe.skipIf(!browserPath)('right-to-left decks', () => {
  const project = builtProject(
    {
      'decks/ar.md':
        '---\ntitle: النماذج المفتوحة\nlang: ar\n---\n\n## لماذا الانفتاح\n\n- يمكن لأي شخص تشغيل النموذج\n- الشفافية تبني الثقة\n\n```js\nconst open = true;\n```\n',
      'decks/en.md': '---\ntitle: Open models\n---\n\n## Why open\n\n- Anyone can run it\n',
    },
    ['build', '--no-pdf', '--quiet'],
    true,
  );

  it('read right to left from the slide’s right edge, on screen and in the print layout, code left to right', async () => {
    const page = await testPage(project.browser);
    try {
      await page.setViewport({ width: 1280, height: 720 });
      for (const query of ['', '?print-pdf']) {
        await page.goto(`${project.server.url}/ar/index.html${query}#/1`, { waitUntil: 'load' });
        await page.waitForFunction(() => (window as any).Reveal?.isReady());
        // The print layout puts each slide on a page of its own once Reveal.js is ready.
        if (query) await page.waitForFunction(() => document.querySelectorAll('.pdf-page').length >= 2);
        const seen = await page.evaluate(() => {
          const section = document.querySelectorAll<HTMLElement>('.slides section[data-lectern-slide]')[1]!;
          const s = section.getBoundingClientRect();
          const ul = section.querySelector('ul')!.getBoundingClientRect();
          const li = section.querySelector('li')!;
          const range = document.createRange();
          range.selectNodeContents(li);
          const text = range.getBoundingClientRect();
          return {
            dir: section.getAttribute('dir'),
            direction: getComputedStyle(li).direction,
            code: getComputedStyle(section.querySelector('pre')!).direction,
            // Text hugs the right edge, far from the left one.
            fromRight: s.right - text.right,
            fromLeft: text.left - s.left,
            ulInside: ul.right <= s.right + 1,
          };
        });
        expect(seen.dir, query).toBe('rtl');
        expect(seen.direction).toBe('rtl');
        expect(seen.code).toBe('ltr');
        expect(seen.fromRight, query).toBeLessThan(90);
        expect(seen.fromLeft, query).toBeGreaterThan(400);
        expect(seen.ulInside).toBe(true);
      }
      // Reveal.js mirrors its navigation; a left-to-right deck is untouched.
      expect(await page.evaluate(() => (window as any).Reveal.getConfig().rtl)).toBe(true);
      await page.goto(`${project.server.url}/en/index.html#/1`, { waitUntil: 'load' });
      await page.waitForFunction(() => (window as any).Reveal?.isReady());
      expect(await page.evaluate(() => (window as any).Reveal.getConfig().rtl)).toBe(false);
      expect(await page.evaluate(() => document.querySelectorAll('[dir]').length)).toBe(0);
    } finally {
      await page.close();
    }
  });
});

/** Slides a little too full, and one far too full, as speakers write them the night before. */
const fullDeck = `---
fit: shrink
---

## Slightly too full

${Array.from({ length: 14 }, (_, i) => `- Point ${i + 1}: a line of text that says something worth saying`).join('\n')}

## Fits as it is

- One short point

## Far too full

${Array.from({ length: 40 }, (_, i) => `- Point ${i + 1} that goes on and on`).join('\n')}

## Left alone

<!-- fit: none -->

${Array.from({ length: 14 }, (_, i) => `- Point ${i + 1}: a line of text that says something worth saying`).join('\n')}
`;

describe.skipIf(!browserPath)('fit: shrink', () => {
  const project = builtProject({ 'decks/full.md': fullDeck }, ['build']);

  it('scales an overflowing slide down until it fits, on screen, and leaves the others', async () => {
    const page = await testPage(project.browser);
    try {
      await page.setViewport({ width: 1280, height: 720 });
      await page.goto(`${project.server.url}/full/index.html`, { waitUntil: 'load' });
      await page.waitForFunction(() => (window as any).Reveal?.isReady());
      await page.evaluate(() => document.fonts.ready);
      const seen = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('section[data-lectern-slide]')].map((s, i) => {
          (window as any).Reveal.slide(i);
          const last = [...s.querySelectorAll('li')].at(-1)!.getBoundingClientRect();
          const box = s.getBoundingClientRect();
          return { scale: s.dataset.lecternFitScale ?? null, inside: last.bottom <= box.bottom + 1 };
        }),
      );
      expect(Number(seen[0]!.scale)).toBeGreaterThan(0.7);
      expect(Number(seen[0]!.scale)).toBeLessThan(1);
      expect(seen[0]!.inside).toBe(true);
      expect(seen[1]!.scale).toBe('1');
      expect(Number(seen[2]!.scale)).toBeLessThan(0.7);
      expect(seen[3]!.scale).toBeNull();
      expect(seen[3]!.inside).toBe(false);
    } finally {
      await page.close();
    }
  });

  it('prints the shrunk slides whole, and the check reports the one shrunk below its limit', async () => {
    expect(project.build.code, project.build.stderr).toBe(0);
    // Only the slide left alone is cut off in the PDF.
    const overflow = `${project.build.stdout}${project.build.stderr}`
      .split('\n')
      .filter((l) => l.includes('SLIDE_OVERFLOW'));
    expect(overflow.length).toBe(1);
    expect(overflow[0]).toContain('slide 4 "Left alone"');
    const pdf = await readPdf(join(project.dir, 'dist/full/full.pdf'));
    expect(pdf.pages).toBe(4);
    expect(pdf.text[0]).toContain('Point 14: a line of text');
    expect(pdf.text[2]).toContain('Point 40 that goes on and on');
    const check = await cli(['check'], project.dir);
    const lines = `${check.stdout}${check.stderr}`.split('\n');
    const shrunk = lines.filter((l) => l.includes('SLIDE_SHRUNK'));
    expect(shrunk.length).toBe(1);
    expect(shrunk[0]).toMatch(
      /^decks\/full\.md:\d+:1: warning\[SLIDE_SHRUNK\]: slide 3 "Far too full" is shrunk to \d+% of its size to fit \(the limit is 70%\)$/,
    );
    expect(lines.filter((l) => l.includes('SLIDE_OVERFLOW')).length).toBe(1);
  });
});
