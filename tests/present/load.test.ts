import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentDeck, type PresentSession } from '../../src/present/present.js';
import { makeProject } from '../helpers/fs.js';

// A room's worth of phones on one talk, over real HTTP on 127.0.0.1: every connection hears
// every step, in order, and the server lets go of each one that leaves. (How fast, over a
// minute, is the benchmark's: npm run bench -- --present-only.)
const CLIENTS = 200;
const STEPS = 12;

describe('the talk server with 200 audience connections', () => {
  let session: PresentSession;
  beforeAll(async () => {
    const dir = makeProject({
      'decks/talk.md': `# Load\n\n${Array.from({ length: 20 }, (_, i) => `## Slide ${i + 1}\n\nNote: secret ${i + 1}\n`).join('\n')}`,
    });
    session = await presentDeck({ projectDir: dir, deck: 'decks/talk.md', port: 0 });
  });
  afterAll(() => session?.close());

  it('delivers every step to every connection in order, with no notes, and forgets those that leave', async () => {
    const audience = new URL(session.urls.audience);
    const presenter = new URL(session.urls.presenter);
    const heard: number[][] = [];
    const bodies: string[] = [];
    const requests = await Promise.all(
      Array.from(
        { length: CLIENTS },
        (_, i) =>
          new Promise<ReturnType<typeof request>>((resolve, reject) => {
            heard[i] = [];
            bodies[i] = '';
            const req = request(
              {
                host: audience.hostname,
                port: audience.port,
                path: `${audience.pathname}__lectern/events`,
                agent: false,
                headers: { host: audience.host },
              },
              (res) => {
                res.setEncoding('utf8');
                res.on('data', (chunk: string) => {
                  bodies[i] += chunk;
                  for (const m of chunk.matchAll(/event: state\ndata: (.*)\n/g))
                    heard[i]!.push((JSON.parse(m[1]!) as { seq: number }).seq);
                });
                resolve(req);
              },
            );
            req.on('error', reject);
            req.end();
          }),
      ),
    );
    expect(session.server.connected().audience).toBe(CLIENTS);
    const post = (body: unknown) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: presenter.hostname,
            port: presenter.port,
            path: `${presenter.pathname}__lectern/command`,
            method: 'POST',
            headers: { host: presenter.host, 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify(body));
      });
    for (let step = 1; step <= STEPS; step++)
      expect(await post({ type: 'state', indexh: step, indexv: 0, indexf: -1, paused: false, slide: step })).toBe(204);
    const until = Date.now() + 20_000;
    while (heard.some((h) => h.at(-1) !== STEPS) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const all = Array.from({ length: STEPS + 1 }, (_, i) => i);
    for (const h of heard) expect(h).toEqual(all);
    for (const body of bodies) expect(body).not.toContain('secret');
    for (const req of requests) req.destroy();
    const gone = Date.now() + 10_000;
    while (session.server.connected().audience > 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 20));
    expect(session.server.connected().audience).toBe(0);
  }, 60_000);
});
