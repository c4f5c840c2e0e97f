import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserForTests } from '../helpers/browser.js';
import { cli, makeProject } from '../helpers/fs.js';

const browserPath = browserForTests('PNG tests');

/** Width and height from a PNG's header (its IHDR chunk). */
function pngSize(path: string): [number, number] {
  const bytes = readFileSync(path);
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

const deck = (aspect: string) => `---
title: Pictures
aspect: "${aspect}"
---

## One

- first
- second

## Two

Some words on the second slide.

## Three

\`\`\`js
const three = 3;
\`\`\`
`;

describe.skipIf(!browserPath)('lectern png', () => {
  it('writes one picture per slide at the deck’s own size, twice that with --scale 2, and one per fragment step with --fragments', async () => {
    const dir = makeProject({ 'decks/pics.md': deck('16:9') });
    const run = await cli(['png', 'decks/pics.md'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^png decks\/pics\.md -> dist\/pics\/slides\/ \(4 pictures, 1280×720, \d+ ms\)$/m);
    const slides = join(dir, 'dist/pics/slides');
    expect(readdirSync(slides)).toEqual(['001.png', '002.png', '003.png', '004.png']);
    for (const f of readdirSync(slides)) expect(pngSize(join(slides, f))).toEqual([1280, 720]);
    // Four different slides make four different pictures.
    expect(new Set(readdirSync(slides).map((f) => readFileSync(join(slides, f)).toString('base64'))).size).toBe(4);

    const big = await cli(['png', 'dist/pics', '--scale', '2'], dir);
    expect(big.code).toBe(0);
    expect(pngSize(join(slides, '001.png'))).toEqual([2560, 1440]);

    // The second item is a fragment: one more picture, for the step that shows it.
    writeFileSync(
      join(dir, 'decks/pics.md'),
      deck('16:9').replace('- second', '- second <!-- .element: class="fragment" -->'),
    );
    const steps = await cli(['png', 'decks/pics.md', '--fragments', '--json'], dir);
    expect(steps.code).toBe(0);
    const json = JSON.parse(steps.stdout).decks[0];
    expect(json.pictures).toBe(5);
    expect(readdirSync(slides)).toHaveLength(json.pictures);
  });

  it('keeps the deck’s aspect ratio, and refuses what it cannot picture', async () => {
    const dir = makeProject({ 'decks/square.md': deck('4:3') });
    expect((await cli(['png', 'decks/square.md'], dir)).code).toBe(0);
    expect(pngSize(join(dir, 'dist/square/slides/001.png'))).toEqual([1024, 768]);
    const wrong = await cli(['png', 'decks/square.md', '--scale', '3'], dir);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('error[USAGE]: --scale takes 1 or 2, not "3"');
    const misplaced = await cli(['build', '--scale', '2'], dir);
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toContain('--scale and --fragments go with `lectern png`');
  });

  it('formats: [html, png] in the config makes pictures with every build, and no PDF', async () => {
    const dir = makeProject({ 'decks/pics.md': deck('16:9'), 'lectern.config.yaml': 'formats: [html, png]\n' });
    const run = await cli(['build'], dir);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^1 deck, 4 slide pictures in \d+ ms, 0 warnings$/m);
    expect(readdirSync(join(dir, 'dist/pics/slides'))).toHaveLength(4);
    expect(existsSync(join(dir, 'dist/pics/pics.pdf'))).toBe(false);
  });
});
