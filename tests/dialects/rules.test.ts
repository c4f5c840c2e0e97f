import { describe, expect, it } from 'vitest';
import { parseOutline } from '../../src/outline/parse-outline.js';
import { modelOf, slidesOf } from '../helpers/deck.js';

/** Each dialect's rules on literal decks, one rule at a time. */

const shape = (md: string, file = 'deck.md') => {
  const deck = modelOf(md, {}, file);
  return deck.stacks.map((s) => s.slides.length);
};
const titles = (md: string, file = 'deck.md') => slidesOf(modelOf(md, {}, file)).map((s) => s.titleText);

describe('detection', () => {
  it.each([
    ['deck.qmd', '## A\n\nText\n', 'pandoc', 'a .qmd file is Quarto'],
    ['deck.md', '---\nmarp: true\n---\n\n# A\n', 'marp', 'front matter has `marp: true`'],
    [
      'deck.md',
      '---\nrevealOptions:\n  controls: false\n---\n\n# A\n',
      'reveal-md',
      'front matter has `revealOptions`, which reveal-md reads',
    ],
    [
      'deck.md',
      '---\nformat:\n  revealjs:\n    theme: dark\n---\n\n## A\n',
      'pandoc',
      'front matter has `format`, which Quarto reads',
    ],
    ['deck.md', '% The title\n% Ana; Ben\n\n## A\n', 'pandoc', 'the file opens with a `%` title block'],
    ['deck.md', '## A\n\n::: notes\nsay\n:::\n', 'pandoc', 'the slides use `:::` fenced divs'],
    ['deck.md', '## A\n\none\n\n. . .\n\ntwo\n', 'pandoc', 'the slides use `. . .` pauses'],
    ['deck.md', '## A\n\nText\n\n---\n\n## B\n', 'reveal-md', 'slides are split by 1 `---` line'],
    [
      'deck.md',
      '---\ntemplate: keynote\n---\n\n## A\n\n---\n\n## B\n',
      'lectern',
      'front matter has `template`, which only Lectern reads',
    ],
    [
      'deck.md',
      '# Part\n\n## Chapter\n\n### Slide\n\nText\n',
      'pandoc',
      'its slides are its level-3 headings, as Pandoc reads them',
    ],
    ['deck.md', '## A\n\nText\n', 'lectern', 'nothing in the file belongs to another tool'],
    [
      'deck.md',
      '# A\n\n---\n\n# B\n\n<!-- say it slowly, then pause -->\n',
      'marp',
      "slides are split by `---` and carry their notes in HTML comments, as Marp's do",
    ],
  ])('%s %j is read as %s (%s)', (file, md, dialect, reason) => {
    const { dialect: choice } = parseOutline(md, file);
    expect(choice.dialect).toBe(dialect);
    expect(choice.reason).toBe(reason);
  });

  it('is overridden by `dialect:` in the front matter, by the config, and by --dialect, in that order', () => {
    expect(parseOutline('---\ndialect: pandoc\n---\n\n## A\n\n---\n\nB\n', 'd.md').dialect).toMatchObject({
      dialect: 'pandoc',
      reason: 'the front matter says `dialect: pandoc`',
    });
    expect(parseOutline('## A\n', 'd.md', { config: 'marp' }).dialect).toMatchObject({
      dialect: 'marp',
      reason: 'lectern.config.yaml says `dialect: marp`',
    });
    expect(
      parseOutline('---\ndialect: pandoc\n---\n## A\n', 'd.md', { flag: 'reveal-md', config: 'marp' }).dialect.dialect,
    ).toBe('reveal-md');
    expect(parseOutline('## A\n', 'd.md', { flag: 'quarto' }).dialect).toMatchObject({
      dialect: 'pandoc',
      quarto: true,
    });
  });
});

