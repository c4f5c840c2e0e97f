import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, repoRoot } from '../helpers/fs.js';
import { tempDir } from '../helpers/temp.js';

const bin = join(repoRoot, 'bin/lectern.js');
const deck = '---\ntitle: Cached\n---\n\n## One\n\n- a point\n\n## Two\n\n```js\nconst x = 1;\n```\n';

/** `lectern build` of the project, HTML only, with the user's cache folder at `cache`. */
function build(dir: string, cache: string, command = bin) {
  const run = spawnSync(process.execPath, [command, 'build', '--no-pdf', '--force'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, XDG_CACHE_HOME: cache },
    timeout: 30_000,
  });
  return { code: run.status, stdout: run.stdout.replace(/ in \d+ ms/, ''), stderr: run.stderr, signal: run.signal };
}

/** The files of the code cache, by name, with their bytes. */
function cached(cache: string): Map<string, Buffer> {
  const root = join(cache, 'lectern', 'code');
  const [version] = readdirSync(root);
  const [bundle] = readdirSync(join(root, version!));
  const dir = join(root, version!, bundle!);
  return new Map(readdirSync(dir).map((name) => [join(dir, name), readFileSync(join(dir, name))]));
}

describe('the command line and its code cache', () => {
  it('keeps what V8 compiled on the first run, uses it untouched on the next, and recompiles a damaged file', () => {
    const dir = makeProject({ 'decks/cached.md': deck });
    const cache = tempDir('cache');
    const first = build(dir, cache);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('built decks/cached.md -> dist/cached/index.html (3 slides)');
    const html = readFileSync(join(dir, 'dist/cached/index.html'), 'utf8');

    // The bundle's entry and the files an HTML build loads, nothing of the browser's.
    const files = cached(cache);
    const names = [...files.keys()].map((f) => f.replace(/^.*\//, ''));
    expect(names).toContain('main.cjs.v8');
    expect(names.some((n) => n.startsWith('prepare-deck-'))).toBe(true);
    expect(names.every((n) => n.endsWith('.cjs.v8'))).toBe(true);
    // The browser driver is bundled too, in a file of its own that a build with no browser never loads.
    expect(readdirSync(join(repoRoot, 'lib/bundle')).some((n) => n.startsWith('puppeteer-core-'))).toBe(true);
    expect(names.filter((n) => n.startsWith('puppeteer-core-'))).toEqual([]);
    const times = new Map([...files.keys()].map((f) => [f, statSync(f).mtimeMs]));

    // Accepted as it is: nothing is written again, and the deck is the same.
    const second = build(dir, cache);
    expect(second).toEqual(first);
    expect(readFileSync(join(dir, 'dist/cached/index.html'), 'utf8')).toBe(html);
    for (const [file, bytes] of cached(cache)) {
      expect(statSync(file).mtimeMs, file).toBe(times.get(file));
      expect(bytes.equals(files.get(file)!)).toBe(true);
    }

    // A damaged cache is compiled past and written again; the run is the same.
    const entry = [...files.keys()].find((f) => f.endsWith('/main.cjs.v8'))!;
    writeFileSync(entry, 'not a code cache');
    const third = build(dir, cache);
    expect(third).toEqual(first);
    expect(readFileSync(entry).length).toBeGreaterThan(1000);
  }, 120_000);

  it('builds the same when the cache folder cannot be made: a file in its place, or a path under /proc', () => {
    const dir = makeProject({ 'decks/cached.md': deck });
    const plain = build(dir, tempDir('cache'));
    const file = join(tempDir('cache'), 'a-file');
    writeFileSync(file, 'x');
    for (const cache of [file, '/proc/self/no-such-folder']) {
      const run = build(dir, cache);
      expect(run.signal, cache).toBeNull();
      expect(run, cache).toEqual(plain);
    }
  }, 120_000);

  it('uses no cache another user could have written: a folder others may write, a link, a file others may write', () => {
    const dir = makeProject({ 'decks/cached.md': deck });
    const good = tempDir('cache');
    const plain = build(dir, good);
    expect(plain.code, plain.stderr).toBe(0);
    const made = cached(good);

    // `lectern/` writable by everyone: nothing is read from it or made inside it.
    const open = tempDir('cache');
    mkdirSync(join(open, 'lectern'));
    chmodSync(join(open, 'lectern'), 0o777);
    expect(build(dir, open)).toEqual(plain);
    expect(readdirSync(join(open, 'lectern'))).toEqual([]);

    // `lectern/` a link to a folder elsewhere: nothing is written through it.
    const linked = tempDir('cache');
    const elsewhere = tempDir('cache');
    symlinkSync(elsewhere, join(linked, 'lectern'));
    expect(build(dir, linked)).toEqual(plain);
    expect(readdirSync(elsewhere)).toEqual([]);

    // A good cache file that others may write is not handed to V8: it is compiled past and
    // written again, this user's alone (were it read, V8 would take it and nothing be written).
    const planted = tempDir('cache');
    cpSync(join(good, 'lectern'), join(planted, 'lectern'), { recursive: true });
    const entry = [...cached(planted).keys()].find((f) => f.endsWith('/main.cjs.v8'))!;
    chmodSync(entry, 0o666);
    expect(build(dir, planted)).toEqual(plain);
    expect(statSync(entry).mode & 0o777).toBe(0o600);
    expect(existsSync(entry)).toBe(true);
    expect(made.size).toBeGreaterThan(3);
  }, 120_000);

  it('hands V8 nothing damaged or stale: flipped bytes in a file, a bundle file changed in place, a relative cache folder', () => {
    const dir = makeProject({ 'decks/cached.md': deck });
    // A copy of the command, its bundle and what it reads, so that a bundle file can be changed.
    const install = tempDir('install');
    for (const part of ['bin', 'lib', 'templates', 'scaffold', 'package.json', 'scripts/browser-locations.json'])
      cpSync(join(repoRoot, part), join(install, part), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(install, 'node_modules'));
    const command = join(install, 'bin/lectern.js');
    const cache = tempDir('cache');
    const plain = build(dir, cache, command);
    expect(plain.code, plain.stderr).toBe(0);

    // Bytes flipped in the middle of the entry's cache (its header intact): compiled past, rewritten.
    const entry = [...cached(cache).keys()].find((f) => f.endsWith('/main.cjs.v8'))!;
    const bytes = readFileSync(entry);
    for (let i = 2000; i < 2100; i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(entry, bytes);
    expect(build(dir, cache, command)).toEqual(plain);
    expect(readFileSync(entry).equals(bytes)).toBe(false);
    expect(build(dir, cache, command)).toEqual(plain);

    // A bundle file edited in place to the same length: the edit runs, not the cached code.
    const bundle = join(install, 'lib/bundle');
    const page = readdirSync(bundle).find((f) => f.startsWith('index-page-'))!;
    const text = readFileSync(join(bundle, page), 'utf8');
    expect(text).toContain('<title>Decks</title>');
    writeFileSync(join(bundle, page), text.replace('<title>Decks</title>', '<title>DECKS</title>'));
    expect(build(dir, cache, command).code).toBe(0);
    expect(readFileSync(join(dir, 'dist/index.html'), 'utf8')).toContain('<title>DECKS</title>');

    // XDG_CACHE_HOME=. is ignored: nothing is read from or written into the project.
    const relative = build(dir, '.', command);
    expect(relative.code, relative.stderr).toBe(0);
    expect(existsSync(join(dir, 'lectern'))).toBe(false);
  }, 120_000);
});
