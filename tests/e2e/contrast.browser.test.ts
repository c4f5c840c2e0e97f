import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchedBrowser } from '../../src/browser/launch.js';
import { listTemplates } from '../../src/render/load-template.js';
import { hexOf, isDarkBackground, parseColor } from '../../src/render/palette.js';
import { browserForTests, testPage, launchForTests } from '../helpers/browser.js';
import { cli, makeProject, repoRoot } from '../helpers/fs.js';

const browserPath = browserForTests('contrast tests');
const templates = listTemplates({ projectDir: repoRoot })
  .filter((t) => t.origin === 'builtin')
  .map((t) => t.name);

/** No background of its own, the essay talks' two, and light, dark, named and near-white and near-black ones. */
const backgrounds = [undefined, '#eef6f6', '#0b6e6e', 'gold', 'navy', '#f4f4f4', '#222222', 'rgb(120 20 60)'];

/** Each layout with the text a speaker puts on it: sub-headings, strong words, links, code, a table, a footnote. */
const layouts: [string, (n: number) => string][] = [
  ['title', (n) => `# Title ${n}\n\n<!-- layout: title -->\n\nA subtitle line`],
  [
    'section',
    (n) => `# Section ${n}\n\nWhat the part is about, with **strong** words and a [link](#/0).\n\n### A sub-heading`,
  ],
  [
    'bullets',
    (n) =>
      `## Bullets ${n}\n\n### A sub-heading\n\n- A point with **strong** text and \`inline code\`\n- A [link](#/0) in a point[^n${n}]\n\n[^n${n}]: A footnote.`,
  ],
  ['quote', (n) => `## Quote ${n}\n\n<!-- layout: quote -->\n\n> A short quotation.\n>\n> <cite>Someone</cite>`],
  [
    'two-column',
    (n) =>
      `## Columns ${n}\n\n<!-- layout: two-column -->\n\n### Left\n\n- one **two**\n\n<!-- column -->\n\n### Right\n\n| a | b |\n|---|---|\n| 1 | 2 |`,
  ],
  ['image', (n) => `## Picture ${n}\n\n![A diagram](images/diagram.svg)`],
  ['code', (n) => `## Code ${n}\n\n\`\`\`ts\n// a comment\nexport const n: number = 42; // "text"\n\`\`\``],
  ['statement', (n) => `## Statement ${n}\n\n<!-- layout: statement -->`],
  ['closing', (n) => `## Thanks ${n}\n\n<!-- layout: closing -->\n\nQuestions, with a [link](#/0).`],
];

function contrastDeck(): string {
  const slides: string[] = [];
  for (const background of backgrounds) {
    for (const [, make] of layouts) {
      const [heading, ...rest] = make(slides.length + 1).split('\n');
      const own = background ? [``, `<!-- .slide: data-background-color="${background}" -->`] : [];
      slides.push([heading, ...own, ...rest].join('\n'));
    }
  }
  // A sub-heading under a `#` section is what speakers write; the heading-order rule would say so.
  return `---\ntitle: Contrast of every layout\nauthor: Lectern tests\ntheme:\n  footer: A footer line\nchecks:\n  heading-order: off\n---\n\n${slides.join('\n\n')}\n`;
}

