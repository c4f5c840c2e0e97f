import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { writeDecks, type OutputFs } from '../../src/output/write.js';
import { serveDecks, type ServeSession } from '../../src/serve/serve.js';
import { cli, hashTree, makeProject, repoRoot } from '../helpers/fs.js';
import { chromiumOf, expectCleanFailure, runLectern, leftovers } from './invariants.js';
import { browserForTests } from '../helpers/browser.js';
import { reap } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp.js';

const browserPath = browserForTests('browser fault tests');

const good = '---\ntitle: Good\ndate: 2026-01-01\n---\n\n## Fine\n\ntext\n';
const stuck = `---\ntitle: Stuck\nhtml: unsafe\n---\n\n## Never ready\n\n<script>window.addEventListener('pdf-ready', (e) => e.stopImmediatePropagation(), true);</script>\n`;

describe('output faults', () => {
  const failing = (code: string, after: number): OutputFs => {
    let calls = 0;
    const fail = (): void => {
      if (++calls > after) throw Object.assign(new Error(`${code}: injected`), { code });
    };
    return {
      writeFileSync: (path, data) => {
        fail();
        writeFileSync(path, data);
      },
      copyFileSync: (from, to) => {
        fail();
        writeFileSync(to, readFileSync(from));
      },
      renameSync: (from, to) => {
        fail();
        require('node:fs').renameSync(from, to);
      },
    };
  };

  it.each([
    ['a full disk', 'ENOSPC'],
    ['a read-only folder', 'EROFS'],
    ['permission denied', 'EACCES'],
  ])('%s: OUTPUT_WRITE, the previous output intact, no temporary files', async (_name, code) => {
    const dir = makeProject({
      'dist/a/index.html': 'old',
      'dist/a/a.pdf': 'old pdf',
      'dist/.lectern-output.json': JSON.stringify({ decks: ['a'], files: [] }),
    });
    const before = hashTree(join(dir, 'dist'));
    for (const after of [0, 1, 3]) {
      await expect(
        writeDecks(
          join(dir, 'dist'),
          [
            {
              name: 'a',
              files: [
                { path: 'index.html', content: 'new' },
                { path: 'deck.json', content: '{}' },
              ],
              copies: [],
            },
          ],
          {
            fs: failing(code, after),
          },
        ),
      ).rejects.toMatchObject({ code: 'OUTPUT_WRITE', exitCode: 5 });
      expect(hashTree(join(dir, 'dist'))).toBe(before);
      expect(readdirSync(join(dir, 'dist'))).toEqual(['.lectern-output.json', 'a']);
    }
  });

  it('a second Lectern writing the same dist/ waits for the first; the result is one build, never a mix', async () => {
    const dir = makeProject({ 'decks/d.md': good });
    const [one, two] = await Promise.all([
      runLectern(['build', '--template', 'keynote'], dir, 60_000),
      runLectern(['build', '--template', 'handout'], dir, 60_000),
    ]);
    expect([one.code, two.code]).toEqual([0, 0]);
    const html = readFileSync(join(dir, 'dist/d/index.html'), 'utf8');
    const template = /template-(keynote|handout)/.exec(html)![1]!;
    const folders = readdirSync(join(dir, 'dist/d/_lectern/templates')).sort();
    expect(folders).toEqual(['default', template]);
    expect(leftovers(join(dir, 'dist'))).toEqual([]);
  });

  it('a stale lock from a dead process is taken over, with a warning', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    const dir = makeProject({
      'decks/d.md': good,
      'dist/.lectern-lock': JSON.stringify({ pid: dead, since: '2026-01-01T00:00:00Z' }),
    });
    const run = await cli(['build', '--no-pdf'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `dist/.lectern-lock: warning[LOCK_RECLAIMED]: took over a lock left by a Lectern that no longer runs (pid ${dead})`,
    );
    expect(existsSync(join(dir, 'dist/.lectern-lock'))).toBe(false);
  });
});

