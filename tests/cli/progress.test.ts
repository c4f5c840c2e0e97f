import { describe, expect, it } from 'vitest';
import { pdfProgress } from '../../src/cli/report.js';

const result = (name: string, pages: number) => ({
  name,
  file: `decks/${name}.md`,
  path: `/p/dist/${name}/${name}.pdf`,
  pages,
  bytes: 2048,
  ms: 120,
  warnings: [],
});

describe('PDF progress', () => {
  it('draws one bar in place on a terminal', () => {
    let err = '';
    const progress = pdfProgress({ cwd: '/p', stdout: () => {}, stderr: (t) => (err += t), isTTY: true }, false);
    progress.start([
      { name: 'a', slideCount: 10 },
      { name: 'b', slideCount: 30 },
    ]);
    progress.done(result('a', 10));
    expect(err).toMatch(/\r\[#{6}-{18}\] PDF 1\/2 decks, 10\/40 slides, \d+\.\ds\x1b\[K$/);
    progress.begin!({ name: 'b', file: 'decks/b.md', slideCount: 30 });
    expect(err).toMatch(/PDF 1\/2 decks, 10\/40 slides, \d+\.\ds · printing b\x1b\[K$/);
    progress.done(result('b', 30));
    expect(err).toMatch(/\r\[#{24}\] PDF 2\/2 decks, 40\/40 slides, \d+\.\ds\x1b\[K\n$/);
  });

  it('prints a line per deck when piped, and nothing when quiet', () => {
    let out = '';
    const piped = pdfProgress({ cwd: '/p', stdout: (t) => (out += t), stderr: () => {}, isTTY: false }, false);
    piped.start([{ name: 'a', slideCount: 10 }]);
    piped.done(result('a', 10));
    expect(out).toBe('pdf decks/a.md -> dist/a/a.pdf (10 pages, 2 kB, 120 ms)\n');
    let quiet = '';
    const silent = pdfProgress(
      { cwd: '/p', stdout: (t) => (quiet += t), stderr: (t) => (quiet += t), isTTY: true },
      true,
    );
    silent.start([{ name: 'a', slideCount: 10 }]);
    silent.done(result('a', 10));
    expect(quiet).toBe('');
  });
});
