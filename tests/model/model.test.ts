import { describe, expect, it } from 'vitest';
import { errorOf, modelOf, slidesOf } from '../helpers/deck.js';

describe('deck model', () => {
  it('adds a title slide from front matter and stacks section slides vertically', () => {
    const deck = modelOf('---\ntitle: T\nsubtitle: S\n---\n\n# Part\n\n## One\n\n## Two\n\n# Next\n\n## Three\n');
    expect(deck.meta).toMatchObject({ title: 'T', subtitle: 'S', lang: 'en' });
    expect(deck.stacks.map((s) => s.slides.map((x) => x.layout))).toEqual([
      ['title'],
      ['section', 'bullets', 'bullets'],
      ['section', 'bullets'],
    ]);
    expect(deck.slideCount).toBe(6);
    expect(slidesOf(deck).map((s) => [s.h, s.v])).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [1, 2],
      [2, 0],
      [2, 1],
    ]);
  });

  it('lays sections out horizontally when verticalSections is false', () => {
    const deck = modelOf('---\nverticalSections: false\n---\n# Part\n## One\n## Two\n');
    expect(deck.stacks.map((s) => s.slides.length)).toEqual([1, 1, 1]);
  });

  it('keeps --- horizontal and ---- vertical, as reveal-md decks expect', () => {
    const deck = modelOf('Intro\n\n---\n\nA\n\n----\n\nA.1\n\n---\n\nB\n');
    expect(deck.stacks.map((s) => s.slides.length)).toEqual([1, 2, 1]);
  });

  it('takes the heading as the slide title, HTML-escaped, and keeps {{ }} literally', () => {
    const [slide] = slidesOf(modelOf('## Use `{{ name }}` & <b>more</b>\n\nBody {{ x }}\n'));
    expect(slide!.title).toBe('Use <code>{{ name }}</code> &amp; <b>more</b>');
    // The text the slide shows, for bookmarks and the index: not the Markdown it was written in.
    expect(slide!.titleText).toBe('Use {{ name }} & more');
    expect(slide!.body).toContain('<p data-line="3">Body {{ x }}</p>');
  });

  it('names a slide by the text its heading shows: escapes undone, entities decoded, removed HTML gone', () => {
    const titles = slidesOf(
      modelOf(
        '## \\) <b>bold</b> &lt;tag&gt; &amp;amp;\n\nA\n\n## Bullets </script><script>alert(1)</script>\n\nB\n\n## Line<br>break\n\nC\n',
      ),
    ).map((s) => s.titleText);
    expect(titles).toEqual([') bold <tag> &amp;', 'Bullets', 'Line break']);
  });

  it('turns + lists into fragments and counts .element fragments', () => {
    const [slide] = slidesOf(modelOf('## F\n\n+ a\n+ b\n\n- c\n\nText <!-- .element: class="fragment" -->\n'));
    expect(slide!.body).toContain('<li data-line="3" class="fragment">a</li>');
    expect(slide!.body).toContain('<li data-line="4" class="fragment">b</li>');
    expect(slide!.body).toContain('<li data-line="6">c</li>');
    expect(slide!.body).toContain('<p data-line="8" class="fragment">Text </p>');
    expect(slide!.fragments).toBe(3);
  });

  it('applies .slide comments to the slide, and .element to the element before it', () => {
    const [slide] = slidesOf(
      modelOf(
        '## S\n<!-- .slide: data-background-color="#123456" class="wide" -->\n\n![pic](a.png) <!-- .element: width="50%" class="framed" -->\n',
      ),
    );
    expect(slide!.attributes).toEqual({ 'data-background-color': '#123456', class: 'wide' });
    expect(slide!.body).toContain('<img src="a.png" alt="pic" width="50%" class="framed">');
  });

  it('collects speaker notes as HTML', () => {
    const [slide] = slidesOf(modelOf('## N\n\nbody\n\nNote: say **this**\n'));
    expect(slide!.notes).toBe('<p data-line="5">say <strong>this</strong></p>');
    expect(slide!.body).not.toContain('say');
  });

  it('infers layouts from the body', () => {
    const layouts = slidesOf(
      modelOf(
        '## Q\n\n> quoted\n\n## I\n\n![x](x.png)\n\n## C\n\n```js\nx()\n```\n\n## B\n\n- a\n\n## Two\n\nl\n<!-- column -->\nr\n\n## Chosen\n<!-- layout: statement -->\nBig\n',
      ),
    ).map((s) => s.layout);
    expect(layouts).toEqual(['quote', 'image', 'code', 'bullets', 'two-column', 'statement']);
  });

  it('highlights code at build time', () => {
    const [slide] = slidesOf(modelOf('## C\n\n```js\nconst a = 1;\n```\n'));
    expect(slide!.body).toContain('<span class="hljs-keyword">const</span>');
    expect(slide!.body).toContain('class="hljs language-js"');
  });

  it('refuses an unknown layout at its line and column, listing the layouts', () => {
    const err = errorOf(() => modelOf('---\ntitle: x\n---\n## A\n\n  <!-- layout: three-col -->\n'));
    expect(err).toMatchObject({ code: 'LAYOUT_UNKNOWN', pos: { file: 'deck.md', line: 6, column: 3 } });
    expect(err.hint).toContain('two-column');
  });

  it('keeps source lines after front matter and with CRLF', () => {
    const deck = modelOf('---\r\ntitle: x\r\n---\r\n\r\n## A\r\n\r\n## B\r\n');
    expect(slidesOf(deck).map((s) => s.pos.line)).toEqual([1, 5, 7]);
  });
});