describe.skipIf(!browserPath)('browser faults', () => {
  let hang: Server;
  let hangUrl: string;
  beforeAll(async () => {
    // Accepts every connection and never answers.
    hang = createServer(() => undefined);
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    hangUrl = `http://127.0.0.1:${(hang.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    hang.closeAllConnections();
    hang.close();
  });

  it('a missing browser: exit 3, nothing written', async () => {
    const dir = makeProject({ 'decks/d.md': good });
    await expectCleanFailure(dir, ['build', '--browser-path', '/no/such/chromium'], {
      code: 3,
      first: /^lectern: error\[BROWSER_NOT_FOUND\]/,
      withinMs: 10_000,
    });
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it('the browser options hold without a PDF too: build --no-pdf --check with a missing browser is exit 3', async () => {
    const dir = makeProject({ 'decks/d.md': good });
    await expectCleanFailure(dir, ['build', '--no-pdf', '--check', '--browser-path', '/no/such/chromium'], {
      code: 3,
      first: /^lectern: error\[BROWSER_NOT_FOUND\]: --browser-path \/no\/such\/chromium does not exist/,
      withinMs: 10_000,
    });
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it('a page that never becomes ready: exit 4, naming the wait', async () => {
    const dir = makeProject({ 'decks/good.md': good });
    expect((await cli(['build', '--quiet'], dir)).code).toBe(0);
    writeFileSync(join(dir, 'decks/stuck.md'), stuck);
    await expectCleanFailure(dir, ['build', 'decks/stuck.md', '--timeout', '5'], {
      code: 4,
      first: /^decks\/stuck\.md: error\[RENDER_TIMEOUT\]: .*pdf-ready/,
      withinMs: 25_000,
    });
  });

  it('an asset from a server that never answers: exit 4, naming the wait', async () => {
    const dir = makeProject({ 'decks/good.md': good });
    expect((await cli(['build', '--quiet'], dir)).code).toBe(0);
    writeFileSync(
      join(dir, 'decks/slow.md'),
      `---\ntitle: Slow\nhtml: unsafe\n---\n\n## Waits\n\n<img src="${hangUrl}/never.png" alt="never">\n`,
    );
    await expectCleanFailure(dir, ['build', 'decks/slow.md', '--allow-remote', '--timeout', '5'], {
      code: 4,
      first: /^decks\/slow\.md: error\[RENDER_TIMEOUT\]: printing timed out while waiting for loading the deck/,
      withinMs: 25_000,
    });
  });

  it('a --browser-ws endpoint that takes the connection and never answers: exit 3, naming it, lock let go', async () => {
    const dir = makeProject({ 'decks/d.md': good });
    const ws = hangUrl.replace('http:', 'ws:');
    await expectCleanFailure(dir, ['build', '--browser-ws', `${ws}/devtools/browser/x`], {
      code: 3,
      first:
        /^lectern: error\[BROWSER_LAUNCH\]: could not connect to ws:\/\/127\.0\.0\.1:\d+\/devtools\/browser\/x: no answer in 15 s/,
      withinMs: 25_000,
    });
  });

  it('a WebSocket to a server that never answers, with --allow-remote: the export still ends', async () => {
    const dir = makeProject({
      'decks/ws.md': `---\ntitle: Socket\nhtml: unsafe\n---\n\n## Opens a socket\n\n<script>new WebSocket('${hangUrl.replace('http:', 'ws:')}/x')</script>\n`,
    });
    const run = await runLectern(['build', '--allow-remote', '--quiet'], dir, 40_000);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    expect(run.ms).toBeLessThan(30_000);
  });

  it.each([
    ['build', ['build'], 'printing'],
    ['check', ['check'], 'checking'],
  ])(
    '%s: a deck whose script sends its page elsewhere fails at once, saying where it went, not at the time limit',
    async (_name, args, verb) => {
      const dir = makeProject({
        'decks/away.md': `---\ntitle: Away\nhtml: unsafe\n---\n\n## Leaves\n\n<script>setTimeout(() => { location.href = 'elsewhere.html'; }, 0);</script>\n`,
      });
      await expectCleanFailure(dir, [...args, '--timeout', '30'], {
        code: 4,
        first: new RegExp(
          `^decks/away\\.md: error\\[(PDF|CHECK)_FAILED\\]: ${verb} stopped while waiting for .*: the deck's page went to http://d[0-9a-f]+\\.lectern\\.localhost/elsewhere\\.html`,
        ),
        withinMs: 15_000,
      });
    },
  );

  it("a deck that busy-loops once laid out: exit 4 within the deck's time limit, not the browser's", async () => {
    const dir = makeProject({
      'decks/busy.md': `---\ntitle: Busy\nhtml: unsafe\n---\n\n## Loops\n\n<script>window.addEventListener('pdf-ready', () => setTimeout(() => { for (;;) {} }, 0));</script>\n`,
    });
    await expectCleanFailure(dir, ['build', '--timeout', '5'], {
      code: 4,
      first: /^decks\/busy\.md: error\[RENDER_TIMEOUT\]: printing timed out while waiting for /,
      withinMs: 20_000,
    });
  });

  it('check: an asset that never answers is a timeout naming the wait, and nothing is written', async () => {
    const dir = makeProject({
      'decks/slow.md': `---\ntitle: Slow\nhtml: unsafe\n---\n\n## Waits\n\n<img src="${hangUrl}/never.png" alt="never">\n`,
    });
    await expectCleanFailure(dir, ['check', '--allow-remote', '--timeout', '5'], {
      code: 4,
      first: /^decks\/slow\.md: error\[RENDER_TIMEOUT\]: checking timed out while waiting for loading the deck/,
      withinMs: 25_000,
    });
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it('SIGINT during a check: exit 130 at once, browser closed, nothing written', async () => {
    const dir = makeProject({
      'decks/slow.md': `---\ntitle: Slow\nhtml: unsafe\n---\n\n## Waits\n\n<img src="${hangUrl}/never.png" alt="never">\n`,
    });
    const tmp = tempDir('sig');
    const child = spawn(process.execPath, [join(repoRoot, 'bin/lectern.js'), 'check', '--allow-remote'], {
      cwd: dir,
      env: { ...process.env, TMPDIR: tmp },
    });
    onTestFinished(() => reap(child, tmp));
    const exited = new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
    const until = Date.now() + 20_000;
    while (chromiumOf(tmp).length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1500));
    const sent = Date.now();
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(Date.now() - sent).toBeLessThan(10_000);
    const until2 = Date.now() + 10_000;
    while (chromiumOf(tmp).length > 0 && Date.now() < until2) await new Promise((r) => setTimeout(r, 50));
    expect(chromiumOf(tmp)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 130],
  ] as const)(
    '%s during a PDF export: browser closed, partial files removed, previous output intact, exit %i',
    async (signal, code) => {
      const dir = makeProject({ 'decks/good.md': good });
      expect((await cli(['build', '--quiet'], dir)).code).toBe(0);
      const before = hashTree(join(dir, 'dist'));
      writeFileSync(join(dir, 'decks/stuck.md'), stuck);
      const tmp = tempDir('sig');
      const child = spawn(process.execPath, [join(repoRoot, 'bin/lectern.js'), 'build'], {
        cwd: dir,
        env: { ...process.env, TMPDIR: tmp },
      });
      onTestFinished(() => reap(child, tmp));
      const exited = new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
      const until = Date.now() + 20_000;
      while (
        !(readdirSync(join(dir, 'dist')).some((f) => f.startsWith('.lectern-tmp')) && chromiumOf(tmp).length > 0) &&
        Date.now() < until
      ) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 1500));
      child.kill(signal);
      expect(await exited).toBe(code);
      expect(hashTree(join(dir, 'dist'))).toBe(before);
      const until2 = Date.now() + 10_000;
      while (chromiumOf(tmp).length > 0 && Date.now() < until2) await new Promise((r) => setTimeout(r, 50));
      expect(chromiumOf(tmp)).toEqual([]);
      expect(readdirSync(tmp)).toEqual([]);
    },
  );
});