describe('reveal-md', () => {
  it('splits at bare `---` and `----` lines with no blank lines around them, never at headings', () => {
    const md =
      '---\ntitle: T\nrevealOptions: {}\n---\n# Title\n## Subtitle\ntext\n---\n## Two\nmid\n## still two\n----\nbelow\n---\nlast\n';
    expect(shape(md)).toEqual([1, 2, 1]);
    expect(titles(md)).toEqual(['Title', 'Two', '', '']);
    // `title:` makes no title slide in reveal-md, unless asked.
    expect(shape(md.replace('title: T', 'title: T\ntitleSlide: true'))).toEqual([1, 1, 2, 1]);
  });

  it('takes separators from the front matter as regular expressions', () => {
    const md =
      '---\nseparator: <!--s-->\nverticalSeparator: <!--v-->\n---\n# One\n---\nstill one\n<!--s-->\n# Two\n<!--v-->\nunder two\n';
    expect(shape(md)).toEqual([1, 2]);
    const blank = '---\nseparator: "^\\n\\n\\n"\nverticalSeparator: "^\\n\\n"\n---\n# A\n\n\n\n# B\n\n\n# B2\n';
    expect(shape(blank)).toEqual([1, 2]);
  });

  it('reads notes after Note:, Notes:, NOTES: and an indented note:, and after a custom notesSeparator', () => {
    for (const marker of ['Note:', 'Notes:', 'NOTES:', '  note:']) {
      const slide = slidesOf(modelOf(`---\nrevealOptions: {}\n---\n# A\n\nshown\n\n${marker} spoken\n---\n# B\n`))[0]!;
      expect(slide.notes).toContain('spoken');
      expect(slide.body).not.toContain('spoken');
    }
    const custom = slidesOf(
      modelOf('---\nnotesSeparator: "^Speaker:"\n---\n# A\n\nNote: on the slide\n\nSpeaker: in the notes\n'),
    )[0]!;
    expect(custom.body).toContain('Note: on the slide');
    expect(custom.notes).toContain('in the notes');
    const aside = slidesOf(
      modelOf('---\nrevealOptions: {}\n---\n# A\n\nshown\n\n<aside class="notes">quiet</aside>\n'),
    )[0]!;
    expect(aside.notes).toContain('quiet');
    expect(aside.body).not.toContain('quiet');
  });

  it('cuts inside code fences as reveal.js does, and says where a fence is left open', () => {
    const deck = modelOf('---\nrevealOptions: {}\n---\n# A\n\n```yaml\nkey: 1\n---\nother: 2\n```\n');
    expect(deck.slideCount).toBe(2);
    // The first slide's fence is cut open; the second slide's closing fence opens one of its own.
    expect(deck.warnings.filter((w) => w.code === 'FENCE_UNCLOSED').map((w) => w.pos.line)).toEqual([6, 10]);
  });

  it('reads reveal.js attribute comments', () => {
    const slide = slidesOf(
      modelOf(
        '---\nrevealOptions: {}\n---\n<!-- .slide: data-background-color="#123456" -->\n# A\n\n- one <!-- .element: class="fragment" -->\n',
      ),
    )[0]!;
    expect(slide.attributes['data-background-color']).toBe('#123456');
    expect(slide.fragments).toBe(1);
  });
});

