import { describe, expect, it } from 'vitest';
import { errorOf, modelOf, slidesOf } from '../helpers/deck.js';

describe('columns', () => {
  it('are as many as the markers make, a marker before any content opening the first', () => {
    const [three, widths] = slidesOf(
      modelOf(
        '## Three\n\nA\n\n<!-- column -->\n\nB\n\n<!-- column -->\n\nC\n\n## Widths\n\n<!-- column: 60% -->\n\nWide\n\n<!-- column: 40% -->\n\nNarrow\n',
      ),
    );
    expect(three!.columns.length).toBe(3);
    expect(three!.layout).toBe('two-column');
    expect(three!.columnWidths).toBeUndefined();
    expect(widths!.columns.length).toBe(2);
    expect(widths!.columns[0]).toContain('Wide');
    expect(widths!.columnWidths).toEqual([60, 40]);
  });

  it('share what the given widths leave between the others', () => {
    const [slide] = slidesOf(
      modelOf('## W\n\nA\n\n<!-- column: 50 -->\n\nB\n\n<!-- column -->\n\nC\n\n<!-- column -->\n\nD\n'),
    );
    expect(slide!.columnWidths).toEqual([16.67, 50, 16.67, 16.67]);
  });

  it('refuse a width that is none, at the marker', () => {
    const err = errorOf(() => modelOf('## W\n\nA\n\n<!-- column: wide -->\n\nB\n'));
    expect(err.code).toBe('DIRECTIVE_INVALID');
    expect(err.pos).toMatchObject({ line: 5, column: 1 });
    expect(err.message).toBe('"wide" is no column width');
  });

  it('read the same in reveal-md decks', () => {
    const [slide] = slidesOf(
      modelOf(
        '---\ndialect: reveal-md\n---\n\n## W\n\n<!-- column: 30% -->\nA\n<!-- column -->\nB\n<!-- column -->\nC\n',
      ),
    );
    expect(slide!.columns.length).toBe(3);
    expect(slide!.columnWidths).toEqual([30, 35, 35]);
  });
});

describe('image attributes', () => {
  it('size and fit an image as Pandoc writes them, in Lectern’s own decks', () => {
    const [sized, fitted] = slidesOf(
      modelOf(
        '## A\n\n![Chart](c.svg){width=50%}\n\n## B\n\n![Photo](p.png){.cover}\n\n`![x](y.png){.cover}` stays code\n',
      ),
    );
    expect(sized!.body).toContain('<img src="c.svg" alt="Chart" style="width:50%">');
    expect(fitted!.body).toContain('<img src="p.png" alt="Photo" class="cover">');
    expect(fitted!.body).toContain('<code>![x](y.png){.cover}</code>');
  });
});

describe('emoji shortcodes', () => {
  it('become the emoji GitHub and Slack name, in titles and text; unknown names, times and code stay', () => {
    const [slide] = slidesOf(
      modelOf(
        '## Ship it :rocket:\n\n- :+1: and :tada: and :slightly_smiling_face:\n- at 10:30:00, :notanemoji:\n- `:rocket:`\n',
      ),
    );
    expect(slide!.title).toBe('Ship it \u{1F680}');
    expect(slide!.body).toContain('\u{1F44D}\uFE0F and \u{1F389} and \u{1F642}');
    expect(slide!.body).toContain('at 10:30:00, :notanemoji:');
    expect(slide!.body).toContain('<code>:rocket:</code>');
  });
});
