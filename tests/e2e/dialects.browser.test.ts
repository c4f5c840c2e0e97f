import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchedBrowser } from '../../src/browser/launch.js';
import { buildAll } from '../../src/pipeline/build.js';
import type { PreparedDeck } from '../../src/pipeline/prepare-deck.js';
import { browserForTests, testPage, launchForTests } from '../helpers/browser.js';
import { readPdf } from '../helpers/pdf.js';
import { serveFolder } from '../helpers/static-server.js';
import { corpus, corpusDir } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';

// Every deck of the dialect corpus, built by the real CLI pipeline and opened in real Chromium.
const browserPath = browserForTests('dialect corpus browser tests');
const folders = ['reveal-md', 'reveal-md/json-config', 'revealjs-plugin', 'pandoc', 'quarto', 'marp', 'slidev'];

describe.skipIf(!browserPath)('decks written for other tools, in Chromium', () => {
  let browser: LaunchedBrowser;
  let decks: PreparedDeck[];
  let server: Awaited<ReturnType<typeof serveFolder>>;
  let project: string;

  beforeAll(async () => {
    project = tempDir('dialects');
    cpSync(corpusDir, project, { recursive: true });
    ({ decks } = await buildAll({ projectDir: project, inputs: folders, outDir: join(project, 'dist'), pdf: false }));
    server = await serveFolder(join(project, 'dist'));
    browser = await launchForTests(browserPath!);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('builds every corpus deck', () => {
    expect(decks.map((d) => d.deck.file).sort()).toEqual(corpus.map((c) => c.file).sort());
  });

  it.each(corpus.map((c) => [c.file] as const))(
    "%s: Reveal counts the model's slides, with no console error and no other tool's syntax on screen",
    async (file) => {
      const built = decks.find((d) => d.deck.file === file)!;
      const page = await testPage(browser);
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('requestfailed', (r) => errors.push(`failed: ${r.url()}`));
      try {
        await page.goto(`${server.url}/${built.deck.name}/index.html`, { waitUntil: 'load' });
        await page.waitForFunction(() => (window as any).Reveal?.isReady());
        const seen = await page.evaluate(() => {
          const R = (window as any).Reveal;
          const slides = document.querySelector('.reveal .slides')!.cloneNode(true) as HTMLElement;
          slides.querySelectorAll('pre, code, aside.notes').forEach((n) => {
            n.remove();
          });
          return {
            total: R.getTotalSlides(),
            horizontal: R.getHorizontalSlides().length,
            text: slides.textContent ?? '',
          };
        });
        expect(errors).toEqual([]);
        expect(seen.total).toBe(built.deck.slideCount);
        expect(seen.horizontal).toBe(built.deck.stacks.length);
        expect(seen.text).not.toMatch(/(^|\n)\s*:::|\. \. \.\s*\n|\]\{[.#]|!\[bg\b|\{\{<|<!--/);
      } finally {
        await page.close();
      }
    },
  );

  it('prints one PDF page per slide, for a deck of each tool', async () => {
    const sample = [
      'reveal-md/vertical-sections.md',
      'revealjs-plugin/plugin-basic.md',
      'pandoc/sections-and-slides.md',
      'quarto/open-models-overview.qmd',
      'marp/marp-images.md',
      'reveal-md/hard-raw-section.md',
    ];
    const out = join(project, 'pdf-out');
    const result = await buildAll({
      projectDir: project,
      inputs: sample,
      outDir: out,
      browser: { browserPath: browserPath! },
    });
    expect(result.pdfs).toHaveLength(sample.length);
    for (const pdf of result.pdfs) {
      const deck = result.decks.find((d) => d.deck.name === pdf.name)!.deck;
      expect((await readPdf(pdf.path)).pages, pdf.name).toBe(deck.slideCount);
    }
  }, 120_000);

  it('prints one page per fragment step with --pdf-fragments: Pandoc pauses and incremental lists, Marp lists, reveal.js fragments', async () => {
    const sample = [
      'pandoc/safety-debate-incremental.md',
      'marp/marp-fragment-lists-rules.md',
      'reveal-md/fragments-cost-of-openness.md',
    ];
    const out = join(project, 'pdf-steps');
    const result = await buildAll({
      projectDir: project,
      inputs: sample,
      outDir: out,
      browser: { browserPath: browserPath! },
      pdf: { fragments: true },
    });
    // The step-by-step PDF, printed beside each deck's own.
    const steps = result.pdfs.filter((p) => p.path.endsWith('-fragments.pdf'));
    expect(steps.length).toBe(sample.length);
    for (const pdf of steps) {
      const slides = result.decks.find((d) => d.deck.name === pdf.name)!.deck.stacks.flatMap((s) => s.slides);
      expect(
        slides.some((s) => s.fragments > 0),
        pdf.name,
      ).toBe(true);
      expect((await readPdf(pdf.path)).pages, pdf.name).toBe(slides.reduce((n, s) => n + s.fragments + 1, 0));
    }
  }, 120_000);
});
