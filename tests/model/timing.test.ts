import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/config/duration.js';
import { modelOf } from '../helpers/deck.js';
import { cli, makeProject } from '../helpers/fs.js';

describe('how long a slide and a talk take', () => {
  it('reads durations as speakers write them, in seconds', () => {
    const cases: [string | number, number | undefined][] = [
      [90, 90],
      ['90', 90],
      ['90s', 90],
      ['2m', 120],
      ['2 min', 120],
      ['2 minutes', 120],
      ['1m30s', 90],
      ['1m 30s', 90],
      ['1:30', 90],
      ['1:02:03', 3723],
      ['1h 15m', 4500],
      ['1.5m', 90],
      ['2 hours', 7200],
      ['soon', undefined],
      ['2 parsecs', undefined],
      ['1:75', undefined],
      ['', undefined],
      [-5, undefined],
    ];
    for (const [input, seconds] of cases) expect(parseDuration(input), String(input)).toBe(seconds);
  });

  it('a `Time:` line of the notes is the slide’s timing, taken out of its notes; other lines stay', () => {
    const deck = modelOf(
      '## One\n\nText\n\nNote: Say hello.\n\nTime: 2m\n\nThen go on.\n\n## Two\n\nNote: Time: is short, keep it brisk.\n',
    );
    const [one, two] = deck.stacks.flatMap((s) => s.slides);
    expect(one!.attributes['data-timing']).toBe('120');
    expect(one!.notes).toContain('Say hello.');
    expect(one!.notes).toContain('Then go on.');
    expect(one!.notes).not.toContain('Time');
    expect(two!.attributes['data-timing']).toBeUndefined();
    expect(two!.notes).toContain('Time: is short');
  });

  it('a `Time:` line that is no duration is an error at its line and column', () => {
    expect(() => modelOf('## One\n\nNote: hi\n\n  Time: 2 parsecs\n')).toThrow(
      expect.objectContaining({ code: 'DIRECTIVE_INVALID', pos: expect.objectContaining({ line: 5, column: 9 }) }),
    );
  });

  it('gives the speaker view its pacing timer: totalTime as written, or two minutes a slide when only slides are timed', async () => {
    const dir = makeProject({
      'decks/total.md':
        '---\nreveal:\n  totalTime: 20m\n  minimumTimePerSlide: 30s\n---\n\n## One\n\nNote: Time: 1:30\n',
      'decks/slides.md': '## One\n\n<!-- .slide: data-timing="45" -->\n\n## Two\n\nNote: Time: 3m\n',
      'decks/none.md': '## One\n\nNote: nothing about time\n',
    });
    const run = await cli(['build', '--no-pdf'], dir);
    expect(run.code, run.stderr).toBe(0);
    const bad = makeProject({ 'decks/bad.md': '---\nreveal:\n  totalTime: a while\n---\n\n## One\n' });
    const refused = await cli(['build', '--no-pdf'], bad);
    expect(refused.stderr).toMatch(
      /decks\/bad\.md:3:14: warning\[OPTION_IGNORED\]: .*a duration such as 20m, 90s, 1:30/,
    );
    const config = (name: string) => {
      const html = readFileSync(join(dir, 'dist', name, 'index.html'), 'utf8');
      return { html, reveal: JSON.parse(/Reveal\.initialize\(Object\.assign\((\{.*?\}), \{ plugins/s.exec(html)![1]!) };
    };
    const total = config('total');
    expect(total.reveal).toMatchObject({ totalTime: 1200, minimumTimePerSlide: 30 });
    expect(total.reveal.defaultTiming).toBeUndefined();
    expect(total.html).toContain('data-timing="90"');
    const slides = config('slides');
    expect(slides.reveal.defaultTiming).toBe(120);
    expect(slides.html).toContain('data-timing="45"');
    expect(slides.html).toContain('data-timing="180"');
    expect(config('none').reveal.defaultTiming).toBeUndefined();
  });
});