describe('front matter validation', () => {
  it('drops an unknown key with a warning at its line, and suggests the key meant', () => {
    const deck = modelOf('---\ntitle: x\ncolour: dark\ntemplat: keynote\n---\n## A\n');
    const ignored = deck.warnings.filter((w) => w.code === 'OPTION_IGNORED');
    expect(ignored.map((w) => [w.pos.line, w.pos.column])).toEqual([
      [3, 1],
      [4, 1],
    ]);
    expect(ignored[0]!.message).toBe('unknown option "colour" is ignored');
    expect(ignored[1]!.message).toBe('unknown option "templat" is ignored (did you mean "template"?)');
    expect(deck.meta.title).toBe('x');
  });

  it('drops only the unknown Reveal option, keeping the others beside it', () => {
    const deck = modelOf('---\nreveal:\n  controls: false\n  wobble: 1\n---\n## A\n');
    const w = deck.warnings.find((x) => x.code === 'OPTION_IGNORED')!;
    expect(w.pos).toMatchObject({ line: 4, column: 3 });
    expect(w.message).toContain('reveal.wobble');
    expect(deck.options.reveal).toEqual({ controls: false });
  });

  it('drops a wrong value with a warning at its line; the default stays', () => {
    const deck = modelOf('---\ntitle: x\naspect: 21:9\n---\n## A\n');
    const w = deck.warnings.find((x) => x.code === 'OPTION_IGNORED')!;
    expect(w.pos).toMatchObject({ line: 3, column: 9 });
    expect(w.message).toMatch(/^option "aspect" is ignored: /);
    expect(deck.options.aspect).toBe('16:9');
  });

  it('names the tool that reads a key Lectern does not use', () => {
    const deck = modelOf('---\ntitle: x\ncategories: [a]\nhighlighter: shiki\n---\n## A\n');
    const messages = deck.warnings.filter((w) => w.code === 'OPTION_IGNORED').map((w) => w.message);
    expect(messages).toContain('"categories" is ignored: Quarto reads it, Lectern does not');
  });

  it('reads a value strict YAML refuses as text, as Marp and Slidev do', () => {
    const deck = modelOf('---\ntitle: talk by @someone\nauthor: @handle\n---\n## A\n');
    expect(deck.meta.author).toBe('@handle');
    const loose = deck.warnings.filter((w) => w.code === 'FRONT_MATTER_LOOSE');
    expect(loose.map((w) => w.pos.line)).toEqual([3]);
  });

  it('reports YAML syntax errors at their line', () => {
    const err = errorOf(() => modelOf('---\ntitle: "open\nlang: en\n---\n## A\n'));
    expect(err.code).toBe('FRONT_MATTER_SYNTAX');
    expect(err.pos?.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses custom YAML tags instead of running them', () => {
    const err = errorOf(() => modelOf('---\ntitle: !!js/function "function(){}"\n---\n## A\n'));
    expect(err).toMatchObject({ code: 'FRONT_MATTER_CODE', pos: { line: 2 } });
  });

  it('refuses a list as front matter', () => {
    expect(errorOf(() => modelOf('---\n- a\n---\n## A\n'))).toMatchObject({
      code: 'FRONT_MATTER_INVALID',
      pos: { line: 2 },
    });
  });

  it('lets flags override front matter', () => {
    const deck = modelOf('---\naspect: "4:3"\nhtml: safe\n---\n## A\n', { html: 'unsafe' });
    expect(deck.options).toMatchObject({ aspect: '4:3', html: 'unsafe' });
    expect([deck.width, deck.height]).toEqual([1024, 768]);
  });
});

describe('HTML sanitising', () => {
  it('removes scripts, handlers and javascript: URLs with a warning at the line', () => {
    const deck = modelOf(
      '## H\n\nok\n\n<div onclick="x()" class="box">in<script>alert(1)</script></div>\n\n[bad](javascript:alert(1))\n',
    );
    const [slide] = slidesOf(deck);
    expect(slide!.body).toContain('<div class="box">in</div>');
    expect(slide!.body).not.toMatch(/script|onclick|javascript/);
    expect(deck.warnings.map((w) => [w.code, w.pos.line, w.message])).toEqual([
      ['HTML_REMOVED', 5, 'removed onclick on <div> (event handler)'],
      ['HTML_REMOVED', 5, 'removed <script> (element not allowed)'],
      ['HTML_REMOVED', 7, 'removed link to "javascript:alert(1)" (unsafe URL)'],
    ]);
  });

  it('keeps layout HTML with class, style and data attributes', () => {
    const [slide] = slidesOf(
      modelOf(
        '## L\n\n<figure class="f" style="width:50%" data-x="1"><img src="a.png" alt="a"><figcaption>c</figcaption></figure>\n',
      ),
    );
    expect(slide!.body).toContain(
      '<figure class="f" style="width:50%" data-x="1"><img src="a.png" alt="a"><figcaption>c</figcaption></figure>',
    );
  });

  it('drops styles that load from the network', () => {
    const deck = modelOf('## L\n\n<div style="background:url(https://x.test/a.png)">x</div>\n');
    expect(slidesOf(deck)[0]!.body).toContain('<div>x</div>');
    expect(deck.warnings).toHaveLength(1);
  });

  it('lets everything through with html: unsafe', () => {
    const deck = modelOf('---\nhtml: unsafe\n---\n## H\n\n<script>go()</script>\n');
    expect(slidesOf(deck)[0]!.body).toContain('<script>go()</script>');
    expect(deck.warnings).toEqual([]);
  });
});

describe('asset references', () => {
  it('finds Markdown images, <img> and background images with their lines', () => {
    const deck = modelOf(
      '## A\n<!-- .slide: data-background-image="bg.jpg" -->\n\n![a](img/a.png)\n\n<img src="b.png" alt="b">\n',
    );
    expect(deck.assets.map((a) => [a.url, a.pos.line])).toEqual([
      ['bg.jpg', 2],
      ['img/a.png', 4],
      ['b.png', 6],
    ]);
  });
});

describe('templates with fewer layouts', () => {
  it('falls back to bullets when the template lacks an inferred layout', async () => {
    const { mergeDeckOptions } = await import('../../src/config/schema.js');
    const { buildModel } = await import('../../src/model/build-model.js');
    const { lexOutline, parseOutline } = await import('../../src/outline/parse-outline.js');
    const outline = parseOutline('## Q\n\n> only a quote\n', 'd.md');
    const options = mergeDeckOptions(outline.frontMatter);
    const deck = buildModel({
      name: 'd',
      file: 'd.md',
      options,
      slides: lexOutline(outline, options).slides,
      layouts: ['bullets'],
    });
    expect(deck.stacks[0]!.slides[0]!.layout).toBe('bullets');
  });
});

describe('element comments and the sanitiser', () => {
  it('keeps per-element attributes from .element comments without a false warning', () => {
    const deck = modelOf('## E\n\n![a](a.png) <!-- .element: width="40%" onclick="x()" -->\n');
    expect(slidesOf(deck)[0]!.body).toContain('<img src="a.png" alt="a" width="40%">');
    expect(deck.warnings.map((w) => w.message)).toEqual(['removed onclick on <element> (event handler)']);
  });
});
