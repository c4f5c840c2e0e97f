#!/usr/bin/env node
// `npm run bench [-- --compare] [-- --runs N]`: times Lectern on synthetic decks of 10, 50 and
// 200 slides, whole process each time (node start included), and in the same run the floor: a
// bare puppeteer-core script printing the same built deck once, with the same browser binary.
// Prints medians, min-max and peak memory, then where the time goes, phase by phase, for
// Lectern (`--timings`) and the floor. Both binaries are timed where both are installed (the
// headless shell Lectern prefers, and full Chromium). With --compare, Marp CLI and reveal-md are
// installed into a scratch folder and timed on the same slides (PDF, PNG, PPTX), so every ratio
// comes from one run on one machine.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;
const compare = args.includes('--compare');
// --tags-only: the tagged-PDF table alone.
const tagsOnly = args.includes('--tags-only');
// --pptx-only: the PowerPoint table alone (Lectern's editable and picture files against Marp CLI's).
const pptxOnly = args.includes('--pptx-only');
// --present-only: the talk server under a room's load (scripts/load-present.mjs) alone.
const presentOnly = args.includes('--present-only');
// --startup-only: how fast a small build starts, and ten decks against one.
const startupOnly = args.includes('--startup-only');
if (presentOnly) {
  const { talkLoad, talkLoadTable } = await import('./load-present.mjs');
  console.log(talkLoadTable(await talkLoad()));
  process.exit(0);
}
const bin = join(root, 'bin', 'lectern.js');
const { browserCandidates, findBrowser, isHeadlessShell } = await import(join(root, 'lib', 'browser', 'find.js'));
// The browser Lectern picks, and the other kind where it is installed too.
const chrome = findBrowser();
const other = browserCandidates().find((p) => existsSync(p) && isHeadlessShell(p) !== isHeadlessShell(chrome));
const kindOf = (path) => (isHeadlessShell(path) ? 'headless shell' : 'Chromium');
const hasTime = spawnSync('sh', ['-c', 'command -v /usr/bin/time || command -v time'], {
  encoding: 'utf8',
}).stdout.trim();

/** A synthetic deck: headings, bullets, a code block every 5th slide, notes every 7th. */
function syntheticDeck(slides, style = 'lectern') {
  const parts = [];
  for (let i = 1; i <= slides; i++) {
    let body = `## Slide ${i}: a point worth making\n\n- First bullet of slide ${i}\n- Second bullet, a little longer than the first\n- Third bullet with **bold** and \`code\`\n`;
    if (i % 5 === 0) body += `\n\`\`\`js\nfunction slide${i}(x) {\n  return x * ${i}; // comment\n}\n\`\`\`\n`;
    if (i % 7 === 0) body += `\nNote: Speaker notes for slide ${i}.\n`;
    parts.push(body);
  }
  if (style === 'marp') return `---\nmarp: true\n---\n\n${parts.join('\n---\n\n')}`;
  if (style === 'reveal-md') return `${parts.join('\n---\n\n')}`;
  return `---\ntitle: Synthetic ${slides}\ndate: 2026-01-01\n---\n\n${parts.join('\n')}`;
}

/** 200-style slides that are all tables: a header row and four rows of three cells. */
function syntheticTables(slides) {
  const parts = [];
  for (let i = 1; i <= slides; i++) {
    const rows = [1, 2, 3, 4].map((r) => `| item ${i}.${r} | ${r * i} | a note on row ${r} |`).join('\n');
    parts.push(`## Table ${i}\n\n| name | value | remark |\n| --- | ---: | --- |\n${rows}\n`);
  }
  return `---\ntitle: Tables\ndate: 2026-01-01\n---\n\n${parts.join('\n')}`;
}

