import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { basename, dirname, join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { LaunchedBrowser } from '../../src/browser/launch.js';
import { serveDecks, type ServeSession } from '../../src/serve/serve.js';
import { cli, makeProject, repoRoot } from '../helpers/fs.js';
import { browserForTests, testPage, launchForTests } from '../helpers/browser.js';
import { reap } from '../helpers/processes.js';

const browserPath = browserForTests('serve browser tests');

const deckText = (third: string): string =>
  `---\ntitle: Live\n---\n\n## One\n\nfirst\n\n## Two\n\nsecond\n\n## Three\n\n${third}\n\n+ step a\n+ step b\n+ step c\n\n## Four\n\nfourth\n`;

/** A raw HTTP request, path sent exactly as given (fetch would normalise it). */
function raw(
  url: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
        if (res.headers['content-type']?.startsWith('text/event-stream')) res.destroy();
      });
      res.on('close', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!browserPath)('lectern serve', () => {
  let browser: LaunchedBrowser;
  let session: ServeSession;
  let dir: string;
  let page: Page;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = makeProject({ 'decks/live.md': deckText('third, as first written') });
    session = await serveDecks({ projectDir: dir, port: 0, log: (l) => logs.push(l), problem: (l) => logs.push(l) });
    browser = await launchForTests(browserPath!);
    page = await testPage(browser);
    await page.goto(`${session.url}live/index.html#/3`, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as any).Reveal?.isReady());
  });
  afterAll(async () => {
    await browser?.close();
    await session?.close();
  });

  const currentText = () => page.evaluate(() => (window as any).Reveal.getCurrentSlide().textContent as string);
  const indices = () => page.evaluate(() => (window as any).Reveal.getIndices() as { h: number; v: number });
  const waitForText = (text: string) =>
    page.waitForFunction(
      (t) => (window as any).Reveal?.isReady() && (window as any).Reveal.getCurrentSlide()?.textContent?.includes(t),
      { timeout: 10_000 },
      text,
    );

  it('reloads on save and stays on the slide that was shown', async () => {
    expect(await currentText()).toContain('third, as first written');
    writeFileSync(join(dir, 'decks/live.md'), deckText('third, saved once'));
    await waitForText('third, saved once');
    expect(await indices()).toMatchObject({ h: 3, v: 0 });
    expect(logs.some((l) => /^rebuilt decks\/live\.md in \d+ ms \(changed: decks\/live\.md\)$/.test(l))).toBe(true);
  });

  it('comes back on the same fragment', async () => {
    await page.evaluate(() => (window as any).Reveal.slide(3, 0, 1));
    expect(await indices()).toMatchObject({ h: 3, v: 0, f: 1 });
    writeFileSync(join(dir, 'decks/live.md'), deckText('third, saved on a fragment'));
    await waitForText('third, saved on a fragment');
    expect(await indices()).toMatchObject({ h: 3, v: 0, f: 1 });
  });

  it('reloads on every rename save (vim style), three times in a row', async () => {
    for (const n of [1, 2, 3]) {
      const tmp = join(dir, 'decks', `.live.md.swp${n}`);
      writeFileSync(tmp, deckText(`third, rename save ${n}`));
      renameSync(tmp, join(dir, 'decks/live.md'));
      await waitForText(`third, rename save ${n}`);
      expect(await indices()).toMatchObject({ h: 3, v: 0 });
    }
  });

  it('keeps the last good deck and shows the error on a broken save, until a good one', async () => {
    writeFileSync(join(dir, 'decks/live.md'), `---\ntitle: Live\n---\n\n## One\n<!-- layout: nope -->\n`);
    await page.waitForSelector('#lectern-error', { timeout: 10_000 });
    const overlay = await page.$eval('#lectern-error', (el) => el.textContent ?? '');
    expect(overlay).toContain('decks/live.md:6:1: error[LAYOUT_UNKNOWN]: unknown layout "nope"');
    expect(await currentText()).toContain('third, rename save 3');
    expect(readFileSync(join(session.outDir, 'live/index.html'), 'utf8')).toContain('third, rename save 3');

    writeFileSync(join(dir, 'decks/live.md'), deckText('third, fixed'));
    await waitForText('third, fixed');
    expect(await page.$('#lectern-error')).toBeNull();
  });

  it('opens the speaker view from the served deck', async () => {
    const popup = new Promise<Page | null>((resolve) => page.once('popup', resolve));
    await page.keyboard.press('s');
    const speaker = (await popup)!;
    await speaker.waitForFunction(() => document.querySelector('.speaker-controls-time') !== null);
    expect(await speaker.evaluate(() => document.body.innerText)).toMatch(/\d\d:\d\d:\d\d/);
    await speaker.close();
  });

  it('serves nothing outside its folder', async () => {
    const outside = join(dirname(session.outDir), `${basename(session.outDir)}-sibling`);
    mkdirSync(outside, { recursive: true });
    onTestFinished(() => rmSync(outside, { recursive: true, force: true }));
    writeFileSync(join(outside, 'secret.txt'), 'SIBLING SECRET');
    symlinkSync(outside, join(session.outDir, 'escape'));
    const paths = [
      '/../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/live/..%2f..%2fetc%2fpasswd',
      '/%252e%252e/etc/passwd',
      '/live/..\\..\\etc\\passwd',
      '/live/index.html%00.png',
      `/../${basename(outside)}/secret.txt`,
      '/escape/secret.txt',
      '/.//../etc/passwd',
    ];
    for (const path of paths) {
      const res = await raw(session.url, path, { host: new URL(session.url).host });
      expect([403, 404], path).toContain(res.status);
      expect(res.body).not.toMatch(/root:|SIBLING SECRET/);
    }
    const ok = await raw(session.url, '/live/index.html', { host: new URL(session.url).host });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses other Host headers and live-reload connections from other origins', async () => {
    const host = new URL(session.url).host;
    expect((await raw(session.url, '/live/index.html', { host: 'attacker.test' })).status).toBe(421);
    expect(
      (await raw(session.url, '/live/index.html', { host: `attacker.test:${new URL(session.url).port}` })).status,
    ).toBe(421);
    expect(
      (await raw(session.url, '/__lectern/events?deck=live', { host, origin: 'http://attacker.test' })).status,
    ).toBe(403);
    const same = await raw(session.url, '/__lectern/events?deck=live', { host, origin: `http://${host}` });
    expect(same.status).toBe(200);
    expect(same.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('says clearly when the port is taken, with exit status 2, before building anything', async () => {
    // A deck that would fail to build: the port is what is said, so it was checked first.
    const taken = makeProject({ 'decks/a.md': '---\ntitle: [unclosed\n---\n## A\n' });
    const run = await cli(['serve', '--port', new URL(session.url).port], taken);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `lectern: error[PORT_IN_USE]: port ${new URL(session.url).port} on 127.0.0.1 is already in use`,
    );
    expect(run.stderr).toContain('--port');
    expect(run.stderr).not.toContain('FRONT_MATTER_SYNTAX');
    expect(run.stdout).not.toContain('built');
  });
});