describe.skipIf(!browserPath)('text contrast in every built-in template', () => {
  const dir = makeProject({
    'decks/contrast.md': contrastDeck(),
    'decks/images/diagram.svg': readFileSync(join(repoRoot, 'tests/fixtures/layouts/images/diagram.svg')),
  });

  it.each(templates)(
    '%s: every layout, with no background of its own and on light and dark ones, passes the contrast rule',
    async (template) => {
      const run = await cli(['check', '--strict', '--template', template, 'decks/contrast.md'], dir);
      const out = run.stdout + run.stderr;
      expect(out).not.toContain('COLOR_CONTRAST');
      expect(run.code, out).toBe(0);
    },
    120_000,
  );

  it('a template whose text for dark backgrounds is too dim is told so, at every slide on one, by the build and the check', async () => {
    const murky = makeProject({
      'decks/contrast.md': contrastDeck(),
      'decks/images/diagram.svg': readFileSync(join(repoRoot, 'tests/fixtures/layouts/images/diagram.svg')),
      'templates/murky/template.yaml': 'name: murky\nextends: default\n',
      'templates/murky/assets/theme.css': ':root { --lectern-dark-muted: #6b7480; }\n',
    });
    const darkSlides = layouts.length * backgrounds.filter((b) => b && isDarkBackground(parseColor(b)!)).length;
    const build = await cli(['build', '--no-pdf', '--template', 'murky'], murky);
    const said = `${build.stdout}${build.stderr}`.split('\n').filter((l) => l.includes('warning[COLOR_CONTRAST]'));
    expect(said.length).toBe(darkSlides);
    expect(said[0]).toMatch(
      /^decks\/contrast\.md:\d+:1: warning\[COLOR_CONTRAST\]: slide \d+ "[^"]+": on its dark background #0b6e6e the template's muted text for dark backgrounds, #6b7480, has contrast 1\.\d\d:1, below the 4\.5:1 WCAG AA asks for$/,
    );
    expect(build.code).toBe(0);
    // The browser's check finds the footer drawn in that colour on those slides too.
    const check = await cli(['check', '--template', 'murky', '--json'], murky);
    const found = JSON.parse(check.stdout).decks[0].findings.filter(
      (f: { code: string }) => f.code === 'COLOR_CONTRAST',
    );
    expect(found.length).toBeGreaterThan(darkSlides);
    expect(found.some((f: { message: string }) => f.message.includes('"A footer line"'))).toBe(true);
  }, 120_000);

  describe('as Reveal.js and Chromium read colours', () => {
    let browser: LaunchedBrowser;
    beforeAll(async () => {
      browser = await launchForTests(browserPath!);
    });
    afterAll(async () => browser?.close());

    it('the build calls each background dark or light as Reveal.js does, and reads colours as Chromium does', async () => {
      const build = await cli(['build', '--no-pdf', '-q', 'decks/contrast.md'], dir);
      expect(build.code, build.stderr).toBe(0);
      const page = await testPage(browser);
      try {
        await page.goto(`file://${join(dir, 'dist', 'contrast', 'index.html')}`, { waitUntil: 'load' });
        await page.waitForFunction(() => (window as any).Reveal?.isReady());
        const seen = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('.slides section[data-background-color]')].map((s) => ({
            color: s.dataset.backgroundColor!,
            dark: s.classList.contains('has-dark-background'),
            light: s.classList.contains('has-light-background'),
          })),
        );
        expect(seen.length).toBe(layouts.length * (backgrounds.length - 1));
        for (const { color, dark, light } of seen) {
          expect(dark !== light, `${color} is one of the two`).toBe(true);
          expect(isDarkBackground(parseColor(color)!), color).toBe(dark);
        }
        // Colour syntaxes a deck may write, against Chromium's own parse.
        const values = [
          'gold',
          'navy',
          'RebeccaPurple',
          '#abc',
          '#aabbccdd',
          'rgb(120 20 60)',
          'rgba(10, 20, 30, 0.5)',
        ];
        values.push('hsl(200 50% 40%)', 'hsl(20deg, 80%, 60%)', 'rgb(50% 20% 10%)', 'hsla(120, 100%, 25%, 1)');
        const chromium = await page.evaluate(
          (list) =>
            list.map((v) => {
              const probe = document.createElement('div');
              probe.style.color = v;
              document.body.append(probe);
              const got = getComputedStyle(probe).color;
              probe.remove();
              return got;
            }),
          values,
        );
        values.forEach((value, i) => {
          const [r, g, b] = chromium[i]!.match(/[\d.]+/g)!.map(Number);
          const want = hexOf({ r: r!, g: g!, b: b!, a: 1 });
          expect(hexOf(parseColor(value)!), value).toBe(want);
        });
      } finally {
        await page.close();
      }
    });
  });
});
