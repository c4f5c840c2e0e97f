import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { LaunchedBrowser } from '../../src/browser/launch.js';
import { browserForTests, testPage, launchForTests } from '../helpers/browser.js';
import { makeProject, repoRoot } from '../helpers/fs.js';
import { startLoggingServer, type LoggingServer } from '../helpers/logging-server.js';
import { reap } from '../helpers/processes.js';
import { runLectern } from './invariants.js';

// What a safe deck publishes of the files it carries: drawings rewritten, never searched;
// pages of the HTML and XML family not at all; and `lectern serve` sends what it carries sandboxed.
// Every payload here passed the old check (a search for a few strings in the first 5 MB).
const browserPath = browserForTests('publishing tests');

/** Drawings that hide script where a search for `<script` in lower case does not look. */
function drawings(url: string) {
  return {
    prefixed: `<svg xmlns="http://www.w3.org/2000/svg"><s:script xmlns:s="http://www.w3.org/2000/svg">fetch("${url}/prefixed")</s:script><rect width="40" height="40" fill="teal"/></svg>`,
    entity: `<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY run "<script xmlns='http://www.w3.org/2000/svg'>fetch('${url}/entity')</script>">]>\n<svg xmlns="http://www.w3.org/2000/svg"><g>&run;</g><circle r="5"/></svg>`,
    late: `<svg xmlns="http://www.w3.org/2000/svg"><desc>${'x'.repeat(6 * 1024 * 1024)}</desc><script>fetch("${url}/late")</script><rect width="2" height="2"/></svg>`,
    css: `<svg xmlns="http://www.w3.org/2000/svg"><style>@imp\\ort "${url}/css-escape";</style><style>@imp<!---->ort "${url}/css-split";</style><style>.a{fill:ur<![CDATA[l(${url}/css-cdata)]]>}</style><rect style="fill:red;background-image:image-set('${url}/css-set' 1x)" cursor="\\75rl(${url}/css-cursor),auto" fill="url(#g)" width="5" height="5"/></svg>`,
    xhtml: `<svg xmlns="http://www.w3.org/2000/svg"><g xmlns="http://www.w3.org/1999/xhtml"><script>fetch("${url}/xhtml")</script></g><a xmlns:x="http://www.w3.org/1999/xlink" x:href="&#106;avascript:fetch('${url}/href')"><rect width="3" height="3"/></a><rect x:onload="fetch('${url}/handler')" xmlns:x="http://www.w3.org/2000/svg" width="4" height="4"/></svg>`,
  };
}

/** Pages that load or run something, each spelled as the old check did not look for. */
function pages(url: string) {
  return {
    'page.xht': `<html xmlns="http://www.w3.org/1999/xhtml"><script>fetch("${url}/xht")</script></html>`,
    'page.shtml': `<script>fetch("${url}/shtml")</script>`,
    'refresh.html': `<meta http-equiv="refresh" content="0;url=${url}/refresh">`,
    'srcset.html': `<img srcset="${url}/srcset 1x">`,
    'import.html': `<style>@import "${url}/import";</style>`,
    'cssurl.html': `<div style="background:url(${url}/cssurl)">x</div>`,
    'entity.html': `<a href="&#106;avascript:fetch('${url}/js')">go</a>`,
    'late.html': `<p>${'y'.repeat(6 * 1024 * 1024)}</p><script>fetch("${url}/late-page")</script>`,
    notes: `<!DOCTYPE html><script>fetch("${url}/sniffed")</script>`,
    'drawing.html': `<svg xmlns="http://www.w3.org/2000/svg"><title><image srcset="${url}/named-html"/></title></svg>`,
    'page.ehtml': `<img src=x onerror=fetch("${url}/ehtml")>`,
    'schema.xsd': `<h:html xmlns:h="http://www.w3.org/1999/xhtml"><h:script>fetch("${url}/xsd")</h:script></h:html>`,
  };
}

