import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, listFiles, makeProject, repoRoot } from '../helpers/fs.js';
import { tempDir } from '../helpers/temp.js';

describe('lectern build of the repository decks', () => {
  let out: string;
  let result: Awaited<ReturnType<typeof cli>>;
  beforeAll(async () => {
    out = tempDir('dist');
    result = await cli(['build', '--no-pdf', '--out', out], repoRoot);
  });

  it('exits 0 and reports each deck with its slide count', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/built decks\/open-source-ai\.md -> .*open-source-ai\/index\.html \(\d+ slides\)/);
    expect(result.stdout).toMatch(/^3 decks in \d+ ms, 0 warnings$/m);
  });

  it('writes each deck with only the Reveal.js files it needs, the theme and its images', () => {
    const files = listFiles(join(out, 'open-source-ai'));
    expect(files.filter((f) => f.startsWith('_lectern/reveal/'))).toEqual([
      '_lectern/reveal/plugin/notes.js',
      '_lectern/reveal/reveal.css',
      '_lectern/reveal/reveal.js',
    ]);
    expect(files).toContain('_lectern/templates/default/theme.css');
    expect(files).toContain('_lectern/templates/default/fonts/inter-latin-400-normal.woff2');
    expect(files).toContain('images/open-vs-closed.svg');
    expect(files).toContain('index.html');
    expect(listFiles(join(out, 'lightning'))).not.toContain('images/open-vs-closed.svg');
  });

  it('makes no reference outside the deck folder', () => {
    for (const deck of ['open-source-ai', 'lightning', 'debate']) {
      const html = readFileSync(join(out, deck, 'index.html'), 'utf8');
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
      const css = readFileSync(join(out, deck, '_lectern/templates/default/theme.css'), 'utf8');
      expect(css).not.toMatch(/@import|url\(['"]?(https?:)?\/\//);
    }
  });

  it('lists every deck in dist/index.html with title, author, slide count and link', () => {
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    const summary = JSON.parse(readFileSync(join(out, 'open-source-ai', 'deck.json'), 'utf8'));
    expect(index).toContain('<a href="open-source-ai/index.html">The Case for Open AI Models</a>');
    expect(index).toContain(`${summary.slideCount} slides`);
    expect(index.match(/<li class="deck">/g)).toHaveLength(3);
    expect(index).toContain('Open or Closed?');
    expect(index).toContain('Open Models in Five Minutes');
  });
});

describe('the talks in decks/', () => {
  const decks = ['open-source-ai', 'lightning', 'debate'];
  let out: string;
  beforeAll(async () => {
    out = tempDir('dist');
    const { code } = await cli(['build', '--no-pdf', '--out', out, '--quiet'], repoRoot);
    expect(code).toBe(0);
  });
  const count = (html: string, re: RegExp) => html.match(re)?.length ?? 0;

  it('the full talk has 20+ slides, notes on most, a quote, two columns, code and a table', () => {
    const html = readFileSync(join(out, 'open-source-ai', 'index.html'), 'utf8');
    const slides = count(html, /<section [^>]*data-layout=/g);
    expect(slides).toBeGreaterThanOrEqual(20);
    expect(count(html, /<aside class="notes">/g)).toBeGreaterThan(slides / 2);
    expect(count(html, /data-layout="section"/g)).toBeGreaterThanOrEqual(6);
    expect(html).toContain('data-layout="quote"');
    expect(html).toContain('data-layout="two-column"');
    expect(html).toContain('data-layout="code"');
    expect(html).toMatch(/<table data-line="\d+">/);
  });

  it('the lightning talk is short and the debate sets positions side by side', () => {
    const lightning = readFileSync(join(out, 'lightning', 'index.html'), 'utf8');
    expect(count(lightning, /<section [^>]*data-layout=/g)).toBeLessThanOrEqual(8);
    const debate = readFileSync(join(out, 'debate', 'index.html'), 'utf8');
    expect(count(debate, /data-layout="two-column"/g)).toBeGreaterThanOrEqual(4);
    expect(debate).toContain('For open');
    expect(debate).toContain('For closed');
  });

  it('every deck sets its language and title', () => {
    for (const deck of decks) {
      const html = readFileSync(join(out, deck, 'index.html'), 'utf8');
      expect(html).toMatch(/<html lang="en">/);
      expect(html).toMatch(/<title>[^<]+<\/title>/);
    }
  });
});

describe('config layers', () => {
  it('merges defaults < config file < front matter < flags', async () => {
    const dir = makeProject({
      'lectern.config.yaml': 'aspect: "4:3"\nauthor: From config\nout: public\n',
      'decks/a.md': '---\ntitle: A\n---\n## One\n',
      'decks/b.md': '---\ntitle: B\naspect: "16:9"\nauthor: From deck\n---\n## One\n',
      'templates/plain/layout.hbs': '<html>{{deck.meta.author}} {{deck.width}}</html>',
    });
    const { code } = await cli(['build', '--no-pdf', '--template', 'plain'], dir);
    expect(code).toBe(0);
    expect(readFileSync(join(dir, 'public/a/index.html'), 'utf8')).toBe('<html>From config 1024</html>');
    expect(readFileSync(join(dir, 'public/b/index.html'), 'utf8')).toBe('<html>From deck 1280</html>');
  });

  it('builds single files given on the command line', async () => {
    const dir = makeProject({ 'talks/x.md': '## Only\n', 'talks/y.md': '## Other\n' });
    const { code, stdout } = await cli(['build', '--no-pdf', 'talks/y.md'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('built talks/y.md');
    expect(listFiles(join(dir, 'dist')).filter((f) => f.endsWith('index.html'))).toEqual([
      'index.html',
      'y/index.html',
    ]);
  });
});

describe('the lectern binary', () => {
  it('prints help and version', async () => {
    const help = await cli(['--help'], repoRoot);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('lectern build [files or folders…]');
    const version = await cli(['--version'], repoRoot);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    expect(version.stdout.trim()).toBe(pkg.version);
  });

  it('exits with the documented status as a real process', () => {
    const dir = makeProject({ 'decks/a.md': '---\nbogus: 1\n---\n## A\n' });
    const run = spawnSync(process.execPath, [join(repoRoot, 'bin/lectern.js'), 'build', '--strict', '--no-pdf'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('decks/a.md:2:1: error[OPTION_IGNORED]: unknown option "bogus" is ignored');
    expect(run.stderr).not.toContain('    at ');
  });
});

describe('what a build loads', () => {
  /** The modules an HTML-only build of `deck` loaded: Node's own, and files from node_modules and the bundle. */
  const loadedBy = (deck: string): string[] => {
    const dir = makeProject({ 'decks/d.md': deck });
    const probe = join(tempDir('probe'), 'probe.cjs');
    writeFileSync(
      probe,
      "process.on('exit', () => require('node:fs').writeFileSync(process.env.PROBE_OUT, JSON.stringify([...process.moduleLoadList, ...Object.keys(require.cache)])));\n",
    );
    const out = `${probe}.json`;
    const run = spawnSync(process.execPath, ['-r', probe, join(repoRoot, 'bin/lectern.js'), 'build', '--no-pdf'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PROBE_OUT: out },
    });
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(readFileSync(out, 'utf8'));
  };
  const heavy = (loaded: string[]) => ({
    katex: loaded.some((m) => m.includes('node_modules/katex/')),
    highlight: loaded.some((m) => m.includes('node_modules/highlight.js/')),
    browserDriver: loaded.some((m) => /puppeteer-core/.test(m)),
    http: loaded.some((m) => /^NativeModule (http|https|tls)$/.test(m)),
  });

  it('loads the math, code and browser libraries and Node’s HTTP only for a deck that needs them', () => {
    expect(heavy(loadedBy('---\ntitle: Plain\n---\n\n## Words\n\n- only words\n'))).toEqual({
      katex: false,
      highlight: false,
      browserDriver: false,
      http: false,
    });
    expect(heavy(loadedBy('---\ntitle: Rich\n---\n\n## Sums\n\n$x^2$\n\n```js\nconst x = 1;\n```\n'))).toEqual({
      katex: true,
      highlight: true,
      browserDriver: false,
      http: false,
    });
  });
});

describe('the list of decks', () => {
  it('orders titles by their letters, accents and case aside, and the same whatever the locale of the machine', () => {
    const dir = makeProject({
      'decks/z.md': '---\ntitle: Zebra crossings\n---\n\n## Z\n',
      'decks/a.md': '---\ntitle: Ängste und Modelle\n---\n\n## Ä\n',
      'decks/b.md': '---\ntitle: apple orchards\n---\n\n## A\n',
      'decks/e.md': '---\ntitle: Étude of weights\n---\n\n## É\n',
      'decks/f.md': '---\ntitle: etude of weights\n---\n\n## e\n',
    });
    const indexWith = (locale: string): string => {
      const run = spawnSync(
        process.execPath,
        [join(repoRoot, 'bin/lectern.js'), 'build', '--no-pdf', '--force', '-q'],
        { cwd: dir, encoding: 'utf8', env: { ...process.env, LANG: locale, LC_ALL: locale } },
      );
      expect(run.status, run.stderr).toBe(0);
      return readFileSync(join(dir, 'dist/index.html'), 'utf8');
    };
    const english = indexWith('en_US.UTF-8');
    const titles = [...english.matchAll(/<h2><a [^>]*>([^<]*)<\/a>/g)].map((m) => m[1]);
    expect(titles).toEqual([
      'Ängste und Modelle',
      'apple orchards',
      'etude of weights',
      'Étude of weights',
      'Zebra crossings',
    ]);
    // Swedish puts Ä after Z; a list that followed the machine's locale would differ here.
    expect(indexWith('sv_SE.UTF-8')).toBe(english);
  });
});

describe('lectern --timings', () => {
  it('says where the run’s time went, phase by phase, on stderr, and nothing without it', async () => {
    const dir = makeProject({ 'decks/t.md': '---\ntitle: Timed\n---\n\n## One\n\nWords.\n' });
    const timed = await cli(['build', '--no-pdf', '--timings'], dir);
    expect(timed.code).toBe(0);
    const line = /^lectern: timings \(ms\): (\{.*\})$/m.exec(timed.stderr);
    expect(line).not.toBeNull();
    const phases = JSON.parse(line![1]!) as Record<string, number>;
    expect(Object.keys(phases)).toEqual(['total', 'read, model, render, content checks']);
    expect(phases.total).toBeGreaterThanOrEqual(phases['read, model, render, content checks']!);
    const plain = await cli(['build', '--no-pdf', '--force'], dir);
    expect(plain.stderr).toBe('');
  });
});

describe('the README', () => {
  it('names only decks and built folders that the repository has', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const usage = /## Using it\n\n```sh\n([\s\S]*?)```/.exec(readme)![1]!;
    const decks = [...usage.matchAll(/\bdecks\/([\w-]+)\.md\b/g)].map((m) => m[1]!);
    const built = [...usage.matchAll(/\bdist\/([\w-]+)(?=[\s/])/g)].map((m) => m[1]!);
    expect(decks.length).toBeGreaterThan(2);
    for (const name of new Set([...decks, ...built]))
      expect(existsSync(join(repoRoot, 'decks', `${name}.md`)), name).toBe(true);
  });
});
