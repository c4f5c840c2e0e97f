import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserForTests, testPage, launchForTests } from '../helpers/browser.js';
import { cli, makeProject } from '../helpers/fs.js';
import { serveFolder } from '../helpers/static-server.js';

// A brand template as a user writes one: its own logo with a variant for dark fills, built,
// printed and looked at.
const browserPath = browserForTests('template brand tests');

const circle = (fill: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="${fill}"/></svg>`;

/** The colour at a point of a PDF page (fractions of its width and height), rendered at 40 dpi. */
function pixel(pdf: string, page: number, fx: number, fy: number): [number, number, number] {
  const ppm = spawnSync('pdftoppm', ['-r', '40', '-f', String(page), '-l', String(page), pdf], {
    maxBuffer: 1 << 26,
  }).stdout as Buffer;
  const [, w, h] = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!.map(Number) as number[];
  const start = ppm.length - w! * h! * 3;
  const at = start + (Math.round(fy * h!) * w! + Math.round(fx * w!)) * 3;
  return [ppm[at]!, ppm[at + 1]!, ppm[at + 2]!];
}

describe.skipIf(!browserPath)('a template that carries its brand', () => {
  it('shows its own logo on every slide, its variant on section fills; a one-colour logo stays visible there', async () => {
    const dir = makeProject({
      'templates/brand/template.yaml':
        'name: brand\nextends: default\nlogo:\n  src: assets/logo.svg\n  onDark: assets/logo-white.svg\n',
      'templates/brand/assets/logo.svg': circle('#0b6e6e'),
      'templates/brand/assets/logo-white.svg': circle('#ffffff'),
      'decks/b.md': '---\ntitle: Brand\ntemplate: brand\n---\n\n# Part one\n\n## A slide\n\ntext\n',
      'decks/d.md': '---\ntitle: Deck logo\ntheme:\n  logo: mark.svg\n---\n\n# Part one\n\n## A slide\n\ntext\n',
      'decks/mark.svg': circle('#0b6e6e'),
    });
    const run = await cli(['build'], dir);
    expect(run.code, run.stderr).toBe(0);
    // The logo's corner: top right (right: 0.6em, top: 0.4em, 1.6em tall at 34 px on 1280 × 720).
    const corner = (deck: string, page: number) => pixel(join(dir, `dist/${deck}/${deck}.pdf`), page, 0.963, 0.055);
    // On a plain slide the template's logo, teal; on the section's teal fill its white variant.
    expect(corner('b', 3)).toEqual([11, 110, 110].map((c) => expect.closeTo(c, -1.2)) as never);
    expect(corner('b', 2).every((c) => c > 240)).toBe(true);
    // A deck's one-colour logo with no variant is drawn white on the fill, not lost in it.
    expect(corner('d', 2).every((c) => c > 240)).toBe(true);
    expect(corner('d', 3)[0]).toBeLessThan(60);
  });

  it('refuses a logo that is not one of its assets, at its manifest', async () => {
    const dir = makeProject({
      'templates/brand/template.yaml': 'name: brand\nextends: default\nlogo: ../secret.svg\n',
      'decks/b.md': '---\ntemplate: brand\n---\n\n## A\n',
    });
    const run = await cli(['build', '--no-pdf'], dir);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(
      /template\.yaml:1:1: error\[TEMPLATE_MANIFEST\]: logo "\.\.\/secret\.svg" is not a file of the template's assets\/ folder/,
    );
  });

  it('sets the statement and the closing line in the heading font', async () => {
    const dir = makeProject({
      'decks/s.md':
        '---\ntitle: S\ntheme:\n  headingFont: "Georgia, serif"\n---\n\n## Say one thing\n\n<!-- layout: statement -->\n\n## Thank you\n\n<!-- layout: closing -->\n',
    });
    expect((await cli(['build', '--no-pdf'], dir)).code).toBe(0);
    const server = await serveFolder(dir);
    const browser = await launchForTests(browserPath!);
    try {
      const page = await testPage(browser);
      await page.goto(`${server.url}/dist/s/index.html`, { waitUntil: 'load' });
      await page.waitForFunction(() => (window as any).Reveal?.isReady());
      const fonts = await page.evaluate(() =>
        ['.statement', '.closing-title'].map((s) => getComputedStyle(document.querySelector(s)!).fontFamily),
      );
      expect(fonts).toEqual(['Georgia, serif', 'Georgia, serif']);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});

describe('a typo in a template field', () => {
  it('names the misspelt field, not the part of the path a slide partial reads from the slide', async () => {
    const dir = makeProject({
      'templates/mine/template.yaml': 'name: mine\nextends: default\n',
      'templates/mine/partials/footer.hbs': '<footer>{{chrome.foter}}</footer>\n',
      'decks/a.md': '---\ntemplate: mine\n---\n\n## A\n',
    });
    const run = await cli(['build', '--no-pdf'], dir);
    expect(run.stderr).toContain('unknown field "foter" in {{chrome.foter}} (did you mean "footer"?)');
    expect(run.stderr).toContain('fields here: footer, header, paginate');
  });
});
