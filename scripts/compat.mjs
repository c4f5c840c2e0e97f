#!/usr/bin/env node
// `npm run compat`: builds the dialect corpus (tests/fixtures/dialects) with the real tools —
// reveal-md and Marp CLI from npm, Pandoc from Debian — in a scratch folder, and prints their
// slide counts beside Lectern's. Quarto is not installable here: .qmd decks are measured with
// Pandoc at slide level 2, as Quarto's revealjs format sets it.
//
//   npm run compat                 the whole corpus
//   npm run compat -- <file…>      some decks (paths under tests/fixtures/dialects)
//   LECTERN_COMPAT_DIR=<dir>       where the tools are installed (default: <tmp>/lectern-compat)
//
// Counts: total slides (vertical ones included), horizontal positions, slides with notes.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, normalize, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, 'tests/fixtures/dialects');
const tools = process.env.LECTERN_COMPAT_DIR ?? join(tmpdir(), 'lectern-compat');
const versions = { 'reveal-md': '6.1.4', '@marp-team/marp-cli': '4.5.1', '@slidev/parser': '52.20.1' };

const { parseDocument, DomUtils } = await import('htmlparser2');
const { readOutline, deckFrom } = await import(join(root, 'lib/model/read-deck.js'));
const { decodeSource } = await import(join(root, 'lib/outline/read.js'));
const { readToolConfig } = await import(join(root, 'lib/config/tool-config.js'));
const { findBrowser } = await import(join(root, 'lib/browser/find.js'));
const { importLoader } = await import(join(root, 'lib/outline/imports.js'));

function install() {
  const bin = (name) => join(tools, 'node_modules/.bin', name);
  if (
    !existsSync(bin('reveal-md')) ||
    !existsSync(bin('marp')) ||
    !existsSync(join(tools, 'node_modules/@slidev/parser/dist/fs.mjs'))
  ) {
    mkdirSync(tools, { recursive: true });
    if (!existsSync(join(tools, 'package.json')))
      writeFileSync(join(tools, 'package.json'), '{"name":"lectern-compat","private":true}\n');
    console.error(
      `compat: installing ${Object.entries(versions)
        .map(([n, v]) => `${n}@${v}`)
        .join(', ')} into ${tools}`,
    );
    const res = spawnSync(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        ...Object.entries(versions).map(([n, v]) => `${n}@${v}`),
      ],
      {
        cwd: tools,
        stdio: 'inherit',
        env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1', PUPPETEER_SKIP_CHROMIUM_DOWNLOAD: '1' },
      },
    );
    if (res.status !== 0) throw new Error('npm install of the tools failed');
  }
  if (spawnSync('sh', ['-c', 'command -v pandoc'], { stdio: 'ignore' }).status !== 0) {
    const isRoot = process.getuid?.() === 0;
    if (!isRoot) throw new Error('pandoc is missing: install it (apt-get install pandoc)');
    console.error('compat: installing pandoc with apt-get');
    spawnSync('apt-get', ['install', '-y', '-qq', 'pandoc'], { stdio: 'inherit' });
  }
  return { revealMd: bin('reveal-md'), marp: bin('marp') };
}

function run(cmd, args, cwd) {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, NO_UPDATE_NOTIFIER: '1', PUPPETEER_SKIP_DOWNLOAD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      code === 0
        ? ok()
        : fail(new Error(`${basename(cmd)} exited ${code}: ${err.trim().split('\n').slice(-2).join(' | ')}`));
    });
  });
}

const isTag = (el, name) => el.type === 'tag' && el.name === name;
const hasClass = (el, c) => (el.attribs?.class ?? '').split(/\s+/).includes(c);
const text = (el) => DomUtils.textContent(el).trim();

/** Marp: one slide per inline SVG (backgrounds add sections inside it, not slides). */
function countMarp(html) {
  const doc = parseDocument(html);
  const svgs = DomUtils.findAll((el) => isTag(el, 'svg') && 'data-marpit-svg' in el.attribs, doc.children);
  const notes = new Set(
    DomUtils.findAll(
      (el) => isTag(el, 'div') && hasClass(el, 'bespoke-marp-note') && text(el) !== '',
      doc.children,
    ).map((el) => el.attribs['data-index']),
  );
  return { total: svgs.length, horizontal: svgs.length, notes: notes.size };
}

