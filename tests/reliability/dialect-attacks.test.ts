import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/fs.js';
import { startLoggingServer, type LoggingServer } from '../helpers/logging-server.js';
import { runLectern } from './invariants.js';

// The attacks found on reading other tools' decks and on the asset rules that came with them,
// each through the real CLI, each closed by a change of mechanism.
const pixel = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==',
  'base64',
);

describe('decks of other tools and their files, attacked', () => {
  let log: LoggingServer;
  beforeAll(async () => {
    log = await startLoggingServer();
  });
  afterAll(async () => log?.close());

  it('a stylesheet in UTF-16 (read otherwise by the browser) is never linked', async () => {
    const css = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`⨯{}body{background:url(${log.url}/css-utf16)}⼪{}`, 'utf16le'),
    ]);
    const dir = makeProject({ 'decks/a.md': '---\ncss: evil.css\n---\n\n## A\n', 'decks/evil.css': css });
    const run = await runLectern(['build', '--no-pdf'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'decks/a.md:2:1: warning[HTML_REMOVED]: stylesheet "evil.css" is not linked: it is not UTF-8 text',
    );
    const html = readFileSync(join(dir, 'dist/a/index.html'), 'utf8');
    expect(html).not.toContain('evil.css');
    expect(existsSync(join(dir, 'dist/a/evil.css'))).toBe(false);
  });

  it('no file but media leaves the project from outside the deck folder, and nothing hidden', async () => {
    const dir = makeProject({
      'Downloads/talk/deck.md':
        '## Slide\n\n![](../../.ssh/id_rsa)\n\n<img src="../../.env" alt="">\n\n![](../../notes.txt)\n\n![](../../.cache/x.png)\n',
      '.ssh/id_rsa': 'PRIVATE KEY',
      '.env': 'TOKEN=1',
      'notes.txt': 'private',
      '.cache/x.png': pixel,
    });
    const run = await runLectern(['build', 'Downloads/talk/deck.md', '--no-pdf'], dir);
    expect(run.code).toBe(1);
    expect(
      run.stderr.match(/error\[ASSET_OUTSIDE\]: "[^"]+" is not an image, video or audio file the deck may carry/g),
    ).toHaveLength(4);
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it('a link beside the deck to the project, or a deck at the project root, publishes nothing hidden and nothing but media', async () => {
    const dir = makeProject({
      '.env': 'TOKEN=1',
      '.git/config': '[core]',
      'secret.txt': 'private',
      'fake.png': 'not a picture',
      'root.md': '# Root\n\n![](.env)\n\n![](.git/config)\n\n![](secret.txt)\n\n![](fake.png)\n',
      'decks/talk/talk.md': '# Talk\n\n![](up/.env)\n\n![](up/secret.txt)\n\n![](up/.git/config)\n',
    });
    symlinkSync('../..', join(dir, 'decks/talk/up'));
    const root = await runLectern(['build', 'root.md', '--no-pdf'], dir);
    expect(root.code).toBe(1);
    // A text file named .png is left to `lectern check` (IMAGE_BROKEN): its name is all a deck controls.
    expect(
      root.stderr.match(/error\[ASSET_OUTSIDE\]: "[^"]+" is not an image, video or audio file the deck may carry/g),
    ).toHaveLength(3);
    const linked = await runLectern(['build', 'decks/talk/talk.md', '--no-pdf'], dir);
    expect(linked.code).toBe(1);
    expect(linked.stderr.match(/error\[ASSET_OUTSIDE\]/g)).toHaveLength(3);
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it('an SVG with script is carried by a safe deck only as its drawing, as an image or a link', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("${log.url}/svg")</script><rect width="1" height="1"/></svg>`;
    const dir = makeProject({
      'decks/a.md': '## A\n\n![fig](x.svg)\n',
      'decks/b.md': '## B\n\n[open the figure](x.svg)\n',
      'decks/x.svg': svg,
    });
    const run = await runLectern(['build', '--no-pdf'], dir);
    expect(run.code).toBe(0);
    for (const deck of ['a', 'b']) {
      const out = readFileSync(join(dir, `dist/${deck}/x.svg`), 'utf8');
      expect(out).toContain('<rect width="1" height="1"/>');
      expect(out).not.toContain('script');
    }
  });

  it('the remote cache is trusted no more than a download: links and files of the wrong kind are refetched', async () => {
    const url = `${log.url}/chart.png`;
    const key = createHash('sha256').update(url).digest('hex').slice(0, 32);
    const secret = makeProject({ 'secret.txt': 'TOP SECRET' });
    const dir = makeProject({
      'lectern.config.yaml': 'remoteHosts: [127.0.0.1]\n',
      'decks/a.md': `## A\n\n![chart](${url})\n`,
    });
    mkdirSync(join(dir, '.lectern-cache/remote'), { recursive: true });
    writeFileSync(join(dir, `.lectern-cache/remote/${key}.json`), JSON.stringify({ url, name: `${key}.png` }));
    symlinkSync(join(secret, 'secret.txt'), join(dir, `.lectern-cache/remote/${key}.png`));
    const run = await runLectern(['build', '--no-pdf'], dir);
    expect(run.code).toBe(0);
    // Fetched again (the logging server sends no image): a placeholder, and no secret anywhere.
    expect(log.hits).toContain('GET /chart.png');
    expect(run.stderr).toContain('could not be downloaded (not an image or media file)');
    expect(existsSync(join(dir, 'dist/a/_remote'))).toBe(false);

    // A cache folder that is a link is not used, and nothing is written through it.
    const elsewhere = makeProject({});
    const linked = makeProject({
      'lectern.config.yaml': 'remoteHosts: [127.0.0.1]\n',
      'decks/a.md': `## A\n\n![chart](${log.url}/linked.png)\n`,
    });
    symlinkSync(elsewhere, join(linked, '.lectern-cache'));
    const second = await runLectern(['build', '--no-pdf'], linked);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(
      'could not be downloaded (.lectern-cache must be a folder of the project, not a link)',
    );
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('a separator pattern that backtracks without end stops the build within its time limit', async () => {
    const dir = makeProject({ 'decks/a.md': `---\nseparator: "(a|a)+b"\n---\n# S\n${'a'.repeat(60)}\n` });
    const run = await runLectern(['build', '--no-pdf'], dir, 30_000);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /error\[FRONT_MATTER_INVALID\]: the pattern "\(a\|a\)\+b.*" takes more than 2 s on this deck/,
    );
    const nested = makeProject({
      'decks/a.md': '# A\n',
      'decks/reveal-md.json': '{"notesSeparator":"^(\\\\w+\\\\s?)+$"}',
    });
    // Read leniently, the pattern is left out with a warning (never run); --strict refuses it.
    const warned = await runLectern(['build', '--no-pdf'], nested, 30_000);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(
      /reveal-md\.json:1:1: warning\[OPTION_IGNORED\]: option "notesSeparator" is ignored: a pattern with a repeated group inside a repetition/,
    );
    const refused = await runLectern(['build', '--no-pdf', '--strict'], nested, 30_000);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error[OPTION_IGNORED]');
  });

  it('a reveal-md.json cannot turn sanitising off', async () => {
    const dir = makeProject({
      'decks/reveal-md.json': '{"html":"unsafe","remote":"link"}',
      'decks/a.md': `# A\n---\n## B\n<img src="b.png" alt="" onerror="fetch('${log.url}/json-unsafe')">\n`,
      'decks/b.png': pixel,
    });
    const run = await runLectern(['build', '--no-pdf'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'decks/reveal-md.json:1:1: warning[OPTION_IGNORED]: "html" in decks/reveal-md.json is ignored',
    );
    expect(run.stderr).toContain('warning[HTML_REMOVED]: removed onerror on <img> (event handler)');
    expect(readFileSync(join(dir, 'dist/a/index.html'), 'utf8')).not.toContain('onerror');
  });

  it('lectern check fetches nothing and writes no cache', async () => {
    const before = log.hits.length;
    const dir = makeProject({ 'decks/a.md': `## A\n\n![x](${log.url}/check.png)\n` });
    const run = await runLectern(['check', '--no-browser'], dir);
    expect(run.stdout).toContain('not fetched by a run that writes nothing');
    expect(log.hits.length).toBe(before);
    expect(existsSync(join(dir, '.lectern-cache'))).toBe(false);
  });

  it('a flood of warnings is capped per kind, never a crash', async () => {
    const dir = makeProject({ 'decks/a.qmd': `## A\n\n${'{{< a >}}\n'.repeat(150_000)}` });
    const run = await runLectern(['build', '--no-pdf'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr.match(/warning\[SYNTAX_UNSUPPORTED\]/g)).toHaveLength(51);
    expect(run.stderr).toContain('149950 more SYNTAX_UNSUPPORTED warnings in this deck are not shown');
  });

  it("a Slidev import reads only Markdown inside the project, nothing hidden, whatever a link's name says", async () => {
    const slidev = (src: string) => `---\nhighlighter: shiki\n---\n\n# Title\n\n---\nsrc: ${src}\n---\n`;
    const dir = makeProject({
      '.env': 'SECRET_DOTENV=hunter2\n',
      '.env.md': '# SECRET_HIDDEN_MD\n',
      'keys.txt': 'SECRET_TEXT_FILE\n',
      'decks/one.md': slidev('./parts/envlink.md'),
      'decks/two.md': slidev('./parts/hiddenlink.md'),
      'decks/three.md': slidev('./parts/textlink.md'),
      'decks/five.md': slidev('/../.env.md'),
    });
    const elsewhere = makeProject({ 'outside.md': '# SECRET_OUTSIDE\n' });
    writeFileSync(join(dir, 'decks/four.md'), slidev(relative(join(dir, 'decks'), join(elsewhere, 'outside.md'))));
    mkdirSync(join(dir, 'decks/parts'));
    symlinkSync('../../.env', join(dir, 'decks/parts/envlink.md'));
    symlinkSync('../../.env.md', join(dir, 'decks/parts/hiddenlink.md'));
    symlinkSync('../../keys.txt', join(dir, 'decks/parts/textlink.md'));
    const run = await runLectern(['build', '--no-pdf'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.match(/warning\[ASSET_MISSING\]: imported slides/g)).toHaveLength(5);
    for (const deck of ['one', 'two', 'three', 'four', 'five']) {
      const html = readFileSync(join(dir, 'dist', deck, 'index.html'), 'utf8');
      expect(html).not.toMatch(/SECRET_/);
    }
  });

  it('imports cannot multiply a small deck into an endless one', async () => {
    const big = Array.from({ length: 2000 }, (_, i) => `# S${i}`).join('\n\n---\n\n');
    const many = Array.from({ length: 199 }, () => '---\nsrc: ./big.md\n---\n').join('\n');
    const dir = makeProject({
      'decks/amp.md': `---\nhighlighter: shiki\n---\n\n# Start\n\n${many}`,
      'decks/big.md': big,
    });
    const run = await runLectern(['build', 'decks/amp.md', '--no-pdf', '--json'], dir);
    expect(run.code, run.stderr).toBe(0);
    const slides = JSON.parse(run.stdout).decks[0].slides;
    expect(slides).toBeLessThanOrEqual(5000);
    expect(run.stderr).toContain('a deck may have 5000 slides');
  });
});
