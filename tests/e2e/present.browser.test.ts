import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { LaunchedBrowser } from '../../src/browser/launch.js';
import { browserForTests, testPage, launchForTests } from '../helpers/browser.js';
import { cli, makeProject, repoRoot } from '../helpers/fs.js';
import { reap } from '../helpers/processes.js';
import { exchange, type RunningTalk, startTalk } from '../helpers/talk.js';
import { tempDir } from '../helpers/temp.js';

// The essay talk given as a speaker gives it: real Chromium pages for the presenter, two
// audience devices and a phone as the remote, over real HTTP on 127.0.0.1.
const browserPath = browserForTests('present tests');

/** A sentence of the speaker notes of slide 2, as the deck file writes it. */
const NOTE = 'Open by saying this is a reading of the essay';

describe.skipIf(!browserPath)('lectern present', () => {
  let dir: string;
  let tmp: string;
  let talk: RunningTalk;
  let browser: LaunchedBrowser;
  let presenter: Page;
  let audiences: Page[];
  let remote: Page;

  beforeAll(async () => {
    dir = makeProject({});
    cpSync(join(repoRoot, 'decks'), join(dir, 'decks'), { recursive: true });
    tmp = tempDir('present-run');
    talk = await startTalk(dir, ['decks/open-source-ai.md', '--port', '0'], tmp);
    browser = await launchForTests(browserPath!);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (talk && talk.child.exitCode === null) await talk.stop();
    if (talk) reap(talk.child, tmp);
  });

  const token = (url: string): string => new URL(url).pathname.split('/')[1]!;
  const api = (url: string, rest: string): string => `/${token(url)}/__lectern/${rest}`;
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    exchange(url, api(url, 'command'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  /** The talk's state as a view's event stream greets it. */
  const greeting = async (url: string): Promise<Record<string, unknown>> => {
    const { body } = await exchange(url, api(url, 'events'));
    return JSON.parse(/event: state\ndata: (.*)\n/.exec(body)![1]!) as Record<string, unknown>;
  };

  it('prints the three addresses, each on a line that names it, each with its own 256-bit token', () => {
    const out = talk.out();
    const line = (name: string) =>
      new RegExp(`^${name} +http://127\\.0\\.0\\.1:\\d+/([A-Za-z0-9_-]{43})/ `, 'm').exec(out)?.[1];
    const tokens = ['presenter', 'audience', 'remote'].map(line);
    expect(tokens.every(Boolean)).toBe(true);
    expect(new Set(tokens).size).toBe(3);
    expect(out).toContain('drawing kept in decks/open-source-ai.annotations.json');
    expect(out).toContain('only this computer can open these addresses: add --lan');
  });

  it('gives nothing without a token or with a wrong one, and lists nothing', async () => {
    const { audience, presenter: p } = talk.urls;
    const near = `${token(audience).slice(0, -1)}${token(audience).endsWith('A') ? 'B' : 'A'}`;
    for (const path of [
      '/',
      '/index.html',
      '/deck/index.html',
      '/_lectern/reveal/reveal.js',
      '/__lectern/events',
      `/${near}/`,
      `/${near}/index.html`,
      `/${near}/__lectern/events`,
      `/${token(p).toUpperCase()}/`,
      `/${token(audience)}/../${token(p)}/deck/index.html`,
    ]) {
      const res = await exchange(audience, path);
      expect([path, res.status]).toEqual([path, path.includes('..') ? 403 : 404]);
      expect(res.body).not.toContain('<html');
    }
    const wrong = await exchange(audience, `/${near}/__lectern/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type":"go","action":"next"}',
    });
    expect(wrong.status).toBe(404);
    // The audience's token opens the deck, never the presenter's page or the deck with notes.
    expect((await exchange(audience, `/${token(audience)}/deck/index.html`)).status).toBe(404);
    expect((await exchange(talk.urls.remote, `/${token(talk.urls.remote)}/index.html`)).status).toBe(404);
  });

  it('refuses another Host (DNS rebinding) and another Origin', async () => {
    const { audience, presenter: p } = talk.urls;
    const port = new URL(audience).port;
    expect(
      (await exchange(audience, `/${token(audience)}/`, { headers: { host: `evil.example:${port}` } })).status,
    ).toBe(421);
    expect(
      (await exchange(audience, api(audience, 'events'), { headers: { origin: 'http://evil.example' } })).status,
    ).toBe(403);
    expect((await post(p, { type: 'qr', show: false }, { origin: `http://evil.example:${port}` })).status).toBe(403);
    expect((await post(p, { type: 'qr', show: false }, { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('never sends the audience a note: not in the deck, not in the events', async () => {
    const { audience, presenter: p, remote: r } = talk.urls;
    const page = await exchange(audience, `/${token(audience)}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Why this talk');
    expect(page.body).not.toContain(NOTE);
    expect(page.body).not.toMatch(/class="notes"|data-notes/);
    // The same deck with its notes, for the presenter: the check above can fail.
    expect((await exchange(p, `/${token(p)}/deck/index.html`)).body).toContain(NOTE);
    const deckJson = await exchange(audience, `/${token(audience)}/deck.json`);
    expect(deckJson.body).not.toContain(NOTE);
    const seen = await greeting(audience);
    expect(Object.keys(seen)).not.toContain('notes');
    expect(Object.keys(await greeting(r))).toContain('notes');
  });

  it('lets no audience token drive the talk', async () => {
    const { audience } = talk.urls;
    const before = await greeting(audience);
    for (const body of [
      { type: 'go', action: 'next' },
      { type: 'state', indexh: 5, indexv: 0, indexf: -1, paused: false, slide: 5 },
      { type: 'qr', show: true },
      { type: 'clear', slide: 1 },
    ]) {
      const res = await post(audience, body);
      expect([body.type, res.status]).toEqual([body.type, 403]);
    }
    // The remote steps, it does not set the position or draw.
    expect(
      (await post(talk.urls.remote, { type: 'state', indexh: 5, indexv: 0, indexf: -1, paused: false, slide: 5 }))
        .status,
    ).toBe(403);
    expect((await post(talk.urls.remote, { type: 'clear', slide: 1 })).status).toBe(403);
    expect(await greeting(audience)).toMatchObject({ slide: before.slide, seq: before.seq });
  });

  /** Where a page's deck is, h/v.f; the presenter's deck is in its frame. */
  const where = (page: Page, frame = false) =>
    page.evaluate((inFrame) => {
      const w = inFrame ? (document.getElementById('current') as HTMLIFrameElement).contentWindow! : window;
      const r = (w as any).Reveal;
      const i = r.getIndices();
      return `${i.h}/${i.v ?? 0}.${i.f ?? -1}${r.isPaused() ? ' paused' : ''}`;
    }, frame);
  const deckReady = (page: Page, frame = false) =>
    page.waitForFunction(
      (inFrame) => {
        const w = inFrame ? (document.getElementById('current') as HTMLIFrameElement | null)?.contentWindow : window;
        return Boolean((w as any)?.Reveal?.isReady());
      },
      { timeout: 20_000 },
      frame,
    );
  /** Waits until every audience page shows the presenter's step. */
  const followed = async (pages: Page[]): Promise<string> => {
    const target = await where(presenter, true);
    for (const page of pages) {
      await page
        .waitForFunction(
          (t) => {
            const r = (window as any).Reveal;
            const i = r.getIndices();
            return `${i.h}/${i.v ?? 0}.${i.f ?? -1}${r.isPaused() ? ' paused' : ''}` === t;
          },
          { timeout: 15_000 },
          target,
        )
        .catch(async () => {
          throw new Error(`an audience page shows ${await where(page)}, the presenter ${target}`);
        });
    }
    return target;
  };

  it('the audience follows every step of the talk, fragments and stacked slides included', async () => {
    presenter = await testPage(browser);
    await presenter.setViewport({ width: 1400, height: 800 });
    await presenter.goto(talk.urls.presenter, { waitUntil: 'load' });
    await deckReady(presenter, true);
    audiences = [];
    for (const size of [
      { width: 1280, height: 720 },
      { width: 390, height: 844 },
    ]) {
      const page = await testPage(browser);
      await page.setViewport(size);
      await page.goto(talk.urls.audience, { waitUntil: 'load' });
      await deckReady(page);
      audiences.push(page);
    }
    // Every step a clicker's key takes: each slide once, each fragment of it, in reading order.
    const steps = await presenter.evaluate(() => {
      const r = ((document.getElementById('current') as HTMLIFrameElement).contentWindow as any).Reveal;
      return r
        .getSlides()
        .reduce(
          (n: number, s: Element) =>
            n +
            1 +
            new Set(
              Array.from(s.querySelectorAll('.fragment[data-fragment-index]'), (f) =>
                f.getAttribute('data-fragment-index'),
              ),
            ).size,
          0,
        ) as number;
    });
    const visited = [await followed(audiences)];
    await presenter.focus('header');
    for (let i = 0; i < steps + 2; i++) {
      await presenter.keyboard.press('ArrowRight');
      const now = await followed(audiences);
      if (now !== visited[visited.length - 1]) visited.push(now);
    }
    expect(visited.length).toBe(steps);
    expect(new Set(visited).size).toBe(steps);
    expect(visited.some((v) => !v.split('.')[0]!.endsWith('/0'))).toBe(true); // a stacked slide
    expect(visited.some((v) => !v.endsWith('.-1'))).toBe(true); // a fragment step
    // Back through a few, and the room goes back with the speaker.
    for (let i = 0; i < 4; i++) {
      await presenter.keyboard.press('ArrowLeft');
      expect(await followed(audiences)).toBe(visited[visited.length - 2 - i]);
    }
  }, 180_000);

  it('a late joiner lands on the current slide', async () => {
    const late = await testPage(browser);
    await late.goto(talk.urls.audience, { waitUntil: 'load' });
    await deckReady(late);
    await followed([late]);
    await late.close();
  });

  it('the phone drives the talk: next, back, blank, with the notes of the slide on screen', async () => {
    remote = await testPage(browser);
    await remote.setViewport({ width: 390, height: 844 });
    await remote.goto(talk.urls.remote, { waitUntil: 'load' });
    await presenter.keyboard.press('Home');
    await followed(audiences);
    const step = async (button: string): Promise<string> => {
      const before = await where(presenter, true);
      await remote.click(button);
      await presenter.waitForFunction(
        (b) => {
          const r = ((document.getElementById('current') as HTMLIFrameElement).contentWindow as any).Reveal;
          const i = r.getIndices();
          return `${i.h}/${i.v ?? 0}.${i.f ?? -1}${r.isPaused() ? ' paused' : ''}` !== b;
        },
        { timeout: 15_000 },
        before,
      );
      return followed(audiences);
    };
    expect(await step('#next')).toBe('1/0.-1');
    await remote.waitForFunction((n) => document.getElementById('notes')!.textContent!.includes(n), {}, NOTE);
    expect(await remote.$eval('#counter', (e) => e.textContent)).toBe('2 / 28');
    expect(await step('#next')).toBe('1/0.0');
    expect(await step('#prev')).toBe('1/0.-1');
    expect(await step('#blank')).toBe('1/0.-1 paused');
    expect(await step('#blank')).toBe('1/0.-1');
  });

  it('a second presenter page follows the first, and a remote step is taken once, not once a page', async () => {
    const second = await testPage(browser);
    await second.setViewport({ width: 1200, height: 700 });
    await second.goto(talk.urls.presenter, { waitUntil: 'load' });
    await deckReady(second, true);
    const start = await followed(audiences);
    expect(await where(second, true)).toBe(start);
    await second.focus('header');
    await second.keyboard.press('ArrowRight');
    const moved = await where(second, true);
    expect(moved).not.toBe(start);
    await presenter.waitForFunction(
      (m) => {
        const r = ((document.getElementById('current') as HTMLIFrameElement).contentWindow as any).Reveal;
        const i = r.getIndices();
        return `${i.h}/${i.v ?? 0}.${i.f ?? -1}` === m;
      },
      { timeout: 15_000 },
      moved,
    );
    expect(await followed(audiences)).toBe(moved);
    await remote.click('#next');
    await second.waitForFunction(
      (m) => {
        const r = ((document.getElementById('current') as HTMLIFrameElement).contentWindow as any).Reveal;
        const i = r.getIndices();
        return `${i.h}/${i.v ?? 0}.${i.f ?? -1}` !== m;
      },
      { timeout: 15_000 },
      moved,
    );
    const once = await where(second, true);
    // One step past `moved`: the same as one more key on a page at `moved`.
    await second.keyboard.press('ArrowLeft');
    await second.waitForFunction(
      (m) => {
        const r = ((document.getElementById('current') as HTMLIFrameElement).contentWindow as any).Reveal;
        const i = r.getIndices();
        return `${i.h}/${i.v ?? 0}.${i.f ?? -1}` === m;
      },
      { timeout: 15_000 },
      moved,
    );
    await second.keyboard.press('ArrowRight');
    expect(await where(second, true)).toBe(once);
    expect(await followed(audiences)).toBe(once);
    await second.close();
  });

  it('a stroke drawn on slide 3 reaches the audience, survives a reload, and is printed on page 3', async () => {
    // Slide 3 is the first section's title; the presenter goes there with the keys.
    await presenter.keyboard.press('Home');
    const shown = () =>
      presenter.evaluate(
        () =>
          ((document.getElementById('current') as HTMLIFrameElement).contentWindow as any).Reveal.getCurrentSlide()
            .dataset.lecternSlide as string,
      );
    for (let i = 0; i < 12 && (await shown()) !== '2'; i++) await presenter.keyboard.press('ArrowRight');
    expect(await shown()).toBe('2');
    await followed(audiences);
    await presenter.keyboard.press('d');
    const box = (await (await presenter.$('#current'))!.boundingBox())!;
    await presenter.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.7);
    await presenter.mouse.down();
    for (let i = 1; i <= 20; i++)
      await presenter.mouse.move(box.x + box.width * (0.2 + i * 0.03), box.y + box.height * 0.7);
    await presenter.mouse.up();
    await presenter.keyboard.press('Escape');
    for (const page of audiences)
      await page.waitForFunction(
        () => document.querySelector('.lectern-ink[data-slide="3"]')?.querySelectorAll('path').length === 1,
        { timeout: 15_000 },
      );
    await audiences[0]!.reload({ waitUntil: 'load' });
    await audiences[0]!.waitForFunction(
      () => document.querySelector('.lectern-ink[data-slide="3"]')?.querySelectorAll('path').length === 1,
      { timeout: 10_000 },
    );
    // The session ends with the process; the drawing stays beside the deck.
    expect(await talk.stop()).toBe(130);
    expect(talk.out()).toContain('the talk is over');
    expect(readdirSync(tmp).filter((n) => n.startsWith('lectern-present-'))).toEqual([]);
    const saved = JSON.parse(readFileSync(join(dir, 'decks/open-source-ai.annotations.json'), 'utf8'));
    expect(Object.keys(saved.slides)).toEqual(['3']);
    expect(saved.slides['3'][0].points.length).toBeGreaterThan(10);

    const printed = await cli(['pdf', 'decks/open-source-ai.md', '--annotations'], dir);
    expect(printed.code).toBe(0);
    const pdf = join(dir, 'dist/open-source-ai/open-source-ai-annotated.pdf');
    expect(existsSync(pdf)).toBe(true);
    // The stroke's pink on page 3 only, and no picture on that page: it is drawn as a path.
    const pink = (page: number): number => {
      const ppm = spawnSync('pdftoppm', ['-r', '30', '-f', String(page), '-l', String(page), pdf], {
        maxBuffer: 1 << 26,
      }).stdout as Buffer;
      const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
      let count = 0;
      for (let i = header[0].length; i + 2 < ppm.length; i += 3)
        if (ppm[i]! > 170 && ppm[i + 1]! < 110 && ppm[i + 2]! > 50 && ppm[i + 2]! < 170) count++;
      return count;
    };
    expect(pink(3)).toBeGreaterThan(15);
    expect(pink(2)).toBe(0);
    expect(pink(4)).toBe(0);
    const images = spawnSync('pdfimages', ['-list', '-f', '3', '-l', '3', pdf], { encoding: 'utf8' }).stdout;
    expect(images.trim().split('\n').length).toBe(2); // the header and its rule: no picture
    const tags = spawnSync('pdfinfo', ['-struct-text', '-f', '3', '-l', '3', pdf], { encoding: 'utf8' }).stdout;
    expect(tags).toContain('Figure');
  }, 120_000);
});

describe.skipIf(!browserPath)('lectern present --lan', () => {
  it('listens on the address given, says so, shows the remote as a QR code, and greets with the kept drawing', async () => {
    const dir = makeProject({
      'decks/short.md': '# Short\n\n## One\n\nNote: first notes\n\n## Two\n\n## Three\n',
      'decks/short.annotations.json': JSON.stringify({
        width: 1280,
        height: 720,
        slides: {
          '2': [
            {
              id: 'a1',
              tool: 'pen',
              color: '#112233',
              width: 3,
              points: [
                [10, 10],
                [50, 60],
              ],
            },
          ],
          x: [],
        },
      }),
    });
    const tmp = tempDir('present-lan');
    const talk = await startTalk(dir, ['decks/short.md', '--lan', '127.0.0.1', '--port', '0'], tmp);
    onTestFinished(() => reap(talk.child, tmp));
    const out = talk.out();
    expect(out).toMatch(/^audience +http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{43}\/ /m);
    expect(out).toContain("listening on 127.0.0.1, on the room's network");
    expect(out).toContain('the remote, for your phone');
    expect(out).toMatch(/[█▀▄]{20}/);
    // A slide key that is not a number is named, the rest of the drawing kept.
    expect(out).toMatch(/warning\[ANNOTATIONS_UNREADABLE\].*slide "x"/);
    const { body } = await exchange(
      talk.urls.audience,
      `/${new URL(talk.urls.audience).pathname.split('/')[1]}/__lectern/events`,
    );
    expect(body).toContain('event: ink\ndata: {"slide":2,"strokes":[{"id":"a1"');
    expect(await talk.stop()).toBe(130);
  });

  it('refuses a folder of decks, --host, and --lan with another command', async () => {
    const dir = makeProject({ 'decks/a.md': '## A\n', 'decks/b.md': '## B\n' });
    expect((await cli(['present'], dir)).stderr).toContain('`lectern present` takes one deck file');
    expect((await cli(['present', 'decks/a.md', '--host', '0.0.0.0'], dir)).stderr).toContain('--lan');
    expect((await cli(['serve', '--lan'], dir)).stderr).toContain('--lan goes with `lectern present`');
    expect((await cli(['present', 'decks'], dir)).stderr).toContain('gives one deck');
  });
});