/** Runs a command, returns seconds and peak RSS in MB (of the largest process, via GNU time). */
function timed(cmd, cmdArgs, cwd, env = {}) {
  const full = hasTime ? [hasTime, ['-f', '%M', cmd, ...cmdArgs]] : [cmd, cmdArgs];
  const started = performance.now();
  const res = spawnSync(full[0], full[1], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  const seconds = (performance.now() - started) / 1000;
  if (res.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed:\n${res.stderr}`);
  const kb = hasTime ? Number(res.stderr.trim().split('\n').pop()) : NaN;
  // Phases: Lectern's --timings line on stderr, or the floor's JSON on stdout.
  const line = /lectern: timings \(ms\): (\{.*\})/.exec(res.stderr)?.[1] ?? /^\{.*\}$/m.exec(res.stdout ?? '')?.[0];
  return { seconds, mb: kb / 1024, phases: line ? JSON.parse(line) : null };
}

function measure(label, fn) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(fn());
  return record(label, samples);
}

function record(label, samples) {
  const secs = samples.map((s) => s.seconds).sort((a, b) => a - b);
  const mid = Math.floor(secs.length / 2);
  const median = secs.length % 2 ? secs[mid] : (secs[mid - 1] + secs[mid]) / 2;
  // The phases of the run closest to the median.
  const mid2 = samples.reduce((best, s) => (Math.abs(s.seconds - median) < Math.abs(best.seconds - median) ? s : best));
  const row = {
    label,
    median,
    min: secs[0],
    max: secs.at(-1),
    mb: Math.max(...samples.map((s) => s.mb)),
    phases: mid2.phases,
  };
  rows.push(row);
  process.stderr.write(`  ${label}: ${median.toFixed(2)} s\n`);
  return row;
}

const rows = [];
const ratios = [];
const phaseRows = [];
/** Rows of the tagged-PDF table: deck kind, case, median seconds, bytes. */
const tagRows = [];
/** Rows of the PowerPoint table: case, median seconds, bytes. */
const pptxRows = [];
const tagNames = { none: 'untagged', first: 'tagged, first slide only', all: 'tagged, every slide' };
const work = mkdtempSync(join(tmpdir(), 'lectern-bench-'));
try {
  if (!chrome) throw new Error('no Chromium found: run `npm run setup` first');
  const floorScript = join(work, 'floor.mjs');
  // The floor: launch the same browser, open Reveal's print view, page.pdf() once; its phases on stdout.
  writeFileSync(
    floorScript,
    `import { launch } from ${JSON.stringify(join(root, 'node_modules', 'puppeteer-core', 'lib', 'esm', 'puppeteer', 'puppeteer-core.js'))};
const [bin, url, out, tags = 'first'] = process.argv.slice(2);
const phases = {};
let last = performance.now();
const lap = (name) => { const now = performance.now(); phases[name] = now - last; last = now; };
const browser = await launch({ executablePath: bin, headless: /headless[-_]shell$/.test(bin) ? 'shell' : true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
lap('launch');
const page = await browser.newPage();
await page.evaluateOnNewDocument(() => { window.__ready = new Promise((r) => addEventListener('pdf-ready', r, { once: true })); });
await page.goto(url + '?print-pdf&pdfSeparateFragments=false', { waitUntil: 'load' });
lap('load');
await page.evaluate(() => window.__ready);
lap('layout');
// tags: 'none' untagged; 'first' tagged as Reveal leaves it (only the current slide readable);
// 'all' every slide readable, as Lectern prints.
if (tags === 'all') await page.evaluate(() => { for (const el of document.querySelectorAll('.reveal, .reveal .slides, .reveal .slides .pdf-page, .reveal .slides section')) el.removeAttribute('aria-hidden'); });
await page.pdf({ path: out, preferCSSPageSize: true, printBackground: true, tagged: tags !== 'none' });
lap('print');
await browser.close();
lap('close');
console.log(JSON.stringify(phases));
`,
  );
  const floorOf = (bin, n, dir) => () =>
    timed(
      process.execPath,
      [floorScript, bin, `file://${join(dir, 'dist', `s${n}`, 'index.html')}`, join(work, 'floor.pdf')],
      dir,
    );

  if (!tagsOnly && !pptxOnly) {
    // Start-up: Node alone (the floor of any command), and the HTML build of the 6-slide
    // lightning talk, the whole process each time.
    const dir = join(work, 'startup');
    mkdirSync(join(dir, 'decks'), { recursive: true });
    writeFileSync(join(dir, 'decks', 'lightning.md'), readFileSync(join(root, 'decks', 'lightning.md')));
    process.stderr.write('start-up\n');
    measure('node alone (node -e 0)', () => timed(process.execPath, ['-e', '0'], dir));
    const small = measure('HTML build, the 6-slide lightning talk', () =>
      timed(process.execPath, [bin, 'build', 'decks/lightning.md', '--no-pdf', '--quiet', '--force'], dir),
    );
    ratios.push(['HTML build of the 6-slide lightning talk, s (target < 0.3)', small.median]);
  }

  const oneDeck = {};
  for (const n of tagsOnly || pptxOnly || startupOnly ? [] : [10, 50, 200]) {
    const dir = join(work, `deck${n}`);
    mkdirSync(join(dir, 'decks'), { recursive: true });
    writeFileSync(join(dir, 'decks', `s${n}.md`), syntheticDeck(n));
    process.stderr.write(`${n} slides\n`);
    const html = measure(`HTML build, ${n} slides`, () =>
      timed(process.execPath, [bin, 'build', '--no-pdf', '--quiet', '--force'], dir),
    );
    // PDF export: the built deck printed again, as the floor prints it; and the whole way from Markdown.
    const pdf = measure(`PDF export of the built deck, ${n} slides (${kindOf(chrome)})`, () =>
      timed(
        process.execPath,
        [bin, 'pdf', `dist/s${n}`, '--quiet', '--force', '--timings', '--browser-path', chrome],
        dir,
      ),
    );
    phaseRows.push([`Lectern, PDF export, ${n} slides`, pdf.phases]);
    const floor = measure(`floor (bare puppeteer-core), ${n} slides (${kindOf(chrome)})`, floorOf(chrome, n, dir));
    phaseRows.push([`floor, ${n} slides`, floor.phases]);
    const whole = measure(`Markdown to PDF, ${n} slides (${kindOf(chrome)})`, () =>
      timed(
        process.execPath,
        [bin, 'pdf', `decks/s${n}.md`, '--quiet', '--force', '--timings', '--browser-path', chrome],
        dir,
      ),
    );
    phaseRows.push([`Lectern, Markdown to PDF, ${n} slides`, whole.phases]);
    ratios.push([`PDF export / floor, ${n} slides, ${kindOf(chrome)} (target ≤ 1.15)`, pdf.median / floor.median]);
    ratios.push([`Markdown to PDF / floor, ${n} slides`, whole.median / floor.median]);
    if (other) {
      const pdfOther = measure(`PDF export of the built deck, ${n} slides (${kindOf(other)})`, () =>
        timed(process.execPath, [bin, 'pdf', `dist/s${n}`, '--quiet', '--force', '--browser-path', other], dir),
      );
      const floorOther = measure(`floor (bare puppeteer-core), ${n} slides (${kindOf(other)})`, floorOf(other, n, dir));
      ratios.push([
        `PDF export / floor, ${n} slides, ${kindOf(other)} (target ≤ 1.15)`,
        pdfOther.median / floorOther.median,
      ]);
      ratios.push([`${kindOf(other)} / ${kindOf(chrome)}, PDF export, ${n} slides`, pdfOther.median / pdf.median]);
    }
    const png = measure(`PNG of every slide from Markdown, ${n} slides`, () =>
      timed(process.execPath, [bin, 'png', `decks/s${n}.md`, '--no-pdf', '--quiet', '--force'], dir),
    );
    const pptx = measure(`PPTX from Markdown, ${n} slides`, () =>
      timed(process.execPath, [bin, 'pptx', `decks/s${n}.md`, '--no-pdf', '--quiet', '--force'], dir),
    );
    // The synthetic slides are meant to be checked clean except for what they overflow; a
    // check run that fails (exit 1) would stop the bench, so its findings are warnings here.
    const check = measure(`check (browser rules), ${n} slides`, () =>
      timed(process.execPath, [bin, 'check', '--quiet'], dir),
    );
    ratios.push([`check / PDF export, ${n} slides`, check.median / pdf.median]);
    if (n === 200) ratios.push(['HTML build of 200 slides (target < 0.5 s)', html.median]);
    oneDeck[n] = { html, pdf, whole, png, pptx };
  }

  if (pptxOnly || compare) {
    // PowerPoint of 200 slides (bullets, code, a table every 4th slide): Lectern's editable file
    // and its picture-per-slide file, from the built deck, against Marp CLI's (pictures through
    // its own browser), in one run.
    const dir = join(work, 'pptx');
    mkdirSync(join(dir, 'decks'), { recursive: true });
    const deck = syntheticDeck(200).replace(
      /## Slide (\d*[048]): .*\n\n/g,
      (m) => `${m}| a | b |\n| --- | --- |\n| 1 | 2 |\n\n`,
    );
    writeFileSync(join(dir, 'decks', 's200.md'), deck);
    writeFileSync(join(dir, 'marp.md'), syntheticDeck(200, 'marp'));
    timed(process.execPath, [bin, 'build', '--no-pdf', '--quiet', '--force'], dir);
    process.stderr.write('PowerPoint, 200 slides\n');
    const editable = measure('Lectern PPTX (editable), 200 slides, from the built deck', () =>
      timed(process.execPath, [bin, 'pptx', 'dist/s200', '--quiet', '--force', '--browser-path', chrome], dir),
    );
    const editableBytes = statSync(join(dir, 'dist', 's200', 's200.pptx')).size;
    const pictures = measure('Lectern PPTX (--pptx-pictures), 200 slides, from the built deck', () =>
      timed(
        process.execPath,
        [bin, 'pptx', 'dist/s200', '--pptx-pictures', '--quiet', '--force', '--browser-path', chrome],
        dir,
      ),
    );
    const picturesBytes = statSync(join(dir, 'dist', 's200', 's200.pptx')).size;
    const tools = join(work, 'pptx-tools');
    mkdirSync(tools, { recursive: true });
    process.stderr.write('installing Marp CLI for comparison\n');
    const install = spawnSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefix', tools, '@marp-team/marp-cli@4'],
      {
        encoding: 'utf8',
        env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1', PUPPETEER_SKIP_CHROMIUM_DOWNLOAD: '1' },
      },
    );
    if (install.status !== 0) throw new Error(`npm install of Marp CLI failed:\n${install.stderr}`);
    const env = { CHROME_PATH: chrome, PUPPETEER_EXECUTABLE_PATH: chrome, CHROME_NO_SANDBOX: '1' };
    const marpPptx = measure('Marp CLI PPTX, 200 slides', () =>
      timed(
        join(tools, 'node_modules', '.bin', 'marp'),
        ['--pptx', '-o', 'marp.pptx', '--allow-local-files', '--browser-path', chrome, 'marp.md'],
        dir,
        env,
      ),
    );
    pptxRows.push(
      ['Lectern, editable (native text, tables)', editable.median, editableBytes],
      ['Lectern, --pptx-pictures', pictures.median, picturesBytes],
      ['Marp CLI --pptx (pictures)', marpPptx.median, statSync(join(dir, 'marp.pptx')).size],
    );
    ratios.push([
      'Marp CLI PPTX / Lectern editable PPTX, 200 slides (times faster)',
      marpPptx.median / editable.median,
    ]);
  }

  // What tags cost: the same 200 slides printed untagged, tagged as Reveal leaves them (the first
  // slide only in the structure) and with every slide in it, by the floor; Lectern's own export
  // beside them. A deck of tables too, where tags grow most.
  for (const [kind, text] of pptxOnly || startupOnly
    ? []
    : [
        ['bullets and code', syntheticDeck(200)],
        ['tables', syntheticTables(200)],
      ]) {
    const dir = join(work, `tags-${kind.replace(/\W+/g, '-')}`);
    mkdirSync(join(dir, 'decks'), { recursive: true });
    writeFileSync(join(dir, 'decks', 's200.md'), text);
    timed(process.execPath, [bin, 'build', '--quiet', '--force', '--browser-path', chrome], dir);
    process.stderr.write(`tagged PDF, 200 slides of ${kind}\n`);
    const url = `file://${join(dir, 'dist', 's200', 'index.html')}`;
    for (const tags of ['none', 'first', 'all']) {
      const out = join(work, `tags-${tags}.pdf`);
      const row = measure(`floor, 200 slides of ${kind}, tags: ${tags}`, () =>
        timed(process.execPath, [floorScript, chrome, url, out, tags], dir),
      );
      tagRows.push([kind, `floor, ${tagNames[tags]}`, row.median, statSync(out).size]);
    }
    const lectern = measure(`Lectern PDF export, 200 slides of ${kind}`, () =>
      timed(process.execPath, [bin, 'pdf', 'dist/s200', '--quiet', '--force', '--browser-path', chrome], dir),
    );
    tagRows.push([
      kind,
      'Lectern export (every slide tagged, read back)',
      lectern.median,
      statSync(join(dir, 'dist', 's200', 's200.pdf')).size,
    ]);
  }

  if (!tagsOnly && !pptxOnly) {
    // Ten 20-slide decks in one run against one 20-slide deck.
    const one = join(work, 'one');
    const ten = join(work, 'ten');
    mkdirSync(join(one, 'decks'), { recursive: true });
    mkdirSync(join(ten, 'decks'), { recursive: true });
    writeFileSync(join(one, 'decks', 'd0.md'), syntheticDeck(20));
    for (let i = 0; i < 10; i++) writeFileSync(join(ten, 'decks', `d${i}.md`), syntheticDeck(20));
    process.stderr.write('ten decks\n');
    const single = measure('build + PDF, one 20-slide deck', () =>
      timed(process.execPath, [bin, 'build', '--quiet', '--force'], one),
    );
    const many = measure('build + PDF, ten 20-slide decks', () =>
      timed(process.execPath, [bin, 'build', '--quiet', '--force'], ten),
    );
    ratios.push(['ten decks / one deck, build + PDF (target < 3)', many.median / single.median]);
    const singleHtml = measure('HTML build, one 20-slide deck', () =>
      timed(process.execPath, [bin, 'build', '--no-pdf', '--quiet', '--force'], one),
    );
    const manyHtml = measure('HTML build, ten 20-slide decks', () =>
      timed(process.execPath, [bin, 'build', '--no-pdf', '--quiet', '--force'], ten),
    );
    ratios.push(['ten decks / one deck, HTML build', manyHtml.median / singleHtml.median]);

    // Live reload: a saved change to a 50-slide deck until the open page shows it.
    if (!startupOnly) {
      const dir = join(work, 'live');
      mkdirSync(join(dir, 'decks'), { recursive: true });
      const deckFile = join(dir, 'decks', 'live.md');
      writeFileSync(deckFile, syntheticDeck(50));
      process.stderr.write('live reload, 50 slides\n');
      const { spawn } = await import('node:child_process');
      const server = spawn(process.execPath, [bin, 'serve', '--port', '0'], { cwd: dir });
      let out = '';
      server.stdout.on('data', (d) => (out += d));
      const until = Date.now() + 20_000;
      while (!/serving (\S+)/.test(out) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      const url = /serving (\S+)/.exec(out)?.[1];
      const { launch } = await import(
        join(root, 'node_modules', 'puppeteer-core', 'lib', 'esm', 'puppeteer', 'puppeteer-core.js')
      );
      const browser = await launch({
        executablePath: chrome,
        headless: isHeadlessShell(chrome) ? 'shell' : true,
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
      try {
        const page = await browser.newPage();
        await page.goto(`${url}live/index.html#/25`, { waitUntil: 'load' });
        await page.waitForFunction(() => window.Reveal?.isReady());
        const samples = [];
        for (let i = 0; i < 10; i++) {
          const marker = `edited ${i} ${Date.now()}`;
          const text = syntheticDeck(50).replace('## Slide 25: a point worth making', `## Slide 25: ${marker}`);
          const t = performance.now();
          writeFileSync(deckFile, text);
          await page.waitForFunction(
            (m) => window.Reveal?.isReady() && window.Reveal.getCurrentSlide()?.textContent.includes(m),
            { timeout: 10_000 },
            marker,
          );
          samples.push({ seconds: (performance.now() - t) / 1000, mb: NaN });
          await new Promise((r) => setTimeout(r, 100));
        }
        const live = record('save to reloaded page, 50 slides (10 saves)', samples);
        ratios.push(['save-to-reload, 50 slides, ms (target < 200)', live.median * 1000]);
      } finally {
        await browser.close();
        server.kill('SIGINT');
      }
    }
  }
  if (compare && !tagsOnly && !pptxOnly && !startupOnly) {
    const tools = join(work, 'tools');
    mkdirSync(tools, { recursive: true });
    process.stderr.write('installing Marp CLI and reveal-md for comparison\n');
    const install = spawnSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefix', tools, '@marp-team/marp-cli@4', 'reveal-md@6'],
      {
        encoding: 'utf8',
        env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1', PUPPETEER_SKIP_CHROMIUM_DOWNLOAD: '1' },
      },
    );
    if (install.status !== 0) throw new Error(`npm install of the comparison tools failed:\n${install.stderr}`);
    // Each tool gets the browser binary Lectern uses; Marp and reveal-md start it as they do.
    const env = { CHROME_PATH: chrome, PUPPETEER_EXECUTABLE_PATH: chrome, CHROME_NO_SANDBOX: '1' };
    const marpBin = join(tools, 'node_modules', '.bin', 'marp');
    const marp = (dir, args) =>
      timed(marpBin, [...args, '--allow-local-files', '--browser-path', chrome, 'marp.md'], dir, env);
    for (const n of [10, 50, 200]) {
      const dir = join(work, `cmp${n}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'marp.md'), syntheticDeck(n, 'marp'));
      writeFileSync(join(dir, 'reveal.md'), syntheticDeck(n, 'reveal-md'));
      process.stderr.write(`${n} slides, other tools\n`);
      const marpPdf = measure(`Marp CLI PDF, ${n} slides`, () => marp(dir, ['--pdf', '-o', 'marp.pdf']));
      const marpPng = measure(`Marp CLI PNG of every slide, ${n} slides`, () =>
        marp(dir, ['--images', 'png', '-o', 'marp.png']),
      );
      const marpPptx = measure(`Marp CLI PPTX, ${n} slides`, () => marp(dir, ['--pptx', '-o', 'marp.pptx']));
      const revealMd = measure(`reveal-md PDF, ${n} slides`, () =>
        timed(
          join(tools, 'node_modules', '.bin', 'reveal-md'),
          [
            'reveal.md',
            '--print',
            'reveal.pdf',
            '--puppeteer-chromium-executable',
            chrome,
            '--puppeteer-launch-args=--no-sandbox --disable-gpu',
          ],
          dir,
          env,
        ),
      );
      const mine = oneDeck[n];
      ratios.push([`Lectern Markdown to PDF / Marp CLI PDF, ${n} slides`, mine.whole.median / marpPdf.median]);
      ratios.push([`Lectern Markdown to PDF / reveal-md PDF, ${n} slides`, mine.whole.median / revealMd.median]);
      ratios.push([`Lectern PNG / Marp CLI PNG, ${n} slides`, mine.png.median / marpPng.median]);
      ratios.push([`Lectern PPTX / Marp CLI PPTX, ${n} slides`, mine.pptx.median / marpPptx.median]);
    }
  }
  // Scaling: `lectern serve` until it serves, for a project of n and 4n small decks in one run.
  // Linear work takes about four times as long; work that grows with n² far longer.
  const serveStart = (dir) =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], { cwd: dir });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (/serving http/.test(out)) {
          const seconds = (performance.now() - started) / 1000;
          child.kill('SIGINT');
          child.on('exit', () => resolve({ seconds, mb: NaN, phases: null }));
        }
      });
      child.on('error', reject);
      child.on('exit', (code) => {
        if (!/serving http/.test(out)) reject(new Error(`serve exited ${code} before serving`));
      });
    });
  const servedRows = [];
  for (const n of pptxOnly || startupOnly ? [] : [100, 400]) {
    const dir = join(work, `serve-${n}`);
    mkdirSync(join(dir, 'decks'), { recursive: true });
    for (let i = 0; i < n; i++) writeFileSync(join(dir, 'decks', `d${i}.md`), syntheticDeck(3));
    const samples = [];
    for (let i = 0; i < Math.min(runs, 3); i++) {
      rmSync(join(dir, 'dist'), { recursive: true, force: true });
      samples.push(await serveStart(dir));
    }
    servedRows.push(record(`serve until serving, ${n} decks`, samples));
  }
  if (servedRows.length === 2)
    ratios.push(['serve start, 400 decks / 100 decks (linear: 4)', servedRows[1].median / servedRows[0].median]);
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(
  `\nmedians of ${runs} runs (10 saves for live reload), whole process (node start included); browser: ${chrome}${other ? `, and ${other}` : ''}\n`,
);
console.log('| case | median s | min s | max s | peak MB |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows)
  console.log(
    `| ${r.label} | ${r.median.toFixed(2)} | ${r.min.toFixed(2)} | ${r.max.toFixed(2)} | ${Number.isFinite(r.mb) ? r.mb.toFixed(0) : '-'} |`,
  );
if (phaseRows.length) {
  // Where the time goes: every phase of the median run, in milliseconds. Lectern's phases may
  // overlap (the browser starts while the deck is built); the floor's are one after the other.
  console.log('\n| where the time goes (ms) | phases |');
  console.log('| --- | --- |');
  for (const [label, phases] of phaseRows)
    console.log(
      `| ${label} | ${
        phases
          ? Object.entries(phases)
              .map(([k, v]) => `${k} ${Math.round(v)}`)
              .join(', ')
          : '-'
      } |`,
    );
}
if (tagRows.length) {
  console.log('\n| Tagged PDF, 200 slides | case | median s | size MB |');
  console.log('| --- | --- | ---: | ---: |');
  for (const [kind, label, seconds, bytes] of tagRows)
    console.log(`| ${kind} | ${label} | ${seconds.toFixed(2)} | ${(bytes / 1e6).toFixed(2)} |`);
}
if (pptxRows.length) {
  console.log('\n| PowerPoint, 200 slides | median s | size MB |');
  console.log('| --- | ---: | ---: |');
  for (const [label, seconds, bytes] of pptxRows)
    console.log(`| ${label} | ${seconds.toFixed(2)} | ${(bytes / 1e6).toFixed(2)} |`);
}
console.log('\n| ratio | value |');
console.log('| --- | ---: |');
for (const [label, value] of ratios) console.log(`| ${label} | ${value.toFixed(2)} |`);
if (!tagsOnly && !pptxOnly && !startupOnly) {
  const { talkLoad, talkLoadTable } = await import('./load-present.mjs');
  console.log(talkLoadTable(await talkLoad()));
}
