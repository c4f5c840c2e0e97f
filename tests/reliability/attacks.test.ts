import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserCandidates, isHeadlessShell } from '../../src/browser/find.js';
import type { LaunchedBrowser } from '../../src/browser/launch.js';
import { browserForTests, testPage, launchForTests } from '../helpers/browser.js';
import { makeProject } from '../helpers/fs.js';
import { startLoggingServer, type LoggingServer } from '../helpers/logging-server.js';
import { runLectern } from './invariants.js';

// Attacks on "safe by default", each through the real CLI and, where a browser is involved,
// real Chromium, with a logging server on 127.0.0.1 standing in for "remote".
const browserPath = browserForTests('attack tests');
const otherBrowser = browserPath
  ? browserCandidates()
      .filter((p) => existsSync(p) && isHeadlessShell(p) !== isHeadlessShell(browserPath))
      .slice(0, 1)
  : [];
const pixel = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==',
  'base64',
);

describe.skipIf(!browserPath)('safe mode against attacks found on Reveal.js attributes and CSS', () => {
  let log: LoggingServer;
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    log = await startLoggingServer();
    browser = await launchForTests(browserPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await log?.close();
  });

  /** Opens a built deck from disk, shows every slide and fragment, and returns the page. */
  async function walkFromDisk(file: string, dialogs: string[]): Promise<Page> {
    const page = await testPage(browser);
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as any).Reveal?.isReady());
    const total = await page.evaluate(() => (window as any).Reveal.getTotalSlides() as number);
    for (let i = 0; i < total * 3; i++) await page.evaluate(() => (window as any).Reveal.next());
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    return page;
  }

  it('no script runs from data-notes, notes Markdown or preview links: not in the deck, its inline notes, its speaker view, its PDF notes or the check', async () => {
    const L = log.url;
    const deck = [
      '---',
      'title: Notes attack',
      'reveal:',
      '  showNotes: true',
      '---',
      '',
      '## Attribute notes',
      '',
      `<!-- .slide: data-notes="<img src=x onerror=fetch('${L}/notes-attr')><b>kept</b>" -->`,
      '',
      'Text.',
      '',
      '## Fragment notes',
      '',
      `<p class="fragment" data-notes="<svg onload=fetch('${L}/fragment-notes')></svg>">step</p>`,
      '',
      '## Markdown notes',
      '',
      `<aside class="notes" data-markdown>[click](javascript:fetch('${L}/md-link'))</aside>`,
      '',
      '## Preview',
      '',
      `<a href="${L}/preview-href" data-preview-link>looks local</a> and <span data-preview-link="${L}/preview-value">here</span>`,
      `<a href="${L}/preview-yes" data-preview-link="yes">yes</a> <a href="${L}/preview-upper" data-preview-link="FALSE">upper</a>`,
      '',
    ].join('\n');
    const dir = makeProject({ 'decks/notes.md': deck, 'decks/x': pixel });
    const build = await runLectern(['build', '--pdf-notes'], dir);
    expect(build.code, build.stderr).toBe(0);
    // Each removal is reported at its line.
    expect(build.stderr).toMatch(
      /decks\/notes\.md:9:\d+: warning\[HTML_REMOVED\]: removed onerror on <img> in data-notes/,
    );
    expect(build.stderr).toMatch(/decks\/notes\.md:15:\d+: warning\[HTML_REMOVED\]: removed <svg> in data-notes/);
    expect(build.stderr).toMatch(/decks\/notes\.md:19:\d+: warning\[HTML_REMOVED\]: removed data-markdown on <aside>/);
    expect(build.stderr).toMatch(
      /decks\/notes\.md:23:\d+: warning\[HTML_REMOVED\]: removed data-preview-link on <a> \(previews a page from the network\)/,
    );
    expect(build.stderr).toMatch(
      /decks\/notes\.md:23:\d+: warning\[HTML_REMOVED\]: removed data-preview-link on <span>/,
    );
    // Reveal previews the href for any value not starting with "http", and is off only for "false" exactly.
    expect(
      build.stderr
        .split('\n')
        .filter((l) => /notes\.md:24:\d+: warning\[HTML_REMOVED\]: removed data-preview-link on <a>/.test(l)),
    ).toHaveLength(2);
    const html = readFileSync(join(dir, 'dist/notes/index.html'), 'utf8');
    expect(html).not.toMatch(/onerror|onload|data-markdown|data-preview-link/);
    expect(html).toContain('data-notes="&lt;img src&#x3D;&quot;x&quot;&gt;&lt;b&gt;kept&lt;/b&gt;"');

    const check = await runLectern(['check'], dir);
    expect(check.code, check.stderr).toBe(0);

    const dialogs: string[] = [];
    const page = await walkFromDisk(join(dir, 'dist/notes/index.html'), dialogs);
    try {
      // The inline notes (showNotes) are on screen with the sanitised HTML only.
      await page.evaluate(() => (window as any).Reveal.slide(1, 0));
      expect(await page.evaluate(() => document.querySelector('.reveal .speaker-notes')?.innerHTML)).toBe(
        '<img src="x"><b>kept</b>',
      );
      // The speaker view: its notes are the sanitised HTML, with no link that runs script.
      const popup = new Promise<Page>((resolve) =>
        browser.browser.once('targetcreated', async (t) => resolve((await t.page())!)),
      );
      await page.evaluate(() => (window as any).Reveal.slide(3, 0));
      await page.keyboard.press('s');
      const speaker = await popup;
      await speaker.waitForFunction(
        () => document.querySelector('.speaker-controls-notes .value')?.innerHTML.includes('click'),
        { timeout: 10_000 },
      );
      expect(
        await speaker.evaluate(() => document.querySelectorAll('.speaker-controls-notes a[href^="javascript"]').length),
      ).toBe(0);
      await speaker.close();
      // A click on the would-be preview opens nothing (the link itself is a plain link, asserted above).
      await page.evaluate(() => (window as any).Reveal.slide(4, 0));
      await page.evaluate(() => (document.querySelector('section.present span') as HTMLElement).click());
      await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
      expect(await page.$$eval('.r-overlay-preview iframe', (f) => f.length)).toBe(0);
    } finally {
      await page.close();
    }
    expect(dialogs).toEqual([]);
    expect(log.hits).toEqual([]);
  });

  it('a safe deck opened from disk makes no request: backgrounds as CSS, image lists and escaped or image-set styles are refused', async () => {
    const L = log.url;
    const before = log.hits.length;
    const slides = [
      `<!-- .slide: data-background-gradient="url(${L}/gradient)" -->`,
      `<!-- .slide: data-background="#000 url(${L}/background-css)" -->`,
      `<!-- .slide: data-background-color="red; background-image: url(${L}/colour)" -->`,
      `<div style="background-image: image-set('${L}/image-set' 1x)">a</div>`,
      `<div style="background-image: -webkit-image-set('${L}/webkit-image-set' 1x)">b</div>`,
      `<div style="background-image: u\\rl(${L}/escaped-r)">c</div>`,
      `<div style="background-image: \\75 rl(${L}/hex-escape)">d</div>`,
      `<div style="background-image: ur/**/l(${L}/comment)">e</div>`,
      `<div style="background: cross-fade(url(${L}/cross-fade), red)">f</div>`,
      `<!-- .slide: data-background-image="data:image/png;base64,AAAA),url(${L}/data-breakout" -->`,
      // Reveal pastes the easing of an auto-animation into a stylesheet as it is.
      `<!-- .slide: data-auto-animate data-auto-animate-easing="ease} * {background-image: url(${L}/easing)} x{" -->`,
      // Reveal's test for a data: URL is case-sensitive: an upper-case one is a list it splits.
      `<!-- .slide: data-background-image="DATA:image/png,//127.0.0.1:${log.port}/upper-data" -->`,
    ];
    const deck = `---\ntitle: Backgrounds\nreveal:\n  autoSlide: 200\n---\n\n${slides.map((s, i) => `## Slide ${i}\n\n${s}\n`).join('\n')}`;
    const dir = makeProject({ 'decks/bg.md': deck });
    const build = await runLectern(['build', '--no-pdf'], dir);
    expect(build.code, build.stderr).toBe(0);
    const removed = build.stderr.split('\n').filter((l) => /warning\[HTML_REMOVED\]/.test(l));
    expect(removed).toHaveLength(slides.length);
    const dialogs: string[] = [];
    const page = await walkFromDisk(join(dir, 'dist/bg/index.html'), dialogs);
    await page.close();
    expect(log.hits.slice(before)).toEqual([]);
  });

  it.each([
    ['a character reference in the scheme of a Markdown image', '![a](&#104;ttp://REMOTE_HOST/md-entity.png)'],
    [
      'a character reference in a Markdown image in the notes',
      'Text.\n\nNote: ![a](h&#x74;tp://REMOTE_HOST/notes-entity.png)',
    ],
    ['a tab inside the scheme of an image', '<img src="ht&#9;tp://REMOTE_HOST/tab.png" alt="x">'],
    ['a newline inside the scheme of a lazy image', '<img data-src="ht&#10;tp://REMOTE_HOST/newline.png" alt="x">'],
  ])(
    '%s is the remote URL the browser reads: an error at its line with `remote: error`, never a link in the built deck',
    async (_name, html) => {
      const host = new URL(log.url).host;
      const files = {
        'decks/tab.md': `## Slide\n\n${html.replace('REMOTE_HOST', host)}\n`,
        [`decks/ht\ttp:/${host}/tab.png`]: pixel,
        'decks/&': pixel,
      };
      const strict = makeProject({ ...files, 'lectern.config.yaml': 'remote: error\n' });
      const run = await runLectern(['build', '--no-pdf'], strict);
      expect(run.code).toBe(1);
      expect(run.stderr.split('\n')[0]).toMatch(/^decks\/tab\.md:[35]:\d+: error\[ASSET_REMOTE\]/);
      // By default the file is fetched at build time (here the server sends no image): the
      // deck shows a placeholder and names no remote URL.
      // (The test's server is on 127.0.0.1: downloads from there must be allowed.)
      const dir = makeProject({ ...files, 'lectern.config.yaml': 'remoteHosts: [127.0.0.1]\n' });
      const built = await runLectern(['build', '--no-pdf'], dir);
      expect(built.code).toBe(0);
      expect(built.stderr).toMatch(
        /^decks\/tab\.md:[35]:\d+: warning\[ASSET_MISSING\]: .* could not be downloaded \(not an image or media file\)/m,
      );
      const out = readFileSync(join(dir, 'dist/tab/index.html'), 'utf8');
      expect(out).not.toContain(host);
      expect(out).toContain('class="lectern-missing"');
    },
  );

  it.each([
    ['data-background-image', 'a.png?,REMOTE/list-image'],
    ['data-background-video', 'a.mp4,REMOTE/list-video'],
    ['data-background', 'a.png?,REMOTE/list-background'],
  ])(
    'a remote item hidden in a %s list is an error at its line with `remote: error`, and never reaches the built deck',
    async (attr, value) => {
      const files = {
        'decks/list.md': `## Slide\n\n<!-- .slide: ${attr}="${value.replace('REMOTE', log.url)}" -->\n`,
        'decks/a.png': pixel,
        'decks/a.mp4': pixel,
      };
      const run = await runLectern(
        ['build', '--no-pdf'],
        makeProject({ ...files, 'lectern.config.yaml': 'remote: error\n' }),
      );
      expect(run.code).toBe(1);
      expect(run.stderr.split('\n')[0]).toMatch(
        /^decks\/list\.md:3:\d+: error\[ASSET_REMOTE\]: "http:\/\/127\.0\.0\.1:\d+\/list-/,
      );
      const dir = makeProject(files);
      expect((await runLectern(['build', '--no-pdf'], dir)).code).toBe(0);
      const out = readFileSync(join(dir, 'dist/list/index.html'), 'utf8');
      expect(out).not.toContain('127.0.0.1');
      expect(out).toMatch(/data-background(-image|-video)?="a\.(png\?|mp4)"/);
    },
  );
  it('a single-file deck is the same safe deck: written-in stylesheets and notes end no element early, and it requests nothing', async () => {
    const L = log.url;
    const before = log.hits.length;
    const css = [
      `.slide-title::after { content: "</style><script>fetch('${L}/css-string')</script>"; }`,
      `/* </style><img src=x onerror="fetch('${L}/css-comment')"> */`,
      `.slide-body { color: #123456; } /* </STYLE ><script>fetch('${L}/css-upper')</script> */`,
      '',
    ].join('\n');
    const deck = [
      '---',
      'title: One-file attack',
      'css: own.css',
      '---',
      '',
      '## Breakout',
      '',
      `Words </script><script>fetch('${L}/text')</script> and <!-- <script>fetch('${L}/comment')</script> -->`,
      '',
      `Note: </script><script>fetch('${L}/notes')</script> <!--`,
      '',
    ].join('\n');
    const dir = makeProject({ 'decks/attack.md': deck, 'decks/own.css': css });
    const build = await runLectern(['build', '--single-file', '--no-pdf'], dir);
    expect(build.code, build.stderr).toBe(0);
    const html = readFileSync(join(dir, 'dist/attack.html'), 'utf8');
    expect(html).not.toMatch(/<\/style\s*>\s*<(script|img)/i);
    const dialogs: string[] = [];
    const page = await walkFromDisk(join(dir, 'dist/attack.html'), dialogs);
    // One script element for reveal.js, one for the notes plugin, one that starts the deck.
    expect(await page.evaluate(() => document.scripts.length)).toBe(3);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    try {
      // The deck's own rule still applies: the stylesheet was not cut short.
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('.slide-body')!).color)).toBe(
        'rgb(18, 52, 86)',
      );
      await page.reload({ waitUntil: 'load' });
      expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    } finally {
      await page.close();
    }
    expect(dialogs).toEqual([]);
    expect(log.hits.slice(before)).toEqual([]);
  });
});

