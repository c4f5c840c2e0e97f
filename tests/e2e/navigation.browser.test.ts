import { cpSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchedBrowser } from '../../src/browser/launch.js';
import { browserForTests, testPage, launchForTests } from '../helpers/browser.js';
import { cli, makeProject, repoRoot } from '../helpers/fs.js';
import { serveFolder } from '../helpers/static-server.js';

// Real Chromium, real HTTP on 127.0.0.1: the essay talk, whose sections stack their slides.
const browserPath = browserForTests('navigation tests');

describe.skipIf(!browserPath)('moving through a talk with the keys a speaker and a clicker use', () => {
  let browser: LaunchedBrowser;
  let server: Awaited<ReturnType<typeof serveFolder>>;
  let dir: string;

  beforeAll(async () => {
    dir = makeProject({ 'grid/lectern.config.yaml': 'navigation: grid\n' });
    cpSync(join(repoRoot, 'decks'), join(dir, 'decks'), { recursive: true });
    cpSync(join(repoRoot, 'decks'), join(dir, 'grid/decks'), { recursive: true });
    expect((await cli(['build', '--no-pdf'], dir)).code).toBe(0);
    expect((await cli(['build', '--no-pdf'], join(dir, 'grid'))).code).toBe(0);
    server = await serveFolder(dir);
    browser = await launchForTests(browserPath!);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(path: string): Promise<Page> {
    const page = await testPage(browser);
    await page.setViewport({ width: 1280, height: 720 });
    await page.goto(`${server.url}/${path}`, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as any).Reveal?.isReady());
    return page;
  }

  /** Where the deck is: slide h/v and the fragment shown. */
  const where = (page: Page) =>
    page.evaluate(() => {
      const i = (window as any).Reveal.getIndices();
      return `${i.h}/${i.v ?? 0}${i.f === undefined || i.f < 0 ? '' : `.${i.f}`}`;
    });

  /** Every slide in reading order, h/v. */
  const readingOrder = (page: Page) =>
    page.evaluate(() =>
      (window as any).Reveal.getSlides().map((s: Element) => {
        const i = (window as any).Reveal.getIndices(s);
        return `${i.h}/${i.v ?? 0}`;
      }),
    );

  it.each(['ArrowRight', 'Space', 'PageDown'])(
    '%s walks every slide and every fragment in reading order, stacked slides included, and stops at the end',
    async (key) => {
      const page = await open('dist/open-source-ai/index.html');
      const order = await readingOrder(page);
      const seen: string[] = [await where(page)];
      for (let step = 0; step < 200; step++) {
        await page.keyboard.press(key as 'ArrowRight');
        const now = await where(page);
        if (now === seen[seen.length - 1]) break;
        seen.push(now);
      }
      // Each slide once, in order, with its fragments one by one between.
      const slides = seen.map((s) => s.split('.')[0]!).filter((s, i, all) => s !== all[i - 1]);
      expect(slides).toEqual(order);
      expect(order.some((s: string) => s.split('/')[1] !== '0')).toBe(true);
      const fragments = await page.evaluate(() => document.querySelectorAll('.reveal .slides .fragment').length);
      expect(seen.filter((s) => s.includes('.')).length).toBeGreaterThan(0);
      expect(seen.length).toBeLessThanOrEqual(order.length + fragments);
      // And back: ← and PageUp retrace it.
      await page.keyboard.press('ArrowLeft');
      expect(await where(page)).toBe(seen[seen.length - 2]);
      await page.close();
    },
    60_000,
  );

  it('keeps Reveal.js two directions with navigation: grid, and blanks the screen with B in both', async () => {
    const page = await open('grid/dist/open-source-ai/index.html');
    const order = await readingOrder(page);
    // A stack of three or more: → from its second slide (after that slide's fragments) goes to
    // the next section, past the rest of the stack.
    const stacked = order.find((s: string) => s.endsWith('/2'))!;
    const h = Number(stacked.split('/')[0]);
    await page.evaluate((hh) => (window as any).Reveal.slide(hh, 1), h);
    let now = await where(page);
    for (let step = 0; step < 20 && now.startsWith(`${h}/`); step++) {
      await page.keyboard.press('ArrowRight');
      now = await where(page);
    }
    expect(now.split('.')[0]).toBe(`${h + 1}/0`);
    await page.keyboard.press('b');
    expect(await page.evaluate(() => (window as any).Reveal.isPaused())).toBe(true);
    await page.close();
    const linear = await open('dist/open-source-ai/index.html');
    await linear.keyboard.press('.');
    expect(await linear.evaluate(() => (window as any).Reveal.isPaused())).toBe(true);
    await linear.close();
  });
});