describe('pandoc and quarto', () => {
  it('finds the slide level as Pandoc does and stacks sections vertically', () => {
    expect(
      shape(
        '---\ntitle: T\n---\n\n# Part\n\n## One\n\nText\n\n## Two\n\nText\n\n# Next\n\n## Three\n\nText\n',
        'p.qmd',
      ),
    ).toEqual([1, 3, 2]);
    // Level 1 when a `#` heading is followed by content.
    expect(shape('% T\n\n# A\n\nText\n\n## inside A\n\n# B\n\nText\n')).toEqual([1, 1, 1]);
  });

  it('starts a slide at a horizontal rule, but a rule before a slide heading only separates', () => {
    expect(titles('% T\n\n## A\n\nText\n\n---\n\nuntitled\n\n---\n\n## B\n\nText\n')).toEqual(['T', 'A', '', 'B']);
  });

  it('reads setext headings as headings that start slides', () => {
    expect(
      titles('---\ntitle: T\nformat: revealjs\n---\n\nPart\n====\n\nOne\n---\n\nText\n\nTwo\n---\n\nText\n'),
    ).toEqual(['T', 'Part', 'One', 'Two']);
  });

  it('turns pauses, fragments, incremental lists, notes, columns, spans and attributes into what Pandoc makes of them', () => {
    const md = [
      '---',
      'title: T',
      'author:',
      '  - name: Ana',
      '    affiliation: Lab A',
      '  - Ben',
      'format: revealjs',
      '---',
      '',
      '## Columns {#cols .smaller data-background-color="#101820"}',
      '',
      ':::: columns',
      '::: {.column width="40%"}',
      'left [hot]{.alert}',
      ':::',
      '::: {.column width="60%"}',
      'right',
      ':::',
      '::::',
      '',
      '::: notes',
      'Say **this**.',
      ':::',
      '',
      '## Steps',
      '',
      'first',
      '',
      '. . .',
      '',
      'second',
      '',
      '. . .',
      '',
      'third',
      '',
      '## Lists',
      '',
      '::: incremental',
      '- a',
      '- b',
      ':::',
      '',
      '::: nonincremental',
      '- c',
      ':::',
      '',
      '## Image',
      '',
      '![chart](chart.png){width=50%}',
      '',
      '## {background-image="bg.png"}',
      '',
    ].join('\n');
    const deck = modelOf(md, {}, 'deck.qmd');
    const [title, cols, steps, lists, image, bg] = slidesOf(deck);
    expect(deck.meta).toMatchObject({ author: 'Ana, Ben', institute: 'Lab A' });
    expect(title!.layout).toBe('title');
    expect(cols!.attributes).toMatchObject({ id: 'cols', class: 'smaller', 'data-background-color': '#101820' });
    expect(cols!.body).toContain('<div class="columns"><div class="column" style="width:40%">');
    expect(cols!.body).toContain('<span class="alert">hot</span>');
    expect(cols!.notes).toContain('<strong>this</strong>');
    expect(cols!.body).not.toContain('Say');
    expect(steps!.fragments).toBe(2);
    expect(lists!.fragments).toBe(2);
    expect(lists!.body).toMatch(/<li[^>]*class="fragment"[^>]*>a<\/li>/);
    expect(lists!.body).toMatch(/<li[^>]*>c<\/li>/);
    expect(lists!.body).not.toMatch(/<li[^>]*class="fragment"[^>]*>c/);
    expect(image!.body).toMatch(/<img src="chart\.png" alt="chart" style="width:50%"/);
    expect(bg!.titleText).toBe('');
    expect(bg!.attributes['data-background-image']).toBe('bg.png');
  });

  it('drops a hidden slide, shows code cells as code and drops shortcodes, each with a warning at its line', () => {
    const deck = modelOf(
      '---\ntitle: T\n---\n\n## Shown\n\nA {{< pagebreak >}}\n\n## Hidden {visibility="hidden"}\n\nB\n\n## Code\n\n```{python}\n#| echo: false\nprint(1)\n```\n',
      {},
      'd.qmd',
    );
    expect(titles('---\ntitle: T\n---\n\n## Shown\n\nA\n\n## Hidden {visibility="hidden"}\n\nB\n', 'd.qmd')).toEqual([
      'T',
      'Shown',
    ]);
    const code = slidesOf(deck).at(-1)!;
    expect(code.body).toContain('<code class="hljs language-python">');
    expect(code.body).toContain('print');
    expect(code.body).not.toContain('echo');
    expect(deck.warnings.filter((w) => w.code === 'SYNTAX_UNSUPPORTED').map((w) => [w.pos.line, w.message])).toEqual([
      [7, 'the Quarto shortcode "pagebreak" is dropped: Lectern has no shortcodes'],
      [15, 'a python cell is shown as code: Lectern runs no code cells'],
    ]);
  });

  it('gives callouts their title', () => {
    const slide = slidesOf(
      modelOf(
        '## A\n\n::: {.callout-warning title="Careful"}\nText\n:::\n\n::: {.callout-tip}\nMore\n:::\n',
        {},
        'd.qmd',
      ),
    )[0]!;
    expect(slide.body).toContain(
      '<div class="callout callout-warning"><p class="callout-title"><strong>Careful</strong></p>',
    );
    expect(slide.body).toContain('<strong>Tip</strong>');
  });
});

