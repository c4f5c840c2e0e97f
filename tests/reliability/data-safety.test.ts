import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { browserForTests } from '../helpers/browser.js';
import { hashTree, listFiles, makeProject, repoRoot } from '../helpers/fs.js';
import { reap } from '../helpers/processes.js';
import { chromiumOf, leftovers, runLectern } from './invariants.js';
import { tempDir } from '../helpers/temp.js';

// What a build may delete or replace: only what Lectern wrote. Every case runs the real CLI.
const browserPath = browserForTests('data safety tests');
const pixel = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==',
  'base64',
);
const good = '---\ntitle: Good\ndate: 2026-01-01\n---\n\n## Fine\n\ntext\n';
const stuck = `---\ntitle: Stuck\nhtml: unsafe\n---\n\n## Never ready\n\n<script>window.addEventListener('pdf-ready', (e) => e.stopImmediatePropagation(), true);</script>\n`;

/** Starts the real CLI with a private TMPDIR, reaped when the test ends. */
function start(
  args: string[],
  cwd: string,
  tmp = tempDir('safe'),
): { child: ChildProcess; tmp: string; exited: Promise<number>; stderr: () => string } {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/lectern.js'), ...args], {
    cwd,
    env: { ...process.env, TMPDIR: tmp },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdout!.resume();
  onTestFinished(() => reap(child, tmp));
  const exited = new Promise<number>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGKILL' ? 137 : -1))),
  );
  return { child, tmp, exited, stderr: () => stderr };
}

async function until(what: () => boolean, ms = 20_000, step = 20): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, step));
  }
}

/** Builds `dir` once, adds a deck that never gets ready, and starts a PDF build that is busy printing it. */
async function exportingStuck(dir: string): Promise<{ run: ReturnType<typeof start>; before: string }> {
  expect((await runLectern(['build', '--quiet'], dir)).code).toBe(0);
  const before = hashTree(join(dir, 'dist'));
  writeFileSync(join(dir, 'decks/stuck.md'), stuck);
  const run = start(['build', '--timeout', '60'], dir);
  await until(
    () => chromiumOf(run.tmp).length > 0 && readdirSync(join(dir, 'dist')).some((f) => f.startsWith('.lectern-tmp')),
  );
  await new Promise((r) => setTimeout(r, 1000));
  return { run, before };
}

/** Starts an HTML build while another live process holds the output lock, and waits till it says it waits. */
async function buildWhileLocked(dir: string): Promise<{ holder: ChildProcess; run: ReturnType<typeof start> }> {
  const holder = spawn('sleep', ['60']);
  onTestFinished(() => {
    holder.kill('SIGKILL');
  });
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'dist/.lectern-lock'), JSON.stringify({ pid: holder.pid, since: new Date().toISOString() }));
  const run = start(['build', '--no-pdf'], dir);
  await until(() => run.stderr().includes('waiting for another Lectern'));
  return { holder, run };
}

