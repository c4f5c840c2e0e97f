import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { cli, hashTree, makeProject, repoRoot } from '../helpers/fs.js';
import { readPdf } from '../helpers/pdf.js';
import { serveFolder } from '../helpers/static-server.js';
import { browserForTests } from '../helpers/browser.js';
import { reap } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp.js';

// Real Chromium, real PDFs read back with pdf.js.
const browserPath = browserForTests('PDF tests');

const bin = join(repoRoot, 'bin', 'lectern.js');

/** Chromium processes whose command line mentions `marker` (a private TMPDIR). */
function chromiumWith(marker: string): number[] {
  const out = spawnSync('pgrep', ['-f', marker], { encoding: 'utf8' }).stdout;
  return out
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

async function waitFor<T>(check: () => T | undefined | false, what: string, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A deck whose print layout never reports ready: an export of it hangs until its timeout. */
const stuckDeck = `---
title: Stuck
html: unsafe
---

## Never ready

<script>window.addEventListener('pdf-ready', (e) => e.stopImmediatePropagation(), true);</script>

Waiting forever.
`;

describe.skipIf(!browserPath)('PDF export of the talks', () => {
  let out: string;
  let json: {
    decks: { name: string; slides: number; pdf: string; pages: number; bytes: number; warnings: unknown[] }[];
  };
  beforeAll(async () => {
    out = tempDir('pdf');
    const run = await cli(['build', '--out', out, '--json'], repoRoot);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    json = JSON.parse(run.stdout);
  });

  it('writes one page per slide for every deck', async () => {
    expect(json.decks.map((d) => d.name).sort()).toEqual(['debate', 'lightning', 'open-source-ai']);
    for (const deck of json.decks) {
      const pdf = await readPdf(join(out, deck.name, `${deck.name}.pdf`));
      expect(pdf.pages).toBe(deck.slides);
      expect(deck.pages).toBe(deck.slides);
      expect(deck.bytes).toBe(readFileSync(join(out, deck.name, `${deck.name}.pdf`)).length);
    }
  });

  it('has the text of every slide title, the metadata and bookmarks from the sections', async () => {
    const summary = JSON.parse(readFileSync(join(out, 'open-source-ai', 'deck.json'), 'utf8'));
    const pdf = await readPdf(join(out, 'open-source-ai', 'open-source-ai.pdf'));
    const text = pdf.text.join('\n');
    for (const slide of summary.slides) if (slide.title) expect(text).toContain(slide.title.replace(/"/g, '"'));
    expect(pdf.info.Title).toBe('The Case for Open AI Models');
    expect(pdf.info.Author).toBe('Lectern example talk');
    expect(pdf.info.Subject).toBe('What an essay on open-source AI argues, and what it leaves open');
    expect(pdf.outline.map((o) => o.title)).toEqual([
      'The Case for Open AI Models',
      'Why this talk',
      'The bet behind openness',
      'What "closed" means',
      'Many hands',
      'Security through openness',
      'The model portfolio',
      'Who benefits',
      'Why it matters',
    ]);
    expect(pdf.outline[2]!.items.map((o) => o.title)).toEqual([
      'Access without lock-in',
      "In the author's words",
      'A lesson from phones',
      'Two ways to ship a platform',
    ]);
    // 16:9 slides at 1280x720 with Reveal's 4% margin, in points.
    expect(pdf.size[0] / pdf.size[1]).toBeCloseTo(16 / 9, 2);
  });

  it('writes a thumbnail of each title slide and shows it on the index', () => {
    for (const deck of json.decks) {
      const png = readFileSync(join(out, deck.name, 'thumbnail.png'));
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(480);
      expect(png.readUInt32BE(20)).toBeGreaterThan(250);
    }
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain(
      '<img src="lightning/thumbnail.png" alt="Title slide of Open Models in Five Minutes" width="240">',
    );
  });

  it('links the PDF from dist/index.html', () => {
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain('<a href="lightning/lightning.pdf">PDF</a>');
    expect(index.match(/>PDF<\/a>/g)).toHaveLength(3);
  });
});

describe.skipIf(!browserPath)('PDF options', () => {
  it('--pdf-notes adds a notes page after each slide with notes; --pdf-fragments a page per step', async () => {
    const dir = makeProject({
      'decks/d.md':
        '---\ntitle: Options\n---\n\n## One\n\n+ a\n+ b\n+ c\n\nNote: first notes\n\n## Two\n\nplain\n\n## Three\n\n- x\n\nNote: third notes\n',
    });
    const notes = await cli(['build', '--pdf-notes', '--quiet'], dir);
    expect(notes.code).toBe(0);
    let pdf = await readPdf(join(dir, 'dist/d/d-notes.pdf'));
    expect(pdf.pages).toBe(4 + 2);
    // A handout page: the slide's number and title, a picture of the slide (its text still text), the notes.
    expect(pdf.text[2]).toMatch(/^2 \/ 4\s+One\b/);
    expect(pdf.text[2]).toContain('first notes');
    expect(pdf.text[2]).toMatch(/\ba b c\b/);
    expect(pdf.text[5]).toMatch(/^4 \/ 4\s+Three\b/);
    expect(pdf.text[5]).toContain('third notes');
    expect(pdf.text[5]).not.toContain('Speaker notes');
    // The slides' own pages are still the ones bookmarks and the page list name.
    expect(pdf.outline.map((o) => o.title)).toEqual(['Options', 'One', 'Two', 'Three']);

    const fragments = await cli(['build', '--pdf-fragments', '--quiet'], dir);
    expect(fragments.code).toBe(0);
    pdf = await readPdf(join(dir, 'dist/d/d-fragments.pdf'));
    expect(pdf.pages).toBe(1 + 4 + 1 + 1);
    // Each kind has its own file, and the deck's folder keeps them all.
    expect(existsSync(join(dir, 'dist/d/d-notes.pdf'))).toBe(true);
    expect(existsSync(join(dir, 'dist/d/d.pdf'))).toBe(true);
  });

  it('keeps links between slides working in the PDF', async () => {
    const dir = makeProject({
      'decks/l.md': '## Start\n\nGo to [the end](#/2).\n\n## Middle\n\ntext\n\n## End\n\ndone\n',
    });
    expect((await cli(['build', '--quiet'], dir)).code).toBe(0);
    const pdf = await readPdf(join(dir, 'dist/l/l.pdf'));
    expect(pdf.links[0]).toEqual([2]);
  });

  it('warns about a slide that overflows its page, naming the slide and line', async () => {
    const items = Array.from({ length: 40 }, (_, i) => `- item ${i}`).join('\n');
    const source = `## Fine\n\nshort\n\n## Too long\n\n${items}\n\n## Wide\n\n\`\`\`text\n${'x'.repeat(300)}\n\`\`\`\n`;
    const dir = makeProject({ 'decks/o.md': source });
    const run = await cli(['build'], dir);
    expect(run.code).toBe(0);
    const long =
      /decks\/o\.md:5:1: warning\[SLIDE_OVERFLOW\]: slide 2 "Too long" overflows its page by \d+px and is cut off in the PDF: line (\d+) on is off the page/.exec(
        run.stderr,
      );
    expect(long, run.stderr).not.toBeNull();
    // The first item past the page's edge, an item line of the list.
    expect(source.split('\n')[Number(long![1]) - 1]).toMatch(/^- item \d+$/);
    const fence = source.split('\n').indexOf('```text') + 1;
    expect(run.stderr).toMatch(
      new RegExp(
        `decks/o\\.md:${fence}:1: warning\\[SLIDE_OVERFLOW\\]: slide 3 "Wide": a code block is cut off by \\d+px in the PDF`,
      ),
    );
    expect(run.stderr.match(/warning\[SLIDE_OVERFLOW\]/g)).toHaveLength(2);
  });

  it('gives the same bytes for two builds of a deck with a date', async () => {
    const dir = makeProject({
      'decks/s.md':
        '---\ntitle: Same\ndate: 2026-03-04\nkeywords: [open, models]\nlang: de\n---\n\n## A\n\n```js\nconst x = 1;\n```\n',
    });
    expect((await cli(['build', '--quiet'], dir)).code).toBe(0);
    const first = readFileSync(join(dir, 'dist/s/s.pdf'));
    expect((await cli(['build', '--quiet'], dir)).code).toBe(0);
    const second = readFileSync(join(dir, 'dist/s/s.pdf'));
    expect(second.equals(first)).toBe(true);
    const { info } = await readPdf(join(dir, 'dist/s/s.pdf'));
    expect(info.CreationDate).toBe('D:20260304000000Z');
    expect(info.Keywords).toBe('open models');
    const { PDFDocument, PDFName } = await import('pdf-lib');
    const doc = await PDFDocument.load(first);
    expect(String(doc.catalog.get(PDFName.of('Lang')))).toBe('(de)');
  });

  it('exports a built deck folder again with lectern pdf', async () => {
    const dir = makeProject({ 'decks/p.md': '---\ntitle: Again\n---\n\n## A\n' });
    expect((await cli(['build', '--no-pdf', '--quiet'], dir)).code).toBe(0);
    expect(existsSync(join(dir, 'dist/p/p.pdf'))).toBe(false);
    const run = await cli(['pdf', 'dist/p'], dir);
    expect(run.code).toBe(0);
    expect((await readPdf(join(dir, 'dist/p/p.pdf'))).pages).toBe(2);
    expect(readFileSync(join(dir, 'dist/index.html'), 'utf8')).toContain('<a href="p/p.pdf">PDF</a>');
  });
});

describe.skipIf(!browserPath)('PDF export stays inside the deck', () => {
  let remote: Awaited<ReturnType<typeof serveFolder>>;
  beforeAll(async () => {
    remote = await serveFolder(makeProject({ 'pixel.png': 'x', 'style.css': 'body { color: red }' }));
  });
  afterAll(async () => remote?.close());

  it('blocks and reports requests to another server and to file: URLs', async () => {
    const hostname = readFileSync('/etc/hostname', 'utf8').trim();
    const dir = makeProject({
      'decks/leak.md': `---\ntitle: Leaky\nhtml: unsafe\n---\n\n## Outside\n\n<img src="${remote.url}/pixel.png" alt="p">\n\n<link rel="stylesheet" href="${remote.url}/style.css">\n\n<iframe src="file:///etc/hostname"></iframe>\n\nVisible text\n`,
    });
    const run = await cli(['build'], dir);
    expect(run.code).toBe(0);
    expect(remote.requests).toEqual([]);
    expect(run.stderr).toContain(`warning[REQUEST_BLOCKED]: blocked a request to ${remote.url}/pixel.png`);
    expect(run.stderr).toContain(`warning[REQUEST_BLOCKED]: blocked a request to ${remote.url}/style.css`);
    expect(run.stderr).toContain('warning[REQUEST_BLOCKED]: blocked a request to file:///etc/hostname');
    const pdf = await readPdf(join(dir, 'dist/leak/leak.pdf'));
    expect(pdf.text.join(' ')).toContain('Visible text');
    if (hostname.length > 3) expect(pdf.text.join(' ')).not.toContain(hostname);
  });
});

describe.skipIf(!browserPath)('other browsers and remote resources', () => {
  it('connects to a running browser with --browser-ws and leaves it running', async () => {
    const { launchBrowser } = await import('../../src/browser/launch.js');
    const running = await launchBrowser(browserPath!);
    try {
      const dir = makeProject({ 'decks/w.md': '---\ntitle: Remote browser\naspect: "4:3"\n---\n\n## A\n' });
      const run = await cli(['build', '--browser-ws', running.browser.wsEndpoint(), '--quiet'], dir);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const pdf = await readPdf(join(dir, 'dist/w/w.pdf'));
      expect(pdf.pages).toBe(2);
      expect(pdf.size[0] / pdf.size[1]).toBeCloseTo(4 / 3, 2);
      expect(running.browser.connected).toBe(true);
      expect((await running.browser.pages()).length).toBeGreaterThan(0);
    } finally {
      await running.close();
    }
  });

  it('lets http(s) through with --allow-remote', async () => {
    const remote = await serveFolder(
      makeProject({ 'pixel.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>' }),
    );
    try {
      const dir = makeProject({
        'decks/r.md': `---\ntitle: Remote\nhtml: unsafe\n---\n\n## A\n\n<img src="${remote.url}/pixel.svg" alt="p">\n`,
      });
      const run = await cli(['build', '--allow-remote'], dir);
      expect(run.code).toBe(0);
      expect(remote.requests).toEqual(['/pixel.svg']);
      expect(run.stderr).not.toContain('REQUEST_BLOCKED');
    } finally {
      await remote.close();
    }
  });
});

describe.skipIf(!browserPath)('PDF failures', () => {
  it('exits 3 before writing anything when the browser is missing', async () => {
    const dir = makeProject({ 'decks/a.md': '## A\n' });
    const run = await cli(['build', '--browser-path', '/nowhere/chrome'], dir);
    expect(run.code).toBe(3);
    expect(run.stderr.split('\n')[0]).toBe(
      'lectern: error[BROWSER_NOT_FOUND]: --browser-path /nowhere/chrome does not exist',
    );
    expect(readdirSync(dir)).toEqual(['decks']);
    const htmlOnly = await cli(['build', '--browser-path', '/nowhere/chrome', '--no-pdf'], dir);
    expect(htmlOnly.code).toBe(0);
  });

  it('times out with exit 4, naming what it waited for', async () => {
    const dir = makeProject({ 'decks/stuck.md': stuckDeck });
    const run = await cli(['build', '--timeout', '4'], dir);
    expect(run.code).toBe(4);
    expect(run.stderr.split('\n')[0]).toBe(
      'decks/stuck.md: error[RENDER_TIMEOUT]: printing timed out while waiting for Reveal.js print layout (pdf-ready)',
    );
    expect(existsSync(join(dir, 'dist', 'stuck'))).toBe(false);
  });

  it('exits 4 when the browser dies mid-export, keeping the old PDF and leaving no Chromium', async () => {
    const dir = makeProject({ 'decks/stuck.md': '---\ntitle: Stuck\n---\n\n## Fine for now\n' });
    expect((await cli(['build', '--quiet'], dir)).code).toBe(0);
    const before = hashTree(join(dir, 'dist'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'decks/stuck.md'), stuckDeck);

    const privateTmp = tempDir('kill');
    const child = spawn(process.execPath, [bin, 'build'], { cwd: dir, env: { ...process.env, TMPDIR: privateTmp } });
    onTestFinished(() => reap(child, privateTmp));
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    // The export is under way once the build is staged and the browser has had time to start;
    // the deck then waits for a print layout that never comes.
    await waitFor(
      () => readdirSync(join(dir, 'dist')).some((f) => f.startsWith('.lectern-tmp')),
      'the build to be staged',
    );
    await new Promise((r) => setTimeout(r, 2000));
    const pids = chromiumWith(privateTmp);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    expect(await exited).toBe(4);
    expect(stderr).toContain(
      'decks/stuck.md: error[BROWSER_CRASHED]: the browser stopped while printing decks/stuck.md',
    );
    expect(hashTree(join(dir, 'dist'))).toBe(before);
    expect(readdirSync(join(dir, 'dist')).filter((f) => f.startsWith('.lectern-tmp'))).toEqual([]);
    expect(chromiumWith(privateTmp)).toEqual([]);
  });

  it('exits 130 on SIGTERM mid-export, closing the browser and leaving dist/ as it was', async () => {
    const dir = makeProject({ 'decks/stuck.md': stuckDeck, 'decks/ok.md': '## Fine\n' });
    expect((await cli(['build', '--no-pdf', '--quiet'], dir)).code).toBe(0);
    const before = hashTree(join(dir, 'dist'));
    const privateTmp = tempDir('term');
    const child = spawn(process.execPath, [bin, 'build'], { cwd: dir, env: { ...process.env, TMPDIR: privateTmp } });
    onTestFinished(() => reap(child, privateTmp));
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    await waitFor(() => chromiumWith(privateTmp).length > 0, 'Chromium to start');
    const killedAt = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(130);
    // Promptly: nothing (a browser still starting, a connection it held) keeps the process alive.
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(hashTree(join(dir, 'dist'))).toBe(before);
    await waitFor(() => chromiumWith(privateTmp).length === 0, 'Chromium to exit', 10_000);
    expect(readdirSync(privateTmp)).toEqual([]);
  });
});

describe.skipIf(!browserPath)('lectern doctor', () => {
  it('reports the browser, its version and the template fonts', async () => {
    const run = await cli(['doctor'], repoRoot);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`ok   browser: ${browserPath}`);
    expect(run.stdout).toMatch(/ok {3}browser starts: (Headless)?Chrome\/\d+/);
    expect(run.stdout).toContain('ok   font Inter 700 normal (template default)');
    // One line per script, drawn or not; a script without a font is a warning, not a failure.
    for (const script of ['Latin', 'Cyrillic', 'Greek', 'CJK', 'Arabic', 'Hebrew', 'Devanagari', 'emoji'])
      expect(run.stdout).toMatch(new RegExp(`^(ok  |warn) fonts for ${script}: `, 'm'));
    expect(run.stdout).toContain('ok   fonts for Latin: drawn');
    const lacking = [...run.stdout.matchAll(/^warn fonts for (\S+): no font draws /gm)].map((m) => m[1]);
    expect(run.stdout.trim().split('\n').at(-1)).toBe(
      lacking.length
        ? `everything Lectern needs is here; no font here for ${lacking.join(', ')}: decks in them show boxes`
        : 'everything Lectern needs is here',
    );
  });

  it('names a font that does not load, with a fix', async () => {
    const dir = makeProject({
      'templates/broken/layout.hbs': '<html></html>',
      'templates/broken/assets/theme.css': "@font-face { font-family: 'Bad'; src: url('bad.woff2'); }",
      'templates/broken/assets/bad.woff2': 'not a font',
    });
    const run = await cli(['doctor'], dir);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('FAIL font Bad 400 normal (template broken): bad.woff2 does not load in the browser');
    expect(run.stdout).toContain('fix: ');
  });
});

describe.skipIf(!browserPath)('an incremental build with PDFs', () => {
  it('keeps only the PDFs Lectern wrote: a link put in the place of one is neither kept nor followed', async () => {
    const dir = makeProject({ 'decks/a.md': '## One\n\ntext\n', 'secret.txt': 'not for the deck' });
    expect((await cli(['build', '-q'], dir)).code).toBe(0);
    const { rmSync, symlinkSync } = await import('node:fs');
    rmSync(join(dir, 'dist/a/a.pdf'));
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'dist/a/a.pdf'));
    const notes = await cli(['build', '--pdf-notes'], dir);
    expect(notes.code, notes.stderr).toBe(0);
    expect(existsSync(join(dir, 'dist/a/a-notes.pdf'))).toBe(true);
    // The link is not kept: the deck's own PDF is printed again, a file of its own.
    const { lstatSync } = await import('node:fs');
    expect(lstatSync(join(dir, 'dist/a/a.pdf')).isFile()).toBe(true);
    expect(readFileSync(join(dir, 'dist/a/a.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(join(dir, 'secret.txt'), 'utf8')).toBe('not for the deck');
  });

  it('an unchanged deck warns as it did: what its PDF, pictures and PowerPoint file said when made is said again while they are kept', async () => {
    const dir = makeProject({
      'lectern.config.yaml': 'formats: [html, pdf, png, pptx]\n',
      'decks/w.md':
        '---\ntitle: W\nhtml: unsafe\ndate: 2026-02-01\n---\n\n## Reaches out\n\n<img src="http://127.0.0.1:9/x.png" alt="x">\n',
      'decks/quiet.md': '---\ntitle: Quiet\n---\n\n## Nothing to say\n',
    });
    const said = (run: { stdout: string; stderr: string }) =>
      `${run.stdout}${run.stderr}`
        .split('\n')
        .filter((l) => l.includes('warning['))
        .sort();
    const first = await cli(['build'], dir);
    expect(first.code, first.stderr).toBe(0);
    // The PDF, the slide pictures and the PowerPoint file each met the refused request.
    expect(said(first)).toEqual(
      Array(3).fill('decks/w.md: warning[REQUEST_BLOCKED]: blocked a request to http://127.0.0.1:9/x.png'),
    );
    const again = await cli(['build'], dir);
    expect(again.stdout).toMatch(/\(2 unchanged, skipped; --force builds them\) in \d+ ms, 3 warnings$/m);
    expect(said(again)).toEqual(said(first));
    // Rebuilt, with its PDF, pictures and PowerPoint file kept: the same.
    const forced = await cli(['build', '--force'], dir);
    expect(said(forced)).toEqual(said(first));
    // --strict fails on them as it did the first time.
    expect((await cli(['build', '--strict'], dir)).code).toBe(1);
    // Made again when changed: said once each, not twice.
    writeFileSync(
      join(dir, 'decks/w.md'),
      readFileSync(join(dir, 'decks/w.md'), 'utf8').replace('## Reaches', '## Still reaches'),
    );
    expect(said(await cli(['build'], dir))).toEqual(said(first));
    // A record that is not as written is not believed.
    writeFileSync(
      join(dir, 'dist/w/_lectern/findings.json'),
      '{"w.pdf":[{"code":"FORGED","message":"x","pos":{"file":"decks/w.md"}}]}',
    );
    const forged = await cli(['build'], dir);
    expect(`${forged.stdout}${forged.stderr}`).not.toContain('FORGED');
  });

  it('prints only the decks that changed; a missing PDF or other PDF options print again', async () => {
    const dir = makeProject({
      'decks/a.md': '---\ntitle: A\ndate: 2026-02-01\n---\n\n## One\n\nNote: a note\n',
      'decks/b.md': '---\ntitle: B\ndate: 2026-02-01\n---\n\n## Two\n',
    });
    const first = await cli(['build'], dir);
    expect(first.stdout).toMatch(/^2 decks, 2 PDFs in/m);
    // In the order things happen: each deck, then its PDF.
    expect(first.stdout.split('\n').map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      'built decks/a.md',
      'pdf decks/a.md',
      'built decks/b.md',
      'pdf decks/b.md',
      '2 decks,',
      '',
    ]);
    const before = readFileSync(join(dir, 'dist/a/a.pdf'));
    const again = await cli(['build'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^2 decks \(2 unchanged, skipped; --force builds them\) in \d+ ms, 0 warnings$/m);
    expect(again.stdout).not.toContain('pdf ');
    expect(readFileSync(join(dir, 'dist/a/a.pdf')).equals(before)).toBe(true);
    const { rmSync } = await import('node:fs');
    rmSync(join(dir, 'dist/b/b.pdf'));
    const missing = await cli(['build'], dir);
    expect(missing.stdout).toMatch(/^2 decks \(1 unchanged, skipped; --force builds them\), 1 PDF in/m);
    expect(existsSync(join(dir, 'dist/b/b.pdf'))).toBe(true);
    // Another kind of PDF has a name of its own: the deck's first PDF stays as it was.
    const plain = readFileSync(join(dir, 'dist/a/a.pdf'));
    const notes = await cli(['build', '--pdf-notes'], dir);
    expect(notes.stdout).toMatch(/^2 decks, 2 PDFs in/m);
    // The title slide, the slide, and the slide's notes page.
    expect(notes.stdout).toContain('pdf decks/a.md -> dist/a/a-notes.pdf (3 pages');
    expect((await readPdf(join(dir, 'dist/a/a-notes.pdf'))).pages).toBe(3);
    expect(readFileSync(join(dir, 'dist/a/a.pdf')).equals(plain)).toBe(true);
    const index = readFileSync(join(dir, 'dist/index.html'), 'utf8');
    expect(index).toContain('<a href="a/a.pdf">PDF</a> · <a href="a/a-notes.pdf">PDF with notes</a>');
    // A build without PDFs keeps those of an unchanged deck, and says which of a changed one it removed.
    writeFileSync(join(dir, 'decks/a.md'), '---\ntitle: A\ndate: 2026-02-01\n---\n\n## One, changed\n\nNote: a note\n');
    const html = await cli(['build', '--no-pdf'], dir);
    expect(html.code).toBe(0);
    expect(html.stdout).toContain(
      '  removed dist/a/a.pdf, dist/a/a-notes.pdf, dist/a/thumbnail.png: made from the deck before this change',
    );
    expect(html.stdout, html.stdout).toMatch(/^unchanged decks\/b\.md/m);
    expect(existsSync(join(dir, 'dist/a/a.pdf'))).toBe(false);
    expect(existsSync(join(dir, 'dist/b/b.pdf'))).toBe(true);
    expect(existsSync(join(dir, 'dist/b/b-notes.pdf'))).toBe(true);
    const after = readFileSync(join(dir, 'dist/index.html'), 'utf8');
    expect(after).not.toContain('a/a.pdf');
    expect(after).toContain('<a href="b/b.pdf">PDF</a> · <a href="b/b-notes.pdf">PDF with notes</a>');
  });
});

describe.skipIf(!browserPath)('PDF formats add up', () => {
  it("--pdf-notes prints the notes PDF beside the deck's, a plain build keeps both, formats: lists them all", async () => {
    const dir = makeProject({ 'decks/a.md': '## One\n\nNote: first\n' });
    expect((await cli(['build', '-q'], dir)).code).toBe(0);
    writeFileSync(join(dir, 'decks/a.md'), '## One, changed\n\nNote: first\n');
    const notes = await cli(['build', '--pdf-notes'], dir);
    expect(notes.code, notes.stderr).toBe(0);
    expect(notes.stdout).toContain('pdf decks/a.md -> dist/a/a.pdf (1 pages');
    expect(notes.stdout).toContain('pdf decks/a.md -> dist/a/a-notes.pdf (2 pages');
    const both = () => [existsSync(join(dir, 'dist/a/a.pdf')), existsSync(join(dir, 'dist/a/a-notes.pdf'))];
    expect(both()).toEqual([true, true]);
    // Unchanged: a plain build keeps every output the deck has.
    const plain = await cli(['build'], dir);
    expect(plain.stdout).toMatch(/1 unchanged, skipped/);
    expect(both()).toEqual([true, true]);
    // Changed, with both in formats: both printed again, nothing removed.
    writeFileSync(join(dir, 'lectern.config.yaml'), 'formats: [html, pdf, pdf-notes, pdf-fragments]\n');
    writeFileSync(join(dir, 'decks/a.md'), '## One, changed again\n\nNote: first\n');
    const all = await cli(['build'], dir);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).not.toContain('removed');
    expect(both()).toEqual([true, true]);
    expect(existsSync(join(dir, 'dist/a/a-fragments.pdf'))).toBe(true);
    expect((await readPdf(join(dir, 'dist/a/a-notes.pdf'))).text.join(' ')).toContain('first');
  });
});