describe('what a safe deck publishes', () => {
  let log: LoggingServer;
  beforeAll(async () => {
    log = await startLoggingServer();
  });
  afterAll(async () => log?.close());

  it('publishes every drawing as a rewrite through the drawing allowlist, and no web page, whatever its name', async () => {
    const svg = drawings(log.url);
    const page = pages(log.url);
    const links = Object.keys(page)
      .map((name) => `[${name}](${name})`)
      .join(' ');
    const dir = makeProject({
      'decks/a.md': `## A\n\n![one](prefixed.svg) ![two](entity.svg) ![three](late.svg) ![four](xhtml.svg) ![five](css.svg)\n\n${links}\n`,
      ...Object.fromEntries(Object.entries(svg).map(([name, text]) => [`decks/${name}.svg`, text])),
      ...Object.fromEntries(Object.entries(page).map(([name, text]) => [`decks/${name}`, text])),
    });
    const run = await runLectern(['build', '--no-pdf'], dir, 120_000);
    expect(run.stderr).not.toContain('error');
    expect(run.code).toBe(0);
    // Every page is left behind, with a warning at its link.
    expect(run.stderr.match(/decks\/a\.md:5:\d+: warning\[PAGE_NOT_PUBLISHED\]: "[^"]+" is a web page/g)).toHaveLength(
      Object.keys(page).length,
    );
    for (const name of Object.keys(page)) expect(existsSync(join(dir, 'dist/a', name))).toBe(false);
    // Every drawing is there, rewritten: its shapes kept, nothing that runs or loads.
    for (const name of Object.keys(svg)) {
      const out = readFileSync(join(dir, 'dist/a', `${name}.svg`), 'utf8');
      expect(out).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(out).toMatch(/<(rect|circle) /);
      expect(out).not.toMatch(/script|fetch|onload|javascript|ENTITY|import|image-set|127\.0\.0\.1/i);
    }
    expect(readFileSync(join(dir, 'dist/a/prefixed.svg'), 'utf8')).toContain(
      '<rect width="40" height="40" fill="teal"/>',
    );
  }, 180_000);

  it.skipIf(!browserPath)(
    'a published drawing opened on its own in Chromium runs and loads nothing',
    async () => {
      const svg = drawings(log.url);
      const dir = makeProject({
        'decks/a.md': '## A\n\n![one](prefixed.svg) ![two](entity.svg) ![four](xhtml.svg) ![five](css.svg)\n',
        ...Object.fromEntries(Object.entries(svg).map(([name, text]) => [`decks/${name}.svg`, text])),
      });
      expect((await runLectern(['build', '--no-pdf'], dir)).code).toBe(0);
      const launched: LaunchedBrowser = await launchForTests(browserPath!);
      try {
        const page = await testPage(launched);
        for (const name of ['prefixed', 'entity', 'xhtml', 'css']) {
          await page.goto(pathToFileURL(join(dir, 'dist/a', `${name}.svg`)).href, { waitUntil: 'load' });
        }
        // The drawing as written does call out (so this test can fail): once its call has arrived,
        // any call of the published drawings, opened before it, would have too.
        await page.goto(pathToFileURL(join(dir, 'decks/prefixed.svg')).href, { waitUntil: 'load' });
        const until = Date.now() + 10_000;
        while (!log.hits.includes('GET /prefixed') && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      } finally {
        await launched.close();
      }
      expect(log.hits.filter((h) => /prefixed|entity|xhtml|href|handler|css-/.test(h))).toEqual(['GET /prefixed']);
    },
    120_000,
  );

  it('a downloaded drawing and a drawing planted in the download cache are rewritten the same way', async () => {
    const svg = drawings(log.url).prefixed;
    const server: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(svg);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
    const remote = `http://127.0.0.1:${(server.address() as AddressInfo).port}/chart.svg`;
    const planted = `${log.url}/planted.svg`;
    const key = createHash('sha256').update(planted).digest('hex').slice(0, 32);
    const dir = makeProject({
      'lectern.config.yaml': 'remoteHosts: [127.0.0.1]\n',
      'decks/a.md': `## A\n\n![remote](${remote})\n\n![planted](${planted})\n`,
      [`.lectern-cache/remote/${key}.svg`]: svg,
      [`.lectern-cache/remote/${key}.json`]: JSON.stringify({ url: planted, name: `${key}.svg` }),
    });
    const run = await runLectern(['build', '--no-pdf'], dir);
    expect(run.stderr).not.toContain('error');
    expect(run.code).toBe(0);
    expect(log.hits).not.toContain('GET /planted.svg');
    const published = readdirSync(join(dir, 'dist/a/_remote'));
    expect(published).toHaveLength(2);
    for (const name of published) {
      const out = readFileSync(join(dir, 'dist/a/_remote', name), 'utf8');
      expect(out).toContain('<rect width="40" height="40" fill="teal"/>');
      expect(out).not.toMatch(/script|fetch/i);
    }
  });

  it('lectern serve sends what a deck carries as a sandboxed document, and its own pages as pages', async () => {
    const dir = makeProject({
      'decks/a.md': '## A\n\n![one](x.svg)\n\n[data](table.csv)\n',
      'decks/x.svg': drawings(log.url).prefixed,
      'decks/table.csv': 'a,b\n1,2\n',
    });
    const child = spawn(process.execPath, [join(repoRoot, 'bin/lectern.js'), 'serve', '--port', '0'], { cwd: dir });
    onTestFinished(() => reap(child));
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const until = Date.now() + 30_000;
    while (!/serving (http:\/\/127\.0\.0\.1:\d+\/)/.test(out) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    const url = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)![1]!;
    const head = async (path: string) => (await fetch(new URL(path, url))).headers;
    for (const path of ['a/x.svg', 'a/table.csv']) {
      const headers = await head(path);
      expect(headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
      expect(headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect((await head('a/index.html')).get('content-security-policy')).toBeNull();
    expect((await head('a/_lectern/reveal/reveal.js')).get('content-security-policy')).toBeNull();
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGINT');
    await exited;
  }, 60_000);
});

describe('where build-time downloads may go', () => {
  let log: LoggingServer;
  let redirector: Server;
  let redirectorPort: number;
  beforeAll(async () => {
    log = await startLoggingServer();
    // Stands in for a public host that sends the build to an internal service.
    redirector = createServer((req, res) => {
      res.writeHead(302, { location: `${log.url}/internal${req.url}` }).end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    redirectorPort = (redirector.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await log?.close();
    await new Promise<void>((r) => redirector.close(() => r()));
  });

  it('refuses loopback and private addresses by default, by address and by what a name resolves to', async () => {
    const dir = makeProject({
      'decks/a.md': `## A\n\n![by address](${log.url}/metadata.png)\n\n![by name](http://localhost:${log.port}/admin.png)\n`,
    });
    const run = await runLectern(['build', '--no-pdf'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `could not be downloaded (127.0.0.1, a loopback, private or special address: allow it with \`remoteHosts:\` in lectern.config.yaml)`,
    );
    expect(run.stderr).toMatch(
      /could not be downloaded \(localhost is (127\.0\.0\.1|::1), a loopback, private or special address/,
    );
    expect(log.hits).toEqual([]);
    expect(log.connections()).toBe(0);
  });

  it('checks every hop of a redirect: an allowed host cannot send the build elsewhere', async () => {
    const dir = makeProject({
      'lectern.config.yaml': 'remoteHosts: [localhost]\n',
      'decks/a.md': `## A\n\n![chart](http://localhost:${redirectorPort}/chart.png)\n`,
    });
    const run = await runLectern(['build', '--no-pdf'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('could not be downloaded (127.0.0.1, a loopback, private or special address');
    expect(log.hits).toEqual([]);
  });

  it('a bad `remoteHosts:` entry is an error at its line', async () => {
    const dir = makeProject({ 'lectern.config.yaml': 'remoteHosts:\n  - 10.0.0.0/40\n', 'decks/a.md': '## A\n' });
    const run = await runLectern(['build', '--no-pdf'], dir);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/lectern\.config\.yaml:2:\d+: error\[CONFIG_INVALID\].*a range such as 10\.0\.0\.0\/8/);
  });
});