describe.skipIf(!browserPath)('PDF export and check reach nothing but the deck', () => {
  let log: LoggingServer;
  beforeAll(async () => {
    log = await startLoggingServer();
  });
  afterAll(async () => log?.close());

  const egressDeck = (L: string, udp: number): string => `---
title: Egress
html: unsafe
date: 2026-01-01
checks:
  max-words: off
---

## Every way out

<script>
const L = '${L}';
new WebSocket('ws://127.0.0.1:${new URL(L).port}/socket');
new Worker(URL.createObjectURL(new Blob(["fetch('" + L + "/worker')"], { type: 'text/javascript' })));
new SharedWorker(URL.createObjectURL(new Blob(["fetch('" + L + "/shared-worker')"], { type: 'text/javascript' })));
window.open(L + '/popup');
navigator.sendBeacon(L + '/beacon', 'x');
new EventSource(L + '/event-source');
const stun = (RTC) => {
  const pc = new RTC({ iceServers: [{ urls: 'stun:127.0.0.1:${udp}' }] });
  pc.createDataChannel('x');
  pc.createOffer().then((o) => pc.setLocalDescription(o));
};
try { stun(RTCPeerConnection); } catch {}
// The API taken from a frame made now, before anything ran in it, and from a frame of its own.
const frame = document.createElement('iframe');
document.body.append(frame);
try { stun(frame.contentWindow.RTCPeerConnection); } catch {}
try { stun(frame.contentWindow.webkitRTCPeerConnection); } catch {}
const own = document.createElement('iframe');
own.srcdoc = "<script>try { const pc = new RTCPeerConnection({ iceServers: [{ urls: 'stun:127.0.0.1:${udp}' }] }); pc.createDataChannel('x'); pc.createOffer().then((o) => pc.setLocalDescription(o)); } catch {}<\\/script>";
document.body.append(own);
const link = document.createElement('link'); link.rel = 'prefetch'; link.href = L + '/prefetch'; document.head.append(link);
fetch(L + '/fetch');
</script>
`;

  it.each([
    ['build', ['build']],
    ['build --pdf-notes --pdf-fragments', ['build', '--pdf-notes', '--pdf-fragments']],
    ['build --single-file', ['build', '--single-file']],
    // Two decks side by side: the second page is a window of its own with a gate of its own (the
    // first is the window the browser started with, behind the gate it started with).
    ['build --concurrency 2, two decks', ['build', '--concurrency', '2']],
    // The other kind of browser than the one found: the headless shell guards its pages, a
    // full Chromium has its profile's WebRTC policy.
    ...otherBrowser.map((path): [string, string[]] => [
      `build --browser-path ${path}`,
      ['build', '--browser-path', path],
    ]),
    ['check', ['check']],
  ])(
    '%s: WebSocket, workers, popups, beacons, WebRTC and fetches are refused and reported, none arrives',
    async (_name, args) => {
      const two = args.includes('--concurrency');
      const dir = makeProject({
        'decks/egress.md': egressDeck(log.url, log.udpPort),
        ...(two ? { 'decks/egress-too.md': egressDeck(log.url, log.udpPort) } : {}),
      });
      const connections = log.connections();
      const run = await runLectern(args, dir);
      expect(run.code, run.stderr).toBe(0);
      // Give a late request time to arrive, were one on its way.
      await new Promise((r) => setTimeout(r, 500));
      expect(log.hits).toEqual([]);
      expect(log.connections()).toBe(connections);
      const blocked = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.includes('warning[REQUEST_BLOCKED]'));
      // The check walks a one-slide deck quicker than a worker starts: it reports what came while it looked.
      const seen =
        args[0] === 'check'
          ? ['/popup', '/fetch', `127.0.0.1:${log.port} (a WebSocket`]
          : [
              '/worker',
              '/shared-worker',
              '/popup',
              '/beacon',
              '/event-source',
              '/fetch',
              `127.0.0.1:${log.port} (a WebSocket`,
            ];
      for (const deck of two ? ['decks/egress.md', 'decks/egress-too.md'] : ['decks/egress.md']) {
        for (const what of seen) {
          expect(
            blocked.some((l) => l.startsWith(`${deck}:`) && l.includes(what)),
            `${deck}: ${what} in\n${blocked.join('\n')}`,
          ).toBe(true);
        }
      }
    },
  );
});