describe('the preview server under load', () => {
  let session: ServeSession;
  beforeAll(async () => {
    const dir = makeProject({ 'decks/d.md': good });
    session = await serveDecks({ projectDir: dir, port: 0 });
  });
  afterAll(async () => session?.close());

  const get = (path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const url = new URL(session.url);
      const req = request(
        { host: url.hostname, port: url.port, path, agent: false, headers: { host: url.host, ...headers } },
        (res) => {
          let body = '';
          res.on('data', (d) => {
            body += d;
            if (res.headers['content-type']?.startsWith('text/event-stream')) res.destroy();
          });
          res.on('close', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });

  const openFds = (): number => readdirSync('/proc/self/fd').length;

  it('answers 1,000 requests and holds 50 live-reload connections, correctly, without leaking descriptors', async () => {
    // Warm up first: the first requests open what the process keeps for good (not a leak).
    await Promise.all(Array.from({ length: 20 }, () => get('/d/index.html')));
    await Promise.all(Array.from({ length: 20 }, () => get('/d/_lectern/reveal/reveal.css')));
    await new Promise((r) => setTimeout(r, 200));
    const fdsBefore = openFds();
    const streams = await Promise.all(
      Array.from(
        { length: 50 },
        () =>
          new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
            const url = new URL(session.url);
            const req = request(
              {
                host: url.hostname,
                port: url.port,
                path: '/__lectern/events?deck=d',
                agent: false,
                headers: { host: url.host },
              },
              resolve,
            );
            req.on('error', reject);
            req.end();
          }),
      ),
    );
    expect(streams.every((s) => s.statusCode === 200)).toBe(true);
    const paths = [
      '/d/index.html',
      '/index.html',
      '/d/_lectern/reveal/reveal.css',
      '/../etc/passwd',
      '/d/%2e%2e/%2e%2e/etc/passwd',
      '/nope',
    ];
    const expected: Record<string, number> = {
      '/d/index.html': 200,
      '/index.html': 200,
      '/d/_lectern/reveal/reveal.css': 200,
      '/../etc/passwd': 403,
      '/d/%2e%2e/%2e%2e/etc/passwd': 403,
      '/nope': 404,
    };
    for (let batch = 0; batch < 20; batch++) {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          get(paths[(batch + i) % paths.length]!).then((r) => [paths[(batch + i) % paths.length]!, r] as const),
        ),
      );
      for (const [path, res] of results) {
        expect(res.status, path).toBe(expected[path]);
        if (path === '/d/index.html') expect(res.body).toContain('<section');
        expect(res.body).not.toContain('root:');
      }
    }
    // Every stream hears a reload.
    const heard = streams.map(
      (s) =>
        new Promise<boolean>((resolve) => s.on('data', (d) => String(d).includes('event: reload') && resolve(true))),
    );
    session.server.send({ type: 'reload', deck: 'd' });
    expect(await Promise.all(heard)).toEqual(streams.map(() => true));
    for (const s of streams) s.destroy();
    const until = Date.now() + 5_000;
    while (openFds() > fdsBefore + 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(openFds()).toBeLessThanOrEqual(fdsBefore + 2);
  });
});
