import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserForTests, hasNotoFonts, testPage, launchForTests } from '../helpers/browser.js';
import { cli, makeProject } from '../helpers/fs.js';
import { readPdf } from '../helpers/pdf.js';
import { serveFolder } from '../helpers/static-server.js';

const browserPath = browserForTests('kitchen-sink tests');

/** One technical talk with every feature of rich content in it. */
const deck = `---
title: Everything at once
date: 2026-03-01
fit: shrink
---

## Math and a footnote :rocket:

Loss falls as $L \\propto N^{-\\alpha}$[^fit], and prices of $5 and $10 stay text.

$$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$$

[^fit]: Fitted over six orders of magnitude.

## A diagram

\`\`\`mermaid
flowchart LR
  A[Release] --> B[Improve] --> A
\`\`\`

## Code in steps

\`\`\`python [1|2]
load("weights")
tune("data")
\`\`\`

## Three columns

开源

<!-- column: 50% -->

Ελληνικά

<!-- column -->

עברית
`;

describe.skipIf(!browserPath)('a deck with every rich feature', () => {
  it('renders each in Chromium and the PDF, offline, with no warning', async () => {
    const dir = makeProject({ 'decks/all.md': deck });
    const run = await cli(['build'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toContain('warning[');
    const html = readFileSync(join(dir, 'dist/all/index.html'), 'utf8');
    expect(html.match(/<span class="katex-mathml"><math /g)?.length).toBe(2);
    expect(html.match(/<figure class="diagram"(?:[^>"]|"[^"]*")*><svg/g)?.length).toBe(1);
    expect(html).toContain('class="footnotes-list"');
    expect(html.match(/<code class="[^"]*\bcode-step\b/g)?.length).toBe(2);
    expect(html).toContain('\u{1F680}');
    expect(html).toContain('style="flex-grow: 50"');

    const server = await serveFolder(join(dir, 'dist'));
    const browser = await launchForTests(browserPath!);
    try {
      const page = await testPage(browser);
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.setViewport({ width: 1280, height: 720 });
      await page.goto(`${server.url}/all/index.html`, { waitUntil: 'load' });
      await page.waitForFunction(() => (window as any).Reveal?.isReady());
      await page.evaluate(() => document.fonts.ready);
      const seen = await page.evaluate(() => ({
        slides: (window as any).Reveal.getTotalSlides(),
        katexLoaded: [...document.fonts].some((f) => f.family.includes('KaTeX') && f.status === 'loaded'),
        columns: document.querySelectorAll('.columns > .column').length,
        fitted: [...document.querySelectorAll('section[data-fit]')].length,
      }));
      expect(seen).toEqual({ slides: 5, katexLoaded: true, columns: 3, fitted: 4 });
      expect(requests.filter((u) => !u.startsWith(`${server.url}/all/`) && !u.startsWith('data:'))).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
    const pdf = await readPdf(join(dir, 'dist/all/all.pdf'));
    expect(pdf.pages).toBe(5);
    expect(pdf.text[1]).toContain('Fitted over six orders of magnitude.');
    expect(pdf.text[2]).toContain('Release');
    // Tagged, each highlighted token is an item of its own: compared without the spaces between items.
    expect(pdf.text[3]!.replace(/\s+/g, '')).toContain('tune("data")');
    expect(pdf.text[4]).toContain('Ελληνικά');
    // The same deck checked in the browser: nothing to report on a machine with the fonts.
    if (!hasNotoFonts && !process.env.CI) return;
    const check = await cli(['check'], dir);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout + check.stderr).not.toContain('warning[');
  });
});