describe('marp', () => {
  it('splits at every horizontal rule but not at a setext heading, and keeps empty slides', () => {
    expect(shape('---\nmarp: true\n---\n\n# A\n\n***\n\n# B\n\n___\n\nHeading\n---\n\n---\n\n---\n\nlast\n')).toEqual([
      1, 1, 1, 1, 1,
    ]);
  });

  it('reads comments as notes and directives as directives: local, spot and from front matter', () => {
    const md =
      '---\nmarp: true\npaginate: true\nfooter: Open AI\n---\n\n<!-- _class: lead -->\n<!-- _paginate: false -->\n\n# Title\n\n<!-- Welcome everyone. -->\n\n---\n\n<!-- backgroundColor: #102030 -->\n<!-- header: Part one -->\n\n## Two\n\n---\n\n## Three\n';
    const [one, two, three] = slidesOf(modelOf(md));
    expect(one!.attributes.class).toBe('lead');
    expect(one!.notes).toContain('Welcome everyone.');
    expect(one!.chrome).toEqual({ footer: 'Open AI' });
    expect(two!.notes).toBe('');
    expect(two!.attributes['data-background-color']).toBe('#102030');
    expect(two!.chrome).toEqual({ header: 'Part one', footer: 'Open AI', paginate: true });
    expect(three!.attributes['data-background-color']).toBe('#102030');
  });

  it('reads image keywords: backgrounds, split backgrounds and sizes; `*` items are fragments', () => {
    const [bg, split, sized] = slidesOf(
      modelOf(
        '---\nmarp: true\n---\n\n![bg](a.png)\n\n# A\n\n---\n\n![bg left:40%](b.png)\n\n## B\n\n---\n\n![w:200px](c.png)\n\n* one\n* two\n',
      ),
    );
    expect(bg!.attributes).toMatchObject({ 'data-background-image': 'a.png', 'data-background-size': 'cover' });
    expect(bg!.body).not.toContain('<img');
    expect(split!.attributes).toMatchObject({
      'data-background-image': 'b.png',
      'data-background-size': 'cover',
      class: 'lectern-split-left lectern-split-40',
    });
    expect(sized!.body).toMatch(/<img src="c\.png" alt(="")? style="width:200px">/);
    expect(sized!.fragments).toBe(2);
  });

  it('renders header and footer as Markdown, never as HTML', () => {
    const [slide] = slidesOf(
      modelOf('---\nmarp: true\nfooter: "Meetup · **2026** <img src=x onerror=alert(1)>"\n---\n\n# A\n'),
    );
    expect(slide!.chrome!.footer).toBe('Meetup · <strong>2026</strong> &lt;img src=x onerror=alert(1)&gt;');
  });

  it('divides at headings with headingDivider', () => {
    expect(titles('---\nmarp: true\nheadingDivider: 2\n---\n\n# A\n\ntext\n\n## B\n\n### not C\n\n## D\n')).toEqual([
      'A',
      'B',
      'D',
    ]);
  });
});

