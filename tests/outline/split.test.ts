import { describe, expect, it } from 'vitest';
import { splitSlides } from '../../src/outline/split.js';
import { splitFrontMatter } from '../../src/outline/front-matter.js';
import { decodeSource } from '../../src/outline/read.js';
import { errorOf } from '../helpers/deck.js';

describe('splitSlides', () => {
  it('starts slides at headings up to the slide level, keeping their lines', () => {
    const body = '# Part\n\nintro\n\n## One\n\ntext\n\n### not a slide\n\n## Two\n';
    const slides = splitSlides(body, 1, 2).slides;
    expect(slides.map((s) => [s.start, s.headingDepth, s.line])).toEqual([
      ['heading', 1, 1],
      ['heading', 2, 5],
      ['heading', 2, 11],
    ]);
    expect(slides[1]!.columns[0]!.text).toContain('### not a slide');
  });

  it('honours slideLevel 1 and 3', () => {
    expect(splitSlides('# A\n## B\n# C\n', 1, 1).slides).toHaveLength(2);
    expect(splitSlides('# A\n## B\n### C\n', 1, 3).slides).toHaveLength(3);
  });

  it('splits on --- and ---- after a blank line, and a heading right after a separator adds no slide', () => {
    const body = 'first\n\n---\n\n## Titled\n\nbody\n\n----\n\nbelow\n';
    const slides = splitSlides(body, 10, 2).slides;
    expect(slides.map((s) => [s.start, s.line, s.headingDepth])).toEqual([
      ['start', 10, undefined],
      ['horizontal', 12, 2],
      ['vertical', 18, undefined],
    ]);
    expect(slides[1]!.columns[0]).toEqual({ text: '## Titled\n\nbody\n', line: 14 });
  });

  it('does not treat a setext underline or a fenced --- as a separator', () => {
    const slides = splitSlides('## A\nText\n---\n\n```\n## no\n\n---\n```\n', 1, 2).slides;
    expect(slides).toHaveLength(1);
  });

  it('takes notes from a Note: line to the end of the slide', () => {
    const slides = splitSlides('## A\n\nbody\n\nNote: first\nsecond\n\n## B\n\nNotes:\nonly\n', 1, 2).slides;
    expect(slides[0]!.notes).toEqual([{ text: 'first\nsecond\n', line: 5 }]);
    expect(slides[0]!.columns[0]!.text).not.toContain('first');
    expect(slides[1]!.notes![0]!.text.trim()).toBe('only');
  });

  it('reads layout comments and column breaks with their lines', () => {
    const slides = splitSlides('## A\n<!-- layout: two-column -->\nleft\n<!-- column -->\nright\n', 1, 2).slides;
    expect(slides[0]!.layout).toEqual({ name: 'two-column', line: 2, column: 1 });
    expect(slides[0]!.columns.map((c) => [c.text.trim(), c.line])).toEqual([
      ['## A\n\nleft', 1],
      ['right', 5],
    ]);
    expect(slides[0]!.columnBreaks).toEqual([4]);
  });
});

describe('front matter and source decoding', () => {
  it('splits front matter and reports where the body starts', () => {
    const split = splitFrontMatter('---\ntitle: x\nlang: en\n---\n## A\n', 'd.md');
    expect(split).toEqual({ yaml: 'title: x\nlang: en', yamlLine: 2, body: '## A\n', bodyLine: 5 });
  });

  it('refuses code front matter and unclosed front matter', () => {
    expect(errorOf(() => splitFrontMatter('---js\n{}\n---\n', 'd.md'))).toMatchObject({
      code: 'FRONT_MATTER_CODE',
      pos: { line: 1 },
    });
    expect(errorOf(() => splitFrontMatter('---\ntitle: x\n', 'd.md'))).toMatchObject({
      code: 'FRONT_MATTER_UNCLOSED',
      pos: { line: 1 },
    });
  });

  it('drops a BOM and folds CRLF without moving lines', () => {
    const text = decodeSource(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('a\r\nb\rc\n')]), 'd.md');
    expect(text).toBe('a\nb\nc\n');
  });

  it('names the line of invalid UTF-8', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('ok\nok\nbad '), 0xff, 0x0a]);
    expect(errorOf(() => decodeSource(bytes, 'd.md'))).toMatchObject({
      code: 'SOURCE_ENCODING',
      pos: { line: 3, column: 5 },
    });
  });
});