/** Pandoc's reveal.js page, counted by Reveal's rules: stacks are not slides, hidden slides are removed. */
function countPandoc(html) {
  const doc = parseDocument(html);
  const slides = DomUtils.findOne((el) => isTag(el, 'div') && hasClass(el, 'slides'), doc.children, true);
  const hidden = (el) => el.attribs['data-visibility'] === 'hidden';
  const top = slides.children.filter((el) => isTag(el, 'section') && !hidden(el));
  let total = 0;
  let notes = 0;
  const count = (el) => {
    if (el.attribs['data-visibility'] === 'uncounted') return;
    total++;
    if (DomUtils.findAll((x) => isTag(x, 'aside') && hasClass(x, 'notes') && text(x) !== '', el.children).length)
      notes++;
  };
  const horizontal = top.filter((section) => {
    const inner = section.children.filter((el) => isTag(el, 'section'));
    if (inner.length === 0) {
      count(section);
      return true;
    }
    const shown = inner.filter((el) => !hidden(el));
    shown.forEach(count);
    return shown.length > 0;
  }).length;
  return { total, horizontal, notes };
}

/** reveal-md splits slides in the browser: its static page is loaded and Reveal asked. */
async function countRevealMd(dir, page, port, mounts) {
  const id = `d${mounts.size}`;
  mounts.set(id, dir);
  const file = existsSync(join(dir, 'index.html')) ? 'index.html' : readdirHtml(dir);
  await page.goto(`http://127.0.0.1:${port}/${id}/${file}`, { waitUntil: 'load', timeout: 30_000 });
  await page.waitForFunction('typeof Reveal !== "undefined" && Reveal.isReady()', { timeout: 30_000, polling: 50 });
  return page.evaluate(() => {
    const blank = (html) => {
      const d = document.createElement('div');
      d.innerHTML = html || '';
      return d.textContent.trim() === '';
    };
    return {
      total: Reveal.getTotalSlides(),
      horizontal: Reveal.getHorizontalSlides().length,
      notes: Reveal.getSlides().filter((s) => !blank(Reveal.getSlideNotes(s))).length,
    };
  });
}

function readdirHtml(dir) {
  return spawnSync('ls', [dir], { encoding: 'utf8' })
    .stdout.split('\n')
    .find((f) => f.endsWith('.html'));
}

function lecternCounts(path) {
  const file = relative(corpus, path);
  const { outline, options } = readOutline(
    decodeSource(readFileSync(path), file),
    file,
    {},
    {},
    readToolConfig(dirname(path), corpus),
    { load: importLoader(corpus, dirname(path)) },
  );
  const deck = deckFrom(outline, options, basename(path, extname(path)), [
    'title',
    'section',
    'bullets',
    'quote',
    'image',
    'code',
    'two-column',
    'statement',
    'closing',
  ]);
  const slides = deck.stacks.flatMap((s) => s.slides);
  return {
    dialect: options.dialect,
    total: slides.length,
    horizontal: deck.stacks.length,
    notes: slides.filter((s) => s.notes.trim() !== '').length,
  };
}

const toolOf = {
  lectern: 'pandoc',
  'reveal-md': 'reveal-md',
  'revealjs-plugin': 'reveal-md',
  pandoc: 'pandoc',
  quarto: 'pandoc',
  marp: 'marp',
  slidev: 'slidev',
};

/** Slidev's own parser: `load()` brings in `src:` imports and leaves hidden slides out. */
async function countSlidev(path) {
  const { load } = await import(pathToFileURL(join(tools, 'node_modules/@slidev/parser/dist/fs.mjs')).href);
  const data = await load({ userRoot: dirname(path) }, path);
  const notes = data.slides.filter((s) => (s.note ?? '').trim() !== '').length;
  return { total: data.slides.length, horizontal: data.slides.length, notes };
}

