import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchedBrowser } from '../../src/browser/launch.js';
import { buildAll } from '../../src/pipeline/build.js';
import type { PreparedDeck } from '../../src/pipeline/prepare-deck.js';
import { repoRoot } from '../helpers/fs.js';
import { serveFolder } from '../helpers/static-server.js';
import { browserForTests, testPage, launchForTests } from '../helpers/browser.js';
import { tempDir } from '../helpers/temp.js';

// Real Chromium, real HTTP on 127.0.0.1, real files.
const browserPath = browserForTests('browser tests');

describe.skipIf(!browserPath)('built decks in Chromium', () => {
  let browser: LaunchedBrowser;
  let out: string;
  let decks: PreparedDeck[];
  let server: Awaited<ReturnType<typeof serveFolder>>;

  beforeAll(async () => {
    out = tempDir('e2e');
    ({ decks } = await buildAll({ projectDir: repoRoot, outDir: out, pdf: false }));
    server = await serveFolder(out);
    browser = await launchForTests(browserPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens a URL, recording console errors, page errors and every request made. */
  async function open(url: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
    const page = await testPage(browser);
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('requestfailed', (r) => errors.push(`failed: ${r.url()}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.setViewport({ width: 1280, height: 720 });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as any).Reveal?.isReady());
    await page.evaluate(() => document.fonts.ready);
    return { page, errors, requests };
  }

  it.each(['open-source-ai', 'lightning', 'debate'])(
    '%s loads over HTTP with the model slide count, its notes, and no outside request',
    async (name) => {
      const built = decks.find((d) => d.deck.name === name)!;
      const base = `${server.url}/${name}/`;
      const { page, errors, requests } = await open(`${base}index.html`);
      try {
        expect(errors).toEqual([]);
        expect(requests.filter((u) => !u.startsWith(base) && !u.startsWith('data:'))).toEqual([]);
        expect(await page.evaluate(() => (window as any).Reveal.getTotalSlides())).toBe(built.deck.slideCount);
        const modelNotes = built.deck.stacks.flatMap((s) => s.slides).filter((s) => s.notes);
        const pageNotes = await page.evaluate(() =>
          [...document.querySelectorAll('aside.notes')].map((n) => n.textContent?.trim() ?? ''),
        );
        expect(pageNotes).toHaveLength(modelNotes.length);
        expect(pageNotes[0]).toBe(modelNotes[0]!.notes.replace(/<[^>]+>/g, '').trim());
        expect(await page.evaluate(() => (window as any).Reveal.hasPlugin('notes'))).toBe(true);
      } finally {
        await page.close();
      }
    },
  );

  it('opens from disk (file://) with every file found and the title slide visible', async () => {
    const dir = join(out, 'open-source-ai');
    const base = `file://${dir}/`;
    const { page, errors, requests } = await open(`${base}index.html`);
    try {
      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith(base) && !u.startsWith('data:'))).toEqual([]);
      const title = await page.evaluate(() => {
        const el = document.querySelector('.present .deck-title') as HTMLElement | null;
        const box = el?.getBoundingClientRect();
        return {
          text: el?.textContent,
          width: box?.width ?? 0,
          top: box?.top ?? -1,
          font: getComputedStyle(el!).fontFamily,
        };
      });
      expect(title.text).toBe('The Case for Open AI Models');
      expect(title.width).toBeGreaterThan(300);
      expect(title.top).toBeGreaterThan(0);
      expect(title.top).toBeLessThan(720);
      expect(await page.evaluate(() => document.fonts.check('700 40px Inter'))).toBe(true);
      const shot = join(out, 'title.png');
      writeFileSync(shot, await page.screenshot());
      expect(existsSync(shot)).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('reveals + list items one by one as fragments', async () => {
    const slide = decks
      .find((d) => d.deck.name === 'lightning')!
      .deck.stacks.flatMap((s) => s.slides)
      .find((s) => s.fragments === 3)!;
    const { page } = await open(`${server.url}/lightning/index.html#/${slide.h}/${slide.v}`);
    try {
      const visible = () => page.evaluate(() => document.querySelectorAll('.present .fragment.visible').length);
      const total = await page.evaluate(() => document.querySelectorAll('.present .fragment').length);
      expect(total).toBe(3);
      expect(await visible()).toBe(0);
      await page.evaluate(() => (window as any).Reveal.nextFragment());
      expect(await visible()).toBe(1);
      await page.evaluate(() => (window as any).Reveal.nextFragment());
      expect(await visible()).toBe(2);
    } finally {
      await page.close();
    }
  });

  it('opens the speaker view with notes and a timer when s is pressed', async () => {
    const { page } = await open(`${server.url}/open-source-ai/index.html#/1`);
    try {
      const popup = new Promise<Page | null>((resolve) => page.once('popup', resolve));
      await page.keyboard.press('s');
      const speaker = (await popup)!;
      await speaker.waitForFunction(() =>
        document.querySelector('.speaker-controls-notes .value')?.textContent?.includes('Open by saying'),
      );
      const text = await speaker.evaluate(() => document.body.innerText);
      expect(text).toContain('Open by saying this is a reading');
      expect(text).toMatch(/\d\d:\d\d:\d\d/);
      // The `Time: 1m` line is the slide's timing, not a note.
      expect(text).not.toContain('Time: 1m');
      // The pacing timer: 25 minutes (totalTime: 25m) shared by the slides without a Time: line
      // (1m, 30s and 1:30 take 3 of them), so the first two take 22m / 25 + 1m = 1:52 together.
      await speaker.waitForFunction(() => document.querySelector<HTMLElement>('.pacing')?.style.display !== 'none');
      const pacing = await speaker.evaluate(() => document.querySelector<HTMLElement>('.pacing')!.innerText);
      expect(pacing).toMatch(/^00:01:(4\d|5[0-3])$/);
      // "Upcoming" is a line above the next slide, not over its title.
      await speaker.waitForSelector('#upcoming-slide iframe');
      const boxes = await speaker.evaluate(() => {
        const box = (s: string) => document.querySelector(s)!.getBoundingClientRect().toJSON();
        return { label: box('#upcoming-slide .label'), frame: box('#upcoming-slide iframe') };
      });
      expect(boxes.label.bottom).toBeLessThanOrEqual(boxes.frame.top);
      expect(boxes.frame.height).toBeGreaterThan(100);
      await speaker.close();
    } finally {
      await page.close();
    }
  });
});
