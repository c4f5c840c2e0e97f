import { copyFileSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchedBrowser } from '../../src/browser/launch.js';
import { browserForTests, testPage, launchForTests } from '../helpers/browser.js';
import { cli, makeProject } from '../helpers/fs.js';
import { tempDir } from '../helpers/temp.js';

const browserPath = browserForTests('single-file tests');

// A one-pixel PNG, teal.
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><rect width="400" height="200" fill="#0b6e6e"/></svg>\n';

/** A talk as a user writes one: a picture, a background image, bold words, and notes. */
const talk = `---
title: Offline at the venue
author: A speaker
---

## Why one file

- The venue laptop has **no network**
- And nobody copies folders right

Note: Say that the file was mailed the night before.

## Some code

\`\`\`sh
lectern build --single-file
\`\`\`

## A chart

![Open against closed](images/chart.svg)

## Background

<!-- .slide: data-background-image="images/bg.png" -->

Words over a picture.
`;

/** The same fonts the default template offers, of which this deck uses only regular and bold. */
const plain = `---
title: Plain
---

## Only plain words

Nothing slanted, **something bold**, nothing in code.

## Second

More plain words.
`;

describe.skipIf(!browserPath)('lectern build --single-file', () => {
  let browser: LaunchedBrowser;
  let dir: string;
  let run: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    dir = makeProject({
      'decks/talk.md': talk,
      'decks/plain.md': plain,
      'decks/images/chart.svg': SVG,
      'decks/images/bg.png': PIXEL,
    });
    [run, browser] = await Promise.all([
      cli(['build', '--single-file', '--no-pdf', '--json'], dir),
      launchForTests(browserPath!),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Opens a file from disk, logging every request the page and its popups make. */
  async function openFile(path: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
    const requests: string[] = [];
    const errors: string[] = [];
    const page = await testPage(browser);
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.setViewport({ width: 1280, height: 720 });
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as any).Reveal?.isReady());
    await page.evaluate(() => document.fonts.ready);
    return { page, requests, errors };
  }

  it('writes <deck>.html beside each deck folder and says so', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const decks = JSON.parse(run.stdout).decks as { name: string; singleFile: string; singleFileBytes: number }[];
    expect(decks.map((d) => [d.name, d.singleFile])).toEqual([
      ['plain', 'dist/plain.html'],
      ['talk', 'dist/talk.html'],
    ]);
    for (const d of decks) expect(statSync(join(dir, d.singleFile)).size).toBe(d.singleFileBytes);
    // Lectern's own from now on: the next build replaces it without asking.
    const record = JSON.parse(readFileSync(join(dir, 'dist/.lectern-output.json'), 'utf8'));
    expect(record.files).toEqual(expect.arrayContaining(['plain.html', 'talk.html']));
  });

  it('opens from a folder of its own, offline, with every slide, picture and font, and makes no request', async () => {
    // Alone in a folder: nothing of the deck folder is there to load.
    const alone = join(tempDir('single'), 'talk.html');
    copyFileSync(join(dir, 'dist/talk.html'), alone);
    expect(readdirSync(join(alone, '..'))).toEqual(['talk.html']);
    const url = pathToFileURL(alone).href;
    const { page, requests, errors } = await openFile(alone);
    try {
      expect(errors).toEqual([]);
      expect(await page.evaluate(() => (window as any).Reveal.getTotalSlides())).toBe(5);
      // The only requests are the file itself and data: URLs written into it.
      expect(requests.filter((u) => u !== url && !u.startsWith('data:'))).toEqual([]);
      expect(requests.filter((u) => u.startsWith('data:font/woff2')).length).toBeGreaterThan(0);
      // The template's font, really used: the bold face loaded.
      const faces = await page.evaluate(() =>
        [...document.fonts].filter((f) => f.status === 'loaded').map((f) => `${f.family} ${f.weight} ${f.style}`),
      );
      expect(faces.join(',')).toMatch(/Inter[^,]* 700 normal/);
      // The chart is a picture that decoded; the background is the PNG's pixels.
      await page.evaluate(() => (window as any).Reveal.slide(3));
      const chart = await page.evaluate(() => {
        const img = document.querySelector<HTMLImageElement>('img[alt="Open against closed"]')!;
        return { width: img.naturalWidth, src: img.src.slice(0, 26) };
      });
      expect(chart).toEqual({ width: 400, src: 'data:image/svg+xml;base64,' });
      await page.evaluate(() => (window as any).Reveal.slide(4));
      await page.waitForFunction(
        () =>
          getComputedStyle(document.querySelector('.slide-background.present .slide-background-content')!)
            .backgroundImage !== 'none',
      );
      const bg = await page.evaluate(
        () =>
          getComputedStyle(document.querySelector('.slide-background.present .slide-background-content')!)
            .backgroundImage,
      );
      expect(bg.startsWith('url("data:image/png;base64,')).toBe(true);
      expect(requests.filter((u) => u !== url && !u.startsWith('data:'))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('keeps the speaker view: notes and the next slide, from the one file', async () => {
    const path = join(dir, 'dist/talk.html');
    const { page, requests } = await openFile(path);
    try {
      // The slide with notes (after the title slide).
      await page.evaluate(() => (window as any).Reveal.slide(1));
      const popup = new Promise<Page>((resolve) =>
        browser.browser.once('targetcreated', async (t) => resolve((await t.page())!)),
      );
      await page.keyboard.press('s');
      const speaker = await popup;
      speaker.on('request', (r) => requests.push(r.url()));
      await speaker.waitForFunction(
        () => document.querySelector('.speaker-controls-notes')?.textContent?.includes('mailed the night before'),
        { timeout: 20_000 },
      );
      // Its current and upcoming slides are the same file again, in frames.
      const frames = speaker.frames().map((f) => f.url());
      expect(frames.filter((u) => u.startsWith(pathToFileURL(path).href)).length).toBeGreaterThanOrEqual(2);
      const url = pathToFileURL(path).href;
      expect(requests.filter((u) => !u.startsWith(url) && !u.startsWith('data:'))).toEqual([]);
      await speaker.close();
    } finally {
      await page.close();
    }
  });

  it('puts in only the font faces a deck uses', () => {
    const plainHtml = readFileSync(join(dir, 'dist/plain.html'), 'utf8');
    const fonts = join(dir, 'dist/plain/_lectern/templates/default/fonts');
    const base64 = (name: string): string => readFileSync(join(fonts, name)).toString('base64');
    const woff2 = readdirSync(fonts).filter((f) => f.endsWith('.woff2'));
    const used = woff2.filter((f) => plainHtml.includes(base64(f)));
    // Regular and bold Inter; the monospace face only in the deck with code.
    expect(used).toEqual(expect.arrayContaining(['inter-latin-400-normal.woff2', 'inter-latin-700-normal.woff2']));
    expect(used).not.toContain('jetbrains-mono-latin-400-normal.woff2');
    expect(readFileSync(join(dir, 'dist/talk.html'), 'utf8')).toContain(
      base64('jetbrains-mono-latin-400-normal.woff2'),
    );
    // And its @font-face rules are gone with them: nothing names a font file any more.
    expect(plainHtml).not.toMatch(/url\((["']?)[^)"']*\.woff2/);
    expect(plainHtml).not.toContain('_lectern/');
  });

  it('warns when the file is large, naming what made it so', async () => {
    // An image of 11 MB (an SVG with a long description).
    const big = `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><desc>${'x'.repeat(11 * 1024 * 1024)}</desc></svg>`;
    const project = makeProject({
      'decks/heavy.md': '---\ntitle: Heavy\n---\n\n## Heavy\n\n![A heavy picture](huge.svg)\n',
      'decks/huge.svg': big,
    });
    const heavy = await cli(['build', '--single-file', '--no-pdf'], project);
    expect(heavy.code).toBe(0);
    expect(heavy.stderr).toMatch(
      /decks\/heavy\.md: warning\[SINGLE_FILE_LARGE\]: heavy\.html is 1[45]\.\d MB, over 10\.0 MB; the largest parts: huge\.svg 1[45]\.\d MB/,
    );
    expect(statSync(join(project, 'dist/heavy.html')).size).toBeGreaterThan(14 * 1024 * 1024);
  });

  it('reports what it cannot write in: a template stylesheet that imports a remote font', async () => {
    const project = makeProject({
      'decks/remote.md': '---\ntitle: Remote\ntemplate: brand\n---\n\n## Remote\n\nWords.\n',
      'templates/brand/template.yaml': 'name: brand\nextends: default\n',
      'templates/brand/assets/theme.css':
        "@import url('https://fonts.example.test/css?family=Brand');\n.slide-title { font-family: Brand, sans-serif; }\n",
    });
    const run = await cli(['build', '--single-file', '--no-pdf'], project);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /decks\/remote\.md: warning\[SINGLE_FILE_INCOMPLETE\]: the single-file deck still loads https:\/\/fonts\.example\.test\/css\?family=Brand \(a remote file\)/,
    );
  });

  it('refuses a deck named index (its file would be the index page), before writing anything', async () => {
    const project = makeProject({ 'decks/index.md': '---\ntitle: Home\n---\n\n## Home\n' });
    const refused = await cli(['build', '--single-file', '--no-pdf'], project);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error[DECK_NAME_RESERVED]: a deck named "index" has no single file');
    expect(existsSync(join(project, 'dist'))).toBe(false);
  });

  it('comes with formats: [html, single-file] too, and only with lectern build', async () => {
    const project = makeProject({ 'decks/plain.md': plain, 'lectern.config.yaml': 'formats: [html, single-file]\n' });
    const built = await cli(['build'], project);
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(/1 deck, 1 single-file deck in \d+ ms, 0 warnings/);
    expect(existsSync(join(project, 'dist/plain/plain.pdf'))).toBe(false);
    expect(readFileSync(join(project, 'dist/plain.html'), 'utf8')).toContain('Only plain words');
    const misplaced = await cli(['check', '--single-file'], project);
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toContain('--single-file goes with `lectern build`');
  });
});
