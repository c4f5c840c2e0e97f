import { mkdirSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/errors.js';
import { noNotesIn } from '../../src/model/audience.js';
import { parseStroke } from '../../src/model/ink.js';
import { presentDeck, type PresentSession } from '../../src/present/present.js';
import { makeProject } from '../helpers/fs.js';
import { exchange } from '../helpers/talk.js';

// A talk served for real on 127.0.0.1, read over HTTP as a phone in the room would.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let session: PresentSession | null = null;
afterEach(async () => {
  await session?.close();
  session = null;
});

const start = async (files: Record<string, string | Uint8Array>, warnings: Finding[] = []) => {
  const dir = makeProject(files);
  session = await presentDeck({ projectDir: dir, deck: 'decks/talk.md', port: 0, warn: (f) => warnings.push(...f) });
  return { dir, session, warnings };
};
const token = (url: string) => new URL(url).pathname.split('/')[1]!;
const get = (url: string, rest: string) => exchange(url, `/${token(url)}/${rest}`);
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  exchange(url, `/${token(url)}/__lectern/command`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('what the audience can reach', () => {
  it('holds nothing only the notes named: no file they link, no picture they show, no record that lists files', async () => {
    const { session: s } = await start({
      'decks/talk.md':
        '# Talk\n\n## Agenda <aside class="notes">HEADING SECRET</aside>\n\n![shown](shown.png)\n\nNote: NOTES SECRET. The [key](answers.txt) and ![d](secret.png)\n',
      'decks/shown.png': PNG,
      'decks/secret.png': PNG,
      'decks/answers.txt': 'LINKED SECRET\n',
    });
    const { audience, presenter } = s.urls;
    const page = await get(audience, '');
    expect(page.body).toContain('shown.png');
    expect(page.body).not.toMatch(/SECRET/);
    expect((await get(audience, 'shown.png')).status).toBe(200);
    for (const rest of ['secret.png', 'answers.txt', 'deck.json', '_lectern/written.json', 'DECK.JSON'])
      expect([rest, (await get(audience, rest)).status]).toEqual([rest, 404]);
    // The speaker's deck has them: the checks above can fail.
    expect((await get(presenter, 'deck/answers.txt')).body).toContain('LINKED SECRET');
    expect((await get(presenter, 'deck/index.html')).body).toContain('NOTES SECRET');
  });

  it('takes commands only as JSON, and only from this server', async () => {
    const { session: s } = await start({ 'decks/talk.md': '## One\n\n## Two\n' });
    const { presenter } = s.urls;
    const port = new URL(presenter).port;
    expect((await post(presenter, { type: 'qr', show: true })).status).toBe(204);
    expect(
      (await post(presenter, { type: 'qr', show: true }, { 'content-type': 'application/json-evil' })).status,
    ).toBe(415);
    for (const origin of [`https://127.0.0.1:${port}`, `127.0.0.1:${port}`, 'null', `http://127.0.0.1:${port}.evil`])
      expect([origin, (await post(presenter, { type: 'qr', show: false }, { origin })).status]).toEqual([origin, 403]);
    expect((await post(presenter, { type: 'qr', show: false }, { origin: `http://127.0.0.1:${port}` })).status).toBe(
      204,
    );
  });
});

describe('the drawing', () => {
  const stroke = (id: string, n: number) => ({
    id,
    tool: 'pen',
    color: '#112233',
    width: 3,
    points: Array.from({ length: n }, (_, i) => [i % 1280, (i * 7) % 720]),
  });

  it('a long talk of drawing still greets every page, and each new stroke is sent alone', async () => {
    const slides: Record<string, unknown[]> = {};
    for (let i = 1; i <= 3; i++) slides[String(i)] = Array.from({ length: 100 }, (_, j) => stroke(`s${i}x${j}`, 150));
    const { session: s } = await start({
      'decks/talk.md': '## One\n\n## Two\n\n## Three\n',
      'decks/talk.annotations.json': JSON.stringify({ width: 1280, height: 720, slides }),
    });
    for (const url of [s.urls.audience, s.urls.presenter, s.urls.remote]) {
      const { status, body } = await exchange(url, `/${token(url)}/__lectern/events`, {
        until: (b) => (b.match(/event: ink\n/g)?.length ?? 0) >= 3,
      });
      expect(status).toBe(200);
      expect(body.length).toBeGreaterThan(300_000);
      expect(body.match(/event: ink\n/g)?.length).toBe(3);
    }
    const res = await post(s.urls.presenter, { type: 'stroke', slide: 2, stroke: stroke('new', 5) });
    expect(res.status).toBe(204);
  });

  it('that cannot be saved is said once, and the talk goes on', async () => {
    const warnings: Finding[] = [];
    const { dir, session: s } = await start({ 'decks/talk.md': '## One\n\n## Two\n' }, warnings);
    mkdirSync(join(dir, 'decks/talk.annotations.json'));
    expect((await post(s.urls.presenter, { type: 'stroke', slide: 1, stroke: stroke('a', 3) })).status).toBe(204);
    await new Promise((r) => setTimeout(r, 600));
    expect((await post(s.urls.presenter, { type: 'stroke', slide: 1, stroke: stroke('b', 3) })).status).toBe(204);
    await new Promise((r) => setTimeout(r, 600));
    expect(warnings.filter((w) => w.code === 'ANNOTATIONS_UNSAVED')).toHaveLength(1);
    expect((await get(s.urls.audience, '')).status).toBe(200);
  });

  it('read back: slides the deck lacks, links and sizes that are not numbers are left out, and named briefly', async () => {
    const warnings: Finding[] = [];
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`x${i}`, []]));
    const { session: s } = await start(
      {
        'decks/talk.md': '## One\n\n## Two\n',
        'decks/talk.annotations.json': JSON.stringify({
          width: 1280,
          height: 720,
          slides: { '1': [stroke('a', 2)], '9': [stroke('b', 2)], ...many },
        }),
      },
      warnings,
    );
    expect(warnings.map((w) => w.message).join('\n')).toMatch(/slide 9 \(the deck has 2\)/);
    expect(warnings.length).toBe(6);
    expect(warnings.at(-1)!.message).toMatch(/36 more is left out/);
    const { body } = await exchange(s.urls.audience, `/${token(s.urls.audience)}/__lectern/events`);
    expect(body.match(/event: ink\n/g)?.length).toBe(1);
    expect(parseStroke({ ...stroke('t', 2), width: 0.01 }, 1280, 720)!.width).toBe(0.5);
    expect(parseStroke(stroke('t', 2), Number.POSITIVE_INFINITY, 720)).toBeNull();
  });

  it('follows no link in place of the file', async () => {
    const warnings: Finding[] = [];
    const dir = makeProject({ 'decks/talk.md': '## One\n', 'secret.txt': 'SECRET=hunter2' });
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'decks/talk.annotations.json'));
    session = await presentDeck({ projectDir: dir, deck: 'decks/talk.md', port: 0, warn: (f) => warnings.push(...f) });
    expect(warnings.map((w) => w.message).join('\n')).toContain('a link, not followed');
    expect(warnings.map((w) => w.message).join('\n')).not.toContain('SECRET');
  });
});

it('says the port is taken before building anything', async () => {
  const other = createServer();
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  const port = (other.address() as AddressInfo).port;
  // A deck that would fail to build: the port is what is said, so it was checked first.
  const dir = makeProject({ 'decks/talk.md': '---\ntitle: [unclosed\n---\n## A\n' });
  try {
    await expect(presentDeck({ projectDir: dir, deck: 'decks/talk.md', port })).rejects.toMatchObject({
      code: 'PORT_IN_USE',
    });
  } finally {
    other.close();
  }
});

it('leaves finished HTML as it was written, but for its notes', () => {
  expect(noNotesIn('<p>My notes</p><textarea>Tom &amp; Jerry</textarea><aside class="notes">x</aside>')).toBe(
    '<p>My notes</p><textarea>Tom &amp; Jerry</textarea>',
  );
});
