import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { makeProject } from '../helpers/fs.js';
import { runLectern } from './invariants.js';

// Two builds of one project at once (different --out, as CI jobs or a preview beside a build
// do) share the download cache: each writes it whole and once, and publishes the bytes it
// checked, so neither takes the other's write for an attack.
const pixel = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==',
  'base64',
);

describe('the shared download cache', () => {
  it('two builds at once with a cold cache both succeed and publish the same pictures', async () => {
    // Forty pictures, each answered once both builds have asked for it (or when a request has
    // waited 2 s alone, as it does when the other build already has the picture): the two runs
    // download, write and read the cache at the same moments, over and over.
    const waiting = new Map<string, ServerResponse[]>();
    let requests = 0;
    const answer = (path: string) => {
      for (const res of waiting.get(path)?.splice(0) ?? [])
        res.writeHead(200, { 'content-type': 'image/png' }).end(pixel);
    };
    const server = createServer((req, res) => {
      requests++;
      const list = waiting.get(req.url!) ?? [];
      waiting.set(req.url!, list);
      list.push(res);
      if (list.length >= 2) answer(req.url!);
      else timers.push(setTimeout(() => answer(req.url!), 2_000));
    });
    const timers: NodeJS.Timeout[] = [];
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    onTestFinished(async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const images = Array.from({ length: 40 }, (_, i) => `![chart ${i}](${base}/chart-${i}.png)`).join('\n\n');
    const dir = makeProject({
      'lectern.config.yaml': 'remoteHosts: [127.0.0.1]\n',
      'decks/a.md': `## A\n\n${images}\n`,
    });
    const [one, two] = await Promise.all([
      runLectern(['build', '--no-pdf', '--out', 'out-one'], dir),
      runLectern(['build', '--no-pdf', '--out', 'out-two'], dir),
    ]);
    expect(requests).toBeGreaterThanOrEqual(1);
    for (const [run, out] of [
      [one, 'out-one'],
      [two, 'out-two'],
    ] as const) {
      expect(run.stderr, out).toBe('');
      expect(run.code, out).toBe(0);
      const names = readdirSync(join(dir, out, 'a/_remote'));
      expect(names).toHaveLength(40);
      for (const name of names) expect(readFileSync(join(dir, out, 'a/_remote', name))).toEqual(pixel);
    }
    expect(readdirSync(join(dir, '.lectern-cache/remote')).filter((f) => f.endsWith('.png'))).toHaveLength(40);
  });

  it('a cache entry rewritten by another run while a build works does not fail the build', async () => {
    // Another run refreshing the cache writes each file aside and renames it into place: a new
    // file (a new inode) with the same bytes. Here that happens without pause for the whole build.
    const url = 'http://127.0.0.1:9/chart.png';
    const key = createHash('sha256').update(url).digest('hex').slice(0, 32);
    const dir = makeProject({
      'decks/a.md': `## A\n\n![chart](${url})\n`,
      [`.lectern-cache/remote/${key}.png`]: pixel,
      [`.lectern-cache/remote/${key}.json`]: JSON.stringify({ url, name: `${key}.png` }),
    });
    const entry = join(dir, `.lectern-cache/remote/${key}.png`);
    let running = true;
    let rewrites = 0;
    const rewrite = () => {
      if (!running) return;
      writeFileSync(`${entry}.aside`, pixel);
      renameSync(`${entry}.aside`, entry);
      rewrites++;
      setImmediate(rewrite);
    };
    rewrite();
    const run = await runLectern(['build', '--no-pdf'], dir);
    running = false;
    expect(rewrites).toBeGreaterThan(10);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'dist/a/_remote', `${key}.png`))).toEqual(pixel);
  });
});