describe('front matter of other tools', () => {
  it('maps what it can, warns about what it drops, and names an unknown key with a suggestion', () => {
    const deck = modelOf(
      '---\ntitle: T\ntheme: black\nhighlightTheme: monokai\nrevealOptions:\n  transition: fade\n  controls: false\n  width: 960\n---\n\n# A\n',
    );
    expect(deck.options).toMatchObject({ template: 'keynote', transition: 'fade', reveal: { controls: false } });
    expect(deck.warnings.filter((w) => w.code === 'OPTION_IGNORED').map((w) => [w.pos.line, w.message])).toEqual([
      [4, '"highlightTheme" is ignored: code is highlighted in the template\'s colours'],
      [8, '"width" is ignored: slides are 16:9 (1280×720) or 4:3: set `aspect:`'],
    ]);
    expect(modelOf('---\ntitel: T\n---\n\n## A\n').warnings.find((w) => w.code === 'OPTION_IGNORED')).toMatchObject({
      message: 'unknown option "titel" is ignored (did you mean "title"?)',
      pos: { line: 2, column: 1 },
    });
  });
});

describe('no silent damage', () => {
  it('ends a fence never closed at the next slide break, with a warning at its line', () => {
    const deck = modelOf('## A\n\n```bash\n# a comment, not a heading\necho hi\n\n## B\n\nText\n');
    expect(titles('## A\n\n```bash\n# a comment, not a heading\necho hi\n\n## B\n\nText\n')).toEqual(['A', 'B']);
    expect(deck.warnings.find((w) => w.code === 'FENCE_UNCLOSED')?.pos.line).toBe(3);
  });

  it('keeps a raw <section> from becoming a slide of its own, with a warning', () => {
    const deck = modelOf(
      '---\nrevealOptions: {}\n---\n<section data-background-color="#222">\n\n## Wrapped\n\n</section>\n---\n## Two\n\nintro\n\n<section>\n\n### a box\n\n</section>\n',
    );
    const [wrapped, two] = slidesOf(deck);
    expect(deck.slideCount).toBe(2);
    expect(wrapped!.attributes['data-background-color']).toBe('#222');
    expect(two!.body).not.toContain('<section');
    expect(two!.body).toContain('<div>');
    expect(deck.warnings.filter((w) => w.code === 'SECTION_UNWRAPPED')).toHaveLength(2);
  });
});

describe('Slidev', () => {
  it('reads per-slide front matter, layouts, slots, clicks and notes as Slidev does', () => {
    const deck = modelOf(
      '---\nhighlighter: shiki\nlayout: cover\n---\n\n# Cover\n\n---\nlayout: two-cols\nclass: tight\n---\n\n## Left\n\n::right::\n\n## Right\n\n---\n\n## Steps\n\n<v-clicks>\n\n- one\n- two\n\n</v-clicks>\n\n<!--\n[click] first\n-->\n',
      {},
      'slides.md',
    );
    expect(deck.dialect?.dialect).toBe('slidev');
    const [cover, cols, steps] = slidesOf(deck);
    expect(deck.slideCount).toBe(3);
    expect(cover!.layout).toBe('statement');
    expect(cols!.layout).toBe('two-column');
    expect(cols!.columns.length).toBe(2);
    expect(cols!.attributes.class).toContain('tight');
    expect(steps!.fragments).toBe(2);
    expect(steps!.notes).toContain('first');
    expect(steps!.notes).not.toContain('[click]');
    expect(JSON.stringify(deck.stacks)).not.toMatch(/::right::|v-click|layout: two-cols/);
  });

  it('warns once per ignored key and falls back from a layout of its own theme', () => {
    const deck = modelOf(
      '---\ninfo: x\ndrawings:\n  persist: false\n---\n\n# A\n\n---\nlayout: fancy\nzap: 1\n---\n\n## B\n',
    );
    const messages = deck.warnings.filter((w) => w.code === 'OPTION_IGNORED').map((w) => w.message);
    expect(messages).toContain('"info" is ignored: Slidev reads it, Lectern does not');
    expect(messages.some((m) => m.includes('Slidev layout "fancy"'))).toBe(true);
    expect(messages.filter((m) => m.includes('"zap"')).length).toBe(1);
    expect(deck.slideCount).toBe(2);
  });
});