async function main() {
  // `--real <dir>`: decks nobody here wrote, built with the CLI (scripts/compat-real.mjs).
  const real = process.argv.indexOf('--real');
  if (real !== -1) {
    const { runReal, printReal } = await import('./compat-real.mjs');
    const args = process.argv.slice(real + 1).filter((a) => a !== '--json');
    const rows = await runReal(resolve(args[0] ?? '../shared/real-decks'), args.slice(1));
    if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
    else printReal(rows);
    return;
  }
  const expected = JSON.parse(readFileSync(join(corpus, 'expected.json'), 'utf8'));
  const wanted = process.argv.slice(2).map((p) => relative(corpus, resolve(p)));
  const decks = wanted.length ? expected.filter((e) => wanted.includes(e.file)) : expected;
  const bins = install();

  const mounts = new Map();
  const server = createServer(async (req, res) => {
    const [, id, ...rest] = decodeURIComponent(new URL(req.url, 'http://x').pathname).split('/');
    const base = mounts.get(id);
    const path = base && join(base, normalize(`/${rest.join('/')}`));
    try {
      const body = await readFile(path);
      res.writeHead(200, {
        'content-type':
          { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }[extname(path)] ??
          'application/octet-stream',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const port = server.address().port;
  const puppeteer = (await import('puppeteer-core')).default;
  const browser = await puppeteer.launch({
    executablePath: findBrowser(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on('request', (r) => (r.url().startsWith(`http://127.0.0.1:${port}/`) ? r.continue() : r.abort()));

  const rows = [];
  try {
    for (const e of decks) {
      const path = join(corpus, e.file);
      const tool = toolOf[e.dialect];
      const scratch = await mkdtemp(join(tmpdir(), 'lectern-compat-'));
      let theirs;
      try {
        if (tool === 'slidev') {
          theirs = await countSlidev(path);
        } else if (tool === 'reveal-md') {
          await run(bins.revealMd, [basename(path), '--static', scratch], dirname(path));
          theirs = await countRevealMd(scratch, page, port, mounts);
        } else if (tool === 'marp') {
          await run(bins.marp, [basename(path), '-o', join(scratch, 'deck.html'), '--html'], dirname(path));
          theirs = countMarp(await readFile(join(scratch, 'deck.html'), 'utf8'));
        } else {
          const level = /\.qmd$/.test(path)
            ? [
                `--slide-level=${/^\s*slide-level:\s*(\d)/m.exec(readFileSync(path, 'utf8'))?.[1] ?? 2}`,
                '-f',
                'markdown',
              ]
            : [];
          await run(
            'pandoc',
            ['-t', 'revealjs', '-s', ...level, basename(path), '-o', join(scratch, 'deck.html')],
            dirname(path),
          );
          theirs = countPandoc(await readFile(join(scratch, 'deck.html'), 'utf8'));
        }
      } catch (err) {
        theirs = { error: err.message };
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
      const ours = lecternCounts(path);
      const same = !theirs.error && theirs.total === ours.total && theirs.horizontal === ours.horizontal;
      const notesSame = !theirs.error && theirs.notes === ours.notes;
      rows.push({
        file: e.file,
        tool,
        theirs,
        ours,
        same,
        notesSame,
        why: same ? (notesSame ? '' : (e.notesDiffer ?? '')) : (e.differs ?? ''),
      });
    }
  } finally {
    await browser.close();
    server.close();
  }

  const fmt = (c) => (c.error ? 'error' : `${c.total}/${c.horizontal}/${c.notes}`);
  const width = Math.max(...rows.map((r) => r.file.length));
  console.log(
    `${'deck'.padEnd(width)}  ${'tool'.padEnd(9)}  ${'tool t/h/n'.padEnd(10)}  ${'lectern'.padEnd(10)}  ${'read as'.padEnd(9)}  slides  notes`,
  );
  for (const r of rows) {
    console.log(
      `${r.file.padEnd(width)}  ${r.tool.padEnd(9)}  ${fmt(r.theirs).padEnd(10)}  ${fmt(r.ours).padEnd(10)}  ${r.ours.dialect.padEnd(9)}  ${(r.same ? 'same' : 'DIFF').padEnd(6)}  ${r.notesSame ? 'same' : 'DIFF'}${r.why ? `  ${r.why}` : ''}`,
    );
  }
  const agree = rows.filter((r) => r.same).length;
  const notes = rows.filter((r) => r.notesSame).length;
  const pct = (n) => ((100 * n) / rows.length).toFixed(1);
  console.log(`\nslide counts (total and horizontal): ${agree} of ${rows.length} decks agree (${pct(agree)} %)`);
  console.log(`slides with notes: ${notes} of ${rows.length} decks agree (${pct(notes)} %)`);
  console.log(
    't/h/n = total slides / horizontal positions / slides with notes; each DIFF is explained in tests/fixtures/dialects/expected.json',
  );
  for (const r of rows.filter((r) => r.theirs.error)) console.log(`${r.file}: ${r.tool}: ${r.theirs.error}`);
}

await main();