describe('the output folder never destroys sources or files Lectern did not write', () => {
  it('--out . over a project whose decks folder would be a deck name: refused, sources intact', async () => {
    const dir = makeProject({ 'decks/decks.md': '## A\n\ntext\n', 'decks/other.md': '## B\n\ntext\n' });
    const before = hashTree(dir);
    const run = await runLectern(['build', '--no-pdf', '--out', '.'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      '.: error[OUTPUT_OVERLAPS_SOURCE]: the output folder . holds decks, the folder of decks/decks.md',
    );
    expect(hashTree(dir)).toBe(before);
  });

  it('build decks --out decks, with a folder beside a deck named like it: refused, the folder intact', async () => {
    const dir = makeProject({
      'decks/talk.md': '## T\n\n![chart](talk/chart.png)\n',
      'decks/talk/chart.png': pixel,
      'decks/talk/draft-notes.txt': 'mine',
    });
    const before = hashTree(dir);
    for (const out of ['decks', 'decks/talk', './decks/../decks']) {
      const run = await runLectern(['build', 'decks', '--no-pdf', '--out', out], dir);
      expect(run.code, out).toBe(2);
      expect(run.stderr.split('\n')[0]).toMatch(
        /error\[OUTPUT_OVERLAPS_SOURCE\]: the output folder .* (is|is inside) decks/,
      );
    }
    expect(hashTree(dir)).toBe(before);
  });

  it('an output folder holding a folder or index.html of the user: refused with exit 5, nothing replaced', async () => {
    const dir = makeProject({
      'decks/talk.md': '## T\n',
      'public/talk/mine.txt': 'mine',
      'site/index.html': '<h1>my site</h1>',
    });
    const before = hashTree(dir);
    const one = await runLectern(['build', '--no-pdf', '--out', 'public'], dir);
    expect(one.code).toBe(5);
    expect(one.stderr.split('\n')[0]).toMatch(
      /^public\/talk: error\[OUTPUT_NOT_OURS\]: refusing to replace .*public\/talk: talk is there and was not written by Lectern$/,
    );
    const two = await runLectern(['build', '--no-pdf', '--out', 'site'], dir);
    expect(two.code).toBe(5);
    expect(two.stderr.split('\n')[0]).toMatch(/error\[OUTPUT_NOT_OURS\]: refusing to replace .*site\/index\.html/);
    expect(hashTree(dir)).toBe(before);
    // Into an empty folder it builds, and builds again over its own output.
    expect((await runLectern(['build', '--no-pdf', '--out', 'fresh'], dir)).code).toBe(0);
    expect((await runLectern(['build', '--no-pdf', '--out', 'fresh'], dir)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'fresh/.lectern-output.json'), 'utf8'))).toEqual({
      decks: ['talk'],
      files: ['index.html'],
    });
  });

  it('--out through a symlink to a folder elsewhere: its files are not overwritten or deleted', async () => {
    const dir = makeProject({ 'decks/talk.md': '## T\n' });
    const elsewhere = makeProject({ 'index.html': 'their page', 'talk/keep.txt': 'theirs' });
    symlinkSync(elsewhere, join(dir, 'out-link'));
    const before = hashTree(elsewhere);
    const run = await runLectern(['build', '--no-pdf', '--out', 'out-link'], dir);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('error[OUTPUT_NOT_OURS]');
    expect(hashTree(elsewhere)).toBe(before);
    // A symlinked output folder that leads into the decks folder is the decks folder.
    symlinkSync(join(dir, 'decks'), join(dir, 'decks-link'));
    const into = await runLectern(['build', '--no-pdf', '--out', 'decks-link'], dir);
    expect(into.code).toBe(2);
    expect(into.stderr).toContain('error[OUTPUT_OVERLAPS_SOURCE]');
  });

  it.each([
    ['index.html.md', 'index.html'],
    ['.lectern-lock.md', '.lectern-lock'],
    ['.lectern-output.json.md', '.lectern-output.json'],
    ['..md', '.'],
  ])('a deck named %s is refused at its line, and later builds still work', async (file, name) => {
    const dir = makeProject({ 'decks/ok.md': '## Ok\n' });
    expect((await runLectern(['build', '--no-pdf'], dir)).code).toBe(0);
    const before = hashTree(join(dir, 'dist'));
    writeFileSync(join(dir, 'decks', file), '## Reserved\n');
    const run = await runLectern(['build', '--no-pdf'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      `decks/${file}:1:1: error[DECK_NAME_RESERVED]: a deck named "${name}" would be written over Lectern's own ${name === '.' ? 'output folder' : 'files'}`,
    );
    expect(hashTree(join(dir, 'dist'))).toBe(before);
    rmSync(join(dir, 'decks', file));
    expect((await runLectern(['build', '--no-pdf'], dir)).code).toBe(0);
  });

  it('a deck file that is a symlink out of its folder is refused, not published', async () => {
    const dir = makeProject({ 'decks/ok.md': '## Ok\n', 'secret.txt': 'SECRET-OUTSIDE-THE-DECK' });
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'decks/leak.md'));
    const run = await runLectern(['build', '--no-pdf'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toMatch(
      /^decks\/leak\.md:1:1: error\[SOURCE_OUTSIDE\]: decks\/leak\.md is a link to .*secret\.txt, outside its folder$/,
    );
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it.each([
    [
      'a file outside the template',
      (dir: string) => symlinkSync(join(dir, 'secret.txt'), join(dir, 'decks/templates/mine/assets/id_rsa')),
      /template asset "id_rsa" is a link to a file outside the template/,
    ],
    [
      'a folder outside the template',
      (dir: string) => symlinkSync(dir, join(dir, 'decks/templates/mine/assets/all')),
      /template asset "all" is a link to a folder/,
    ],
    [
      'itself',
      (dir: string) => symlinkSync('.', join(dir, 'decks/templates/mine/assets/loop')),
      /template asset "loop" is a link to a folder/,
    ],
  ])('a template asset that links to %s is refused, never copied or looped over', async (_name, link, message) => {
    const dir = makeProject({
      'decks/talk.md': '---\ntemplate: mine\n---\n\n## T\n',
      'decks/templates/mine/template.yaml': 'name: mine\nextends: default\n',
      'decks/templates/mine/assets/theme.css': ':root { --x: 1; }\n',
      'secret.txt': 'SECRET-OUTSIDE-THE-DECK',
    });
    link(dir);
    const run = await runLectern(['build', '--no-pdf'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toMatch(/error\[ASSET_OUTSIDE\]/);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain('INTERNAL');
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it.skipIf(!browserPath)(
    'lectern pdf refuses a folder Lectern did not write, and a deck.json it did not write',
    async () => {
      const dir = makeProject({ 'decks/d.md': good });
      expect((await runLectern(['build', '--no-pdf'], dir)).code).toBe(0);
      // Someone's own folder that looks like a built deck.
      const site = join(dir, 'site/report');
      mkdirSync(site, { recursive: true });
      for (const f of ['index.html', 'deck.json']) writeFileSync(join(site, f), readFileSync(join(dir, 'dist/d', f)));
      writeFileSync(join(site, 'report.pdf'), 'PRECIOUS PDF');
      const before = hashTree(join(dir, 'site'));
      const foreign = await runLectern(['pdf', 'site/report'], dir);
      expect(foreign.code).toBe(5);
      expect(foreign.stderr.split('\n')[0]).toMatch(/error\[OUTPUT_NOT_OURS\]: refusing to replace .*site\/report/);
      expect(hashTree(join(dir, 'site'))).toBe(before);
      for (const bad of ['{}', 'null', '[]', '{"file":"x","slides":5}']) {
        writeFileSync(join(dir, 'dist/d/deck.json'), bad);
        const run = await runLectern(['pdf', 'dist/d'], dir);
        expect(run.code, bad).toBe(2);
        expect(run.stderr.split('\n')[0]).toMatch(
          /error\[INPUT_MISSING\]: .*deck\.json is not a deck summary Lectern wrote$/,
        );
        expect(run.stderr).not.toMatch(/\n\s+at /);
      }
    },
  );

  it.skipIf(!browserPath)(
    'lectern pdf trusts no path from deck.json: the PDF and thumbnail stay in the deck folder',
    async () => {
      const dir = makeProject({ 'work/a/b/decks/d.md': good });
      const project = join(dir, 'work/a/b');
      expect((await runLectern(['build', '--no-pdf'], project)).code).toBe(0);
      const manifest = join(project, 'dist/d/deck.json');
      writeFileSync(
        manifest,
        JSON.stringify({
          ...JSON.parse(readFileSync(manifest, 'utf8')),
          name: '../../../x',
          pdf: '../../../y.pdf',
          thumbnail: '../../z.png',
        }),
      );
      const outside = listFiles(dir).filter((f) => !f.startsWith('work/a/b/'));
      const run = await runLectern(['pdf', 'dist/d'], project);
      expect(run.code, run.stderr).toBe(0);
      expect(listFiles(dir).filter((f) => !f.startsWith('work/a/b/'))).toEqual(outside);
      expect(readFileSync(join(project, 'dist/d/d.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
      expect(existsSync(join(project, 'dist/d/thumbnail.png'))).toBe(true);
      expect(readFileSync(join(project, 'dist/index.html'), 'utf8')).not.toContain('../');
    },
  );
});

describe('interrupts, kills and what a dead run leaves', () => {
  it.skipIf(!browserPath)(
    'kill -9 during a PDF export: Chromium ends with Lectern, and the next run removes the lock, the staged folder and the profile',
    async () => {
      const dir = makeProject({ 'decks/good.md': good });
      const { run, before } = await exportingStuck(dir);
      run.child.kill('SIGKILL');
      await run.exited;
      await until(() => chromiumOf(run.tmp).length === 0, 10_000);
      expect(leftovers(join(dir, 'dist')).sort()).toEqual(
        [expect.stringMatching(/^\.lectern-lock$/), expect.stringMatching(/^\.lectern-tmp-\d+-/)].sort(),
      );
      expect(readdirSync(run.tmp).filter((f) => f.startsWith('lectern-chrome-'))).toHaveLength(1);
      // The next run, with the same temporary folder, cleans all of it up.
      rmSync(join(dir, 'decks/stuck.md'));
      const next = start(['build'], dir, run.tmp);
      expect(await next.exited, next.stderr()).toBe(0);
      expect(next.stderr()).toContain('warning[LOCK_RECLAIMED]');
      expect(leftovers(join(dir, 'dist'))).toEqual([]);
      expect(readdirSync(run.tmp)).toEqual([]);
      expect(hashTree(join(dir, 'dist'))).toBe(before);
      expect(readFileSync(join(dir, 'dist/good/good.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    },
  );

  it.skipIf(!browserPath).each([
    ['SIGHUP', ['SIGHUP']],
    // Apart, or the two signals merge into one: the second lands while the first is cleaning up.
    ['a second Ctrl-C', ['SIGINT', 'SIGINT']],
  ] as const)(
    '%s during a PDF export: exit 130, output intact, no lock, no staged folder, no browser, no profile',
    async (_name, signals) => {
      const dir = makeProject({ 'decks/good.md': good });
      const { run, before } = await exportingStuck(dir);
      for (const signal of signals) {
        run.child.kill(signal);
        await new Promise((r) => setTimeout(r, 30));
      }
      expect(await run.exited).toBe(130);
      expect(hashTree(join(dir, 'dist'))).toBe(before);
      expect(leftovers(join(dir, 'dist'))).toEqual([]);
      await until(() => chromiumOf(run.tmp).length === 0, 10_000);
      expect(readdirSync(run.tmp)).toEqual([]);
    },
  );

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s during an HTML-only build of many decks is heard: exit 130, the previous output unchanged',
    async (signal) => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 300; i++) files[`decks/d${i}.md`] = `## Deck ${i}\n\ntext\n`;
      const dir = makeProject(files);
      expect((await runLectern(['build', '--no-pdf', '-q'], dir)).code).toBe(0);
      const before = hashTree(join(dir, 'dist'));
      for (let i = 0; i < 300; i++) writeFileSync(join(dir, `decks/d${i}.md`), `## Deck ${i}, changed\n\ntext\n`);
      const run = start(['build', '--no-pdf'], dir);
      // The lock appears once every deck is prepared, while the folders are being written.
      await until(() => existsSync(join(dir, 'dist/.lectern-lock')), 20_000, 2);
      run.child.kill(signal);
      expect(await run.exited).toBe(130);
      expect(run.stderr()).toContain('error[INTERRUPTED]');
      expect(hashTree(join(dir, 'dist'))).toBe(before);
      expect(leftovers(join(dir, 'dist'))).toEqual([]);
    },
  );

  it('an image swapped for a symlink to an outside file while the build waits for the lock is not copied', async () => {
    const dir = makeProject({
      'decks/d.md': '## D\n\n![a picture](pic.png)\n',
      'decks/pic.png': pixel,
      'secret.txt': 'SECRET-OUTSIDE-THE-DECK',
    });
    const { holder, run } = await buildWhileLocked(dir);
    rmSync(join(dir, 'decks/pic.png'));
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'decks/pic.png'));
    holder.kill('SIGKILL');
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toMatch(/decks\/d\.md:3:1: error\[ASSET_CHANGED\]: "pic\.png" changed while the build ran/);
    const written = existsSync(join(dir, 'dist')) ? listFiles(join(dir, 'dist')) : [];
    for (const file of written) expect(readFileSync(join(dir, 'dist', file), 'utf8')).not.toContain('SECRET-OUTSIDE');
    expect(written.filter((f) => f.endsWith('pic.png'))).toEqual([]);
  });

  it('a folder of the deck swapped for a symlink while waiting is refused too', async () => {
    const dir = makeProject({
      'decks/d.md': '## D\n\n![a picture](img/pic.png)\n',
      'decks/img/pic.png': pixel,
      'elsewhere/pic.png': 'SECRET-OUTSIDE-THE-DECK',
    });
    const { holder, run } = await buildWhileLocked(dir);
    rmSync(join(dir, 'decks/img'), { recursive: true });
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'decks/img'));
    holder.kill('SIGKILL');
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain('error[ASSET_CHANGED]');
    expect(existsSync(join(dir, 'dist/d'))).toBe(false);
  });
});

describe('the preview copies what it checked', () => {
  it('an image swapped for a symlink after the check is not copied into the preview folder', async () => {
    const { checkCopies } = await import('../../src/assets/verify-copies.js');
    const { updateDecks } = await import('../../src/output/write.js');
    const dir = makeProject({ 'decks/pic.png': pixel, 'secret.txt': 'SECRET-OUTSIDE-THE-DECK' });
    const copies = [
      { from: join(dir, 'decks/pic.png'), to: 'pic.png', pos: { file: 'decks/d.md', line: 3, column: 1 } },
    ];
    checkCopies(copies, join(dir, 'decks'));
    rmSync(join(dir, 'decks/pic.png'));
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'decks/pic.png'));
    expect(() => updateDecks(join(dir, 'preview'), [{ name: 'd', files: [], copies }])).toThrow(
      expect.objectContaining({ code: 'ASSET_CHANGED' }),
    );
    expect(existsSync(join(dir, 'preview/d/pic.png'))).toBe(false);
  });
});

describe('a stale lock is taken over by one process only', () => {
  it('six builds started together over a lock left by a dead Lectern: all succeed, one reports the takeover, nothing is left', async () => {
    const dir = makeProject({ 'decks/d.md': '## D\n\ntext\n' });
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist/.lectern-lock'), JSON.stringify({ pid: dead.pid, since: '2026-01-01T00:00:00Z' }));
    const runs = await Promise.all(Array.from({ length: 6 }, () => runLectern(['build', '--no-pdf'], dir)));
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(runs.filter((r) => r.stderr.includes('warning[LOCK_RECLAIMED]'))).toHaveLength(1);
    expect(leftovers(join(dir, 'dist'))).toEqual([]);
    expect(readFileSync(join(dir, 'dist/d/index.html'), 'utf8')).toContain('text');
  });

  it('twelve processes racing for a lock left by a dead one never hold it at the same time', async () => {
    const dir = tempDir('lockrace');
    const out = join(dir, 'dist');
    mkdirSync(out);
    const lockModule = join(repoRoot, 'lib/output/lock.js');
    // Each worker, once loaded, says so and waits (asleep, not spinning) for a common start: a
    // line on its stdin, written to all twelve at once (and closed). Then it takes the lock, marks itself the
    // holder (refusing if another already is), holds it briefly, and lets go.
    const worker = `
      import { lockOutput } from ${JSON.stringify(lockModule)};
      import { writeFileSync, rmSync } from 'node:fs';
      const [out] = process.argv.slice(2);
      console.log('READY');
      await new Promise((go) => process.stdin.once('data', go));
      const lock = await lockOutput(out, 30000);
      try { writeFileSync(out + '/holder', String(process.pid), { flag: 'wx' }); }
      catch { console.log('OVERLAP'); process.exit(3); }
      await new Promise((r) => setTimeout(r, 30));
      rmSync(out + '/holder');
      lock.release();
      console.log(lock.reclaimed ? 'RECLAIMED' : 'OK');
    `;
    const script = join(dir, 'worker.mjs');
    writeFileSync(script, worker);
    for (let round = 0; round < 5; round++) {
      const dead = spawn(process.execPath, ['-e', '0']);
      await new Promise((r) => dead.on('exit', r));
      writeFileSync(join(out, '.lectern-lock'), JSON.stringify({ pid: dead.pid, since: '2026-01-01T00:00:00Z' }));
      const workers = Array.from({ length: 12 }, () => {
        const child = spawn(process.execPath, [script, out]);
        let text = '';
        const ready = new Promise<void>((resolve) =>
          child.stdout.on('data', (d) => {
            text += d;
            if (text.includes('READY')) resolve();
          }),
        );
        const result = new Promise<string>((resolve) =>
          child.on('close', (code) => resolve(`${code}:${text.replace('READY', '').trim()}`)),
        );
        return { child, ready, result };
      });
      await Promise.all(workers.map((w) => w.ready));
      for (const w of workers) w.child.stdin.end('go\n');
      const results = await Promise.all(workers.map((w) => w.result));
      expect(results.filter((r) => r.includes('OVERLAP'))).toEqual([]);
      expect(results.filter((r) => r === '0:RECLAIMED')).toHaveLength(1);
      expect(results.filter((r) => r === '0:OK')).toHaveLength(11);
      expect(readdirSync(out)).toEqual([]);
    }
    rmSync(dirname(out), { recursive: true, force: true });
  }, 60_000);
});
