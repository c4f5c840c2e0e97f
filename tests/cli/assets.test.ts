import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, makeProject } from '../helpers/fs.js';

// A one-pixel PNG, and a second server on 127.0.0.1 standing in for "remote".
const png = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

interface Remote {
  url: string;
  hits: string[];
  close: () => Promise<void>;
}

async function startRemote(): Promise<Remote> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/pixel.png') res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    else if (req.url === '/moved.png') res.writeHead(302, { location: '/pixel.png' }).end();
    else if (req.url === '/page.png')
      res.writeHead(200, { 'content-type': 'image/png' }).end('<html><script>alert(1)</script></html>');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The test's server is on 127.0.0.1: downloads from there must be allowed (src/config/address-policy.ts). */
const allowTestServer = 'remoteHosts: [127.0.0.1]\n';

describe('images never block a first build', () => {
  let remote: Remote;
  beforeAll(async () => {
    remote = await startRemote();
  });
  afterAll(async () => remote?.close());

  it('shows a missing image as a placeholder that names it, with a warning at its line', async () => {
    const dir = makeProject({
      'decks/a.md': '## A\n\n![The chart](img/chart.png)\n\n## B\n\n<img src="gone.jpg" alt="x">\n',
    });
    const run = await cli(['build', '--no-pdf'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'decks/a.md:3:1: warning[ASSET_MISSING]: image "img/chart.png" not found; a placeholder is shown',
    );
    expect(run.stderr).toContain(
      'decks/a.md:7:1: warning[ASSET_MISSING]: image "gone.jpg" not found; a placeholder is shown',
    );
    const html = readFileSync(join(dir, 'dist/a/index.html'), 'utf8');
    expect(html).toContain(
      '<span class="lectern-missing" role="img" aria-label="missing image: The chart" title="img/chart.png">missing image: chart.png</span>',
    );
    expect(html).not.toMatch(/<img[^>]+chart\.png/);
    // For CI: warnings fail the build with --strict, before anything is written.
    const strict = makeProject({ 'decks/a.md': '## A\n\n![x](gone.png)\n' });
    expect((await cli(['build', '--no-pdf', '--strict'], strict)).code).toBe(1);
    expect(existsSync(join(strict, 'dist'))).toBe(false);
  });

  it('downloads a remote image into the deck, once: rebuilds use the project cache', async () => {
    const dir = makeProject({
      'lectern.config.yaml': allowTestServer,
      'decks/a.md': `## A\n\n![pixel](${remote.url}/pixel.png)\n\n![moved](${remote.url}/moved.png)\n`,
    });
    const before = remote.hits.length;
    const run = await cli(['build', '--no-pdf'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(remote.hits.slice(before)).toEqual(['/pixel.png', '/moved.png', '/pixel.png']);
    const html = readFileSync(join(dir, 'dist/a/index.html'), 'utf8');
    expect(html).not.toContain('127.0.0.1');
    const copies = readdirSync(join(dir, 'dist/a/_remote'));
    expect(copies).toHaveLength(2);
    for (const name of copies) {
      expect(html).toContain(`src="_remote/${name}"`);
      expect(readFileSync(join(dir, 'dist/a/_remote', name))).toEqual(png);
    }
    expect(readdirSync(join(dir, '.lectern-cache/remote')).filter((f) => f.endsWith('.png'))).toHaveLength(2);
    const again = remote.hits.length;
    expect((await cli(['build', '--no-pdf'], dir)).code).toBe(0);
    expect(remote.hits.length).toBe(again);
  });

  it('keeps a file that is no image out of the deck: a placeholder and a warning', async () => {
    const dir = makeProject({
      'lectern.config.yaml': allowTestServer,
      'decks/a.md': `## A\n\n![page](${remote.url}/page.png)\n\n![gone](${remote.url}/gone.png)\n`,
    });
    const run = await cli(['build', '--no-pdf'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `decks/a.md:3:1: warning[ASSET_MISSING]: "${remote.url}/page.png" could not be downloaded (not an image or media file); a placeholder is shown`,
    );
    expect(run.stderr).toContain(
      `decks/a.md:5:1: warning[ASSET_MISSING]: "${remote.url}/gone.png" could not be downloaded (HTTP 404); a placeholder is shown`,
    );
    const html = readFileSync(join(dir, 'dist/a/index.html'), 'utf8');
    expect(html).not.toContain('127.0.0.1');
    expect(html.match(/class="lectern-missing"/g)).toHaveLength(2);
    expect(existsSync(join(dir, 'dist/a/_remote'))).toBe(false);
  });

  it('keeps the link with `remote: link`, saying the deck is no longer offline; refuses it with `remote: error`', async () => {
    const deck = `## A\n\n![pixel](${remote.url}/pixel.png)\n`;
    const linked = makeProject({ 'decks/a.md': `---\nremote: link\n---\n\n${deck}` });
    const before = remote.hits.length;
    const run = await cli(['build', '--no-pdf'], linked);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `decks/a.md:7:1: warning[ASSET_REMOTE]: "${remote.url}/pixel.png" stays a link: the deck needs the network to show it`,
    );
    expect(readFileSync(join(linked, 'dist/a/index.html'), 'utf8')).toContain(`src="${remote.url}/pixel.png"`);
    const refused = makeProject({ 'decks/a.md': deck, 'lectern.config.yaml': 'remote: error\n' });
    const failed = await cli(['build', '--no-pdf'], refused);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      `decks/a.md:3:1: error[ASSET_REMOTE]: "${remote.url}/pixel.png" would be loaded from the network`,
    );
    expect(remote.hits.length).toBe(before);
  });

  it('looks a root-absolute image up from the project, and warns of one neither there nor anywhere', async () => {
    const dir = makeProject({
      'talks/a.md': '## A\n\n![logo](/images/logo.png)\n\n![gone](/images/gone.png)\n\n![away](../../nowhere/x.png)\n',
      'images/logo.png': png,
    });
    const run = await cli(['build', 'talks', '--no-pdf'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('talks/a.md:5:1: warning[ASSET_MISSING]: image "/images/gone.png" not found');
    expect(run.stderr).toContain('talks/a.md:7:1: warning[ASSET_MISSING]: image "../../nowhere/x.png" not found');
    const html = readFileSync(join(dir, 'dist/a/index.html'), 'utf8');
    expect(html).toContain('src="_project/images/logo.png"');
    expect(readFileSync(join(dir, 'dist/a/_project/images/logo.png'))).toEqual(png);
  });

  it('copies images from elsewhere in the project, and refuses what lies outside it or links out of it', async () => {
    const dir = makeProject({
      'talks/2024/a.md':
        '## A\n\n![shared](../../images/logo.png)\n\n<!-- .slide: data-background-image="../../images/bg.png" -->\n',
      'images/logo.png': png,
      'images/bg.png': png,
    });
    const run = await cli(['build', 'talks/2024', '--no-pdf'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const html = readFileSync(join(dir, 'dist/a/index.html'), 'utf8');
    expect(html).toContain('src="_project/images/logo.png"');
    expect(html).toContain('data-background-image="_project/images/bg.png"');
    expect(readFileSync(join(dir, 'dist/a/_project/images/logo.png'))).toEqual(png);

    const outside = makeProject({ 'secret.png': png });
    mkdirSync(join(dir, 'talks/links'), { recursive: true });
    symlinkSync(join(outside, 'secret.png'), join(dir, 'images/out.png'));
    writeFileSync(
      join(dir, 'talks/links/b.md'),
      '## B\n\n![a](../../images/out.png)\n\n![b](../../../../../../../../../../../../etc/passwd)\n',
    );
    const bad = await cli(['build', 'talks/links', '--no-pdf'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'talks/links/b.md:3:1: error[ASSET_OUTSIDE]: "../../images/out.png" links to a file outside the project',
    );
    expect(bad.stderr).toContain(
      'talks/links/b.md:5:1: error[ASSET_OUTSIDE]: "../../../../../../../../../../../../etc/passwd" is outside the project',
    );
    expect(bad.stderr).toContain('2 errors; nothing was written');
  });

  it('links a deck stylesheet named by `css:` that loads nothing, and not one that does', async () => {
    const dir = makeProject({
      'decks/a.md': '---\ncss: [style/own.css, style/loads.css]\n---\n\n## A\n',
      'decks/style/own.css': '.reveal h2 { color: teal; }\n',
      'decks/style/loads.css': '@import "http://127.0.0.1:9/x.css";\n',
    });
    const run = await cli(['build', '--no-pdf'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'decks/a.md:2:22: warning[HTML_REMOVED]: stylesheet "style/loads.css" is not linked: it uses @import',
    );
    const html = readFileSync(join(dir, 'dist/a/index.html'), 'utf8');
    expect(html).toContain('<link rel="stylesheet" href="style/own.css">');
    expect(html).not.toContain('loads.css');
    expect(readFileSync(join(dir, 'dist/a/style/own.css'), 'utf8')).toContain('teal');
  });
});
