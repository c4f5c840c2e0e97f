import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../src/browser/launch.js';
import { buildAll } from '../../src/pipeline/build.js';
import { listTemplates } from '../../src/render/load-template.js';
import { repoRoot } from '../helpers/fs.js';
import { browserForTests, testPage } from '../helpers/browser.js';
import { tempDir } from '../helpers/temp.js';

// Every built-in template renders every layout in real Chromium: no console errors, nothing
// overflowing its slide. A screenshot of each goes to test-results/templates/ for review.
const browserPath = browserForTests('template browser tests');

const fixture = join(repoRoot, 'tests', 'fixtures', 'layouts', 'every-layout.md');
const shots = join(repoRoot, 'test-results', 'templates');
const templates = listTemplates({ projectDir: repoRoot }).map((t) => t.name);
const layouts = ['title', 'section', 'bullets', 'quote', 'two-column', 'image', 'code', 'statement', 'closing'];

describe.skipIf(!browserPath)('built-in templates in Chromium', () => {
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    browser = await launchBrowser(browserPath!);
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
      await page.setViewport({ width: 1280, height: 720 });
      await page.goto(`file://${join(out, 'every-layout', 'index.html')}`, { waitUntil: 'load' });
      await page.waitForFunction(() => (window as any).Reveal?.isReady());
      await page.evaluate(() => {
        (window as any).Reveal.configure({ transition: 'none', backgroundTransition: 'none', fragments: false });
        return document.fonts.ready.then(() => undefined);
      });
      mkdirSync(join(shots, template), { recursive: true });
      for (const slide of slides) {
        await page.evaluate((h, v) => (window as any).Reveal.slide(h, v), slide.h, slide.v);
        const size = await page.evaluate(() => {
          const s = (window as any).Reveal.getCurrentSlide() as HTMLElement;
          return {
            layout: s.dataset.layout,
            over: Math.max(s.scrollHeight - s.clientHeight, s.scrollWidth - s.clientWidth),
          };
        });
        expect(size.layout).toBe(slide.layout);
        expect(size.over, `${template}/${slide.layout} overflows by ${size.over}px`).toBeLessThanOrEqual(1);
        writeFileSync(join(shots, template, `${slide.layout}.png`), await page.screenshot());
      }
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