describe('lectern serve rebuilds only what a change affects', () => {
  it('a template change rebuilds the decks that use it, a deck change only that deck', async () => {
    const dir = makeProject({
      'decks/mine.md': '---\ntemplate: mine\n---\n## A\n',
      'decks/plain.md': '## B\n\n![p](pic.png)\n',
      'decks/pic.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
      'templates/mine/template.yaml': 'name: mine\nextends: default\n',
      'templates/mine/partials/header.hbs': '<header>first header</header>\n',
    });
    const logs: string[] = [];
    const session = await serveDecks({ projectDir: dir, port: 0, log: (l) => logs.push(l) });
    const next = () => new Promise<string[]>((resolve) => session.rebuilt(resolve));
    try {
      let done = next();
      writeFileSync(join(dir, 'templates/mine/partials/header.hbs'), '<header>second header</header>\n');
      expect((await done).map((f) => basename(f))).toEqual(['mine.md']);
      expect(readFileSync(join(session.outDir, 'mine/index.html'), 'utf8')).toContain('second header');

      done = next();
      writeFileSync(join(dir, 'decks/plain.md'), '## B, edited\n\n![p](pic.png)\n');
      expect((await done).map((f) => basename(f))).toEqual(['plain.md']);

      done = next();
      writeFileSync(join(dir, 'decks/pic.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d]));
      expect((await done).map((f) => basename(f))).toEqual(['plain.md']);
      expect(readFileSync(join(session.outDir, 'plain/pic.png')).length).toBe(5);

      done = next();
      writeFileSync(join(dir, 'decks/new.md'), '## Brand new\n');
      expect((await done).map((f) => basename(f))).toEqual(['new.md']);
      expect(readFileSync(join(session.outDir, 'index.html'), 'utf8')).toContain('Brand new');
      expect(logs.filter((l) => l.startsWith('rebuilt'))).toHaveLength(4);
    } finally {
      await session.close();
    }
  });
});

describe.skipIf(!browserPath)('lectern serve as a process', () => {
  it('prints its URL, warns about non-loopback hosts, and stops cleanly on SIGINT', async () => {
    const dir = makeProject({ 'decks/a.md': '## A\n' });
    const child = spawn(process.execPath, [join(repoRoot, 'bin/lectern.js'), 'serve', '--port', '0'], { cwd: dir });
    onTestFinished(() => reap(child));
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    const until = Date.now() + 15_000;
    while (!/serving (http:\/\/127\.0\.0\.1:\d+\/)/.test(out) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    const url = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)![1]!;
    expect((await raw(url, '/a/index.html', { host: new URL(url).host })).status).toBe(200);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(out).toContain('stopped');
    await expect(raw(url, '/', { host: new URL(url).host })).rejects.toThrow();

    const wide = spawn(
      process.execPath,
      [join(repoRoot, 'bin/lectern.js'), 'serve', '--port', '0', '--host', '0.0.0.0'],
      { cwd: dir },
    );
    onTestFinished(() => reap(wide));
    let err = '';
    wide.stderr.on('data', (d) => (err += d));
    const wideExit = new Promise<number>((resolve) => wide.on('exit', (code) => resolve(code ?? -1)));
    const until2 = Date.now() + 15_000;
    while (!err.includes('warning') && Date.now() < until2) await new Promise((r) => setTimeout(r, 50));
    expect(err).toContain('lectern: warning: serving on 0.0.0.0: other machines on the network can reach this server');
    wide.kill('SIGINT');
    expect(await wideExit).toBe(130);
  });
});

describe.skipIf(!browserPath)('lectern serve shows check findings in the page', () => {
  const crowded = `## Crowded\n\n${Array.from({ length: 9 }, (_, i) => `- point ${i + 1}`).join('\n')}\n\n## Long\n\n${Array.from({ length: 20 }, (_, i) => `Line ${i + 1}`).join('\n\n')}\n`;
  const tidy = '## Crowded\n\n- one point\n\n## Long\n\nShort now.\n';
  let browser: LaunchedBrowser;
  let session: ServeSession;
  let dir: string;
  let page: Page;

  beforeAll(async () => {
    dir = makeProject({ 'decks/panel.md': crowded });
    session = await serveDecks({ projectDir: dir, port: 0 });
    browser = await launchForTests(browserPath!);
    page = await testPage(browser);
    await page.setViewport({ width: 1280, height: 720 });
    await page.goto(`${session.url}panel/index.html#/0`, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as any).Reveal?.isReady());
  });
  afterAll(async () => {
    await browser?.close();
    await session?.close();
  });

  const badge = () => page.evaluate(() => document.querySelector('#lectern-check button')?.textContent ?? null);
  const waitForBadge = (text: string | null) =>
    page.waitForFunction(
      (t) => (document.querySelector('#lectern-check button')?.textContent ?? null) === t,
      { timeout: 10_000 },
      text,
    );

  it("lists the deck's findings with their lines", async () => {
    await waitForBadge('▸ lectern check: 1 warning');
    await page.click('#lectern-check button');
    const text = await page.evaluate(() => document.querySelector('#lectern-check pre')!.textContent!);
    expect(text).toBe(
      'decks/panel.md:1:1: warning[SLIDE_TOO_MANY_BULLETS]: slide 1 "Crowded" has 9 list items (limit 7)\n  hint: split the list over two slides, or move detail into the speaker notes',
    );
  });

  it('adds the overflow of the slide on screen, measured in the browser', async () => {
    await page.evaluate(() => (window as any).Reveal.slide(1, 0));
    await waitForBadge('▾ lectern check: 2 warnings');
    const text = await page.evaluate(() => document.querySelector('#lectern-check pre')!.textContent!);
    const first =
      /^decks\/panel\.md:13:1: slide 2 overflows by \d+px \(\d+%\): line (\d+) on is off the slide \(measured in this browser\)$/.exec(
        text.split('\n')[0]!,
      );
    expect(first, text).not.toBeNull();
    // "Line N" paragraphs sit on every other source line from line 15.
    expect(Number(first![1])).toBeGreaterThan(15);
    expect(crowded.split('\n')[Number(first![1]) - 1]).toMatch(/^Line \d+$/);
    expect(await badge()).toBe('▾ lectern check: 2 warnings');
  });

  it('clears when a save fixes them', async () => {
    writeFileSync(join(dir, 'decks/panel.md'), tidy);
    await waitForBadge(null);
    expect(await page.evaluate(() => document.querySelector('#lectern-check'))).toBeNull();
  });
});
