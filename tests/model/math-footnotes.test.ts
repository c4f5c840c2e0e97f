import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Token } from 'marked';
import { describe, expect, it } from 'vitest';
import { needs } from '../helpers/skips.js';
import { mathFontFiles } from '../../src/assets/math-fonts.js';
import type { MathToken } from '../../src/outline/extensions.js';
import { lexSegment, walkTokens } from '../../src/outline/lex.js';
import { modelOf, slidesOf } from '../helpers/deck.js';

const hasPandoc = needs(
  spawnSync('sh', ['-c', 'command -v pandoc'], { stdio: 'ignore' }).status === 0,
  'math and footnotes against Pandoc',
  'pandoc is not installed (Debian: apt-get install pandoc)',
);

/** Lines as speakers write them, prices and code among the formulas. */
const corpus = [
  '$E=mc^2$',
  'Costs $5 and $10.',
  'From $5 to $10 and x$ y',
  'a $x$5 b',
  '$ x$ is not, and $x $ is not',
  '$$\\sum_i i$$ as display in a line',
  'price \\$5 and \\$x$ y',
  '`$x$` in code, and $y$ out of it',
  'two $a$$b$ side by side',
  'emphasis *$a*b$* around',
  '$x_1$ and $x_2$, $x_{12}$',
  '$a\\$b$ with an escaped dollar inside',
  '$a\nb$ over two lines',
  '$100 and $200 prices',
  'US$ 5 and $a$',
  '$\\frac{a}{b}$, $\\sqrt{2}$.',
  '($x$) in brackets',
  '$-1$ and $+1$',
  '\\(x^2\\) and \\[y^2\\]',
  'The $$\n\\int_0^1 f\n$$ inside',
  'a $ lone dollar',
  '**$\\alpha$** bold',
  '[$x$](#/2) in a link',
];

/** The math of each paragraph, as `I:tex` or `D:tex`, from Lectern's lexer. */
function lecternMath(markdown: string): string[][] {
  const tokens = lexSegment({ text: markdown, line: 1 }) as Token[];
  return (
    tokens
      // A `$$` block of its own is a paragraph of display math to Pandoc.
      .filter((t) => t.type === 'paragraph' || t.type === 'math')
      .map((paragraph) => {
        const found: string[] = [];
        walkTokens([paragraph], (t) => {
          if (t.type === 'math') {
            const m = t as unknown as MathToken;
            found.push(`${m.display ? 'D' : 'I'}:${m.text.replace(/\s+/g, ' ').trim()}`);
          }
        });
        return found;
      })
  );
}

/** The same from Pandoc itself (`$` rules, plus `\(…\)` and `\[…\]`). */
function pandocMath(markdown: string): string[][] {
  const run = spawnSync('pandoc', ['-f', 'markdown+tex_math_single_backslash', '-t', 'html', '--mathjax'], {
    input: markdown,
    encoding: 'utf8',
  });
  const decode = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  return [...run.stdout.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((p) =>
    [...p[1]!.matchAll(/<span\s+class="math (inline|display)">\\[([]([\s\S]*?)\\[)\]]<\/span>/g)].map(
      (m) => `${m[1] === 'display' ? 'D' : 'I'}:${decode(m[2]!).replace(/\s+/g, ' ').trim()}`,
    ),
  );
}

describe('math delimiters', () => {
  it.skipIf(!hasPandoc)('are found where Pandoc finds them, line by line of a corpus', () => {
    const markdown = corpus.join('\n\n');
    const mine = lecternMath(markdown);
    const theirs = pandocMath(markdown);
    expect(theirs.length).toBe(corpus.length);
    expect(mine.length).toBe(corpus.length);
    const differ = corpus
      .map((line, i) => ({ line, mine: mine[i], theirs: theirs[i] }))
      .filter((row) => JSON.stringify(row.mine) !== JSON.stringify(row.theirs));
    expect(differ).toEqual([]);
    // The corpus holds math and text both: the comparison is about something.
    expect(theirs.flat().length).toBeGreaterThan(20);
    expect(theirs.filter((p) => p.length === 0).length).toBeGreaterThan(3);
  });

  it('are no math in code, and a $$ block on its own lines reads no Markdown inside', () => {
    expect(lecternMath('Text `$x$` and\n\n```\n$y$\n```\n')).toEqual([[]]);
    const tokens = lexSegment({ text: '$$\n\\begin{aligned}\na &= b \\\\\n- c &= d\n\\end{aligned}\n$$\n', line: 1 });
    expect(tokens.map((t) => t.type)).toEqual(['math']);
    expect((tokens[0] as unknown as MathToken).text).toContain('- c &= d');
  });
});

describe('math in the model', () => {
  it('sets TeX at build time into KaTeX HTML and MathML, in titles, bodies and notes', () => {
    const deck = modelOf('## Energy $E=mc^2$\n\n- Sum $\\sum_i x_i$\n\n$$\\frac{a}{b}$$\n\nNote: say $y$\n');
    const [slide] = slidesOf(deck);
    expect(slide!.title).toContain('<span class="katex">');
    expect(slide!.title).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML">');
    expect(slide!.titleText).toBe('Energy E=mc^2');
    expect(slide!.body.match(/class="katex"/g)?.length).toBe(2);
    expect(slide!.body).toContain('class="katex-display"');
    expect(slide!.body).toContain('<annotation encoding="application/x-tex">\\frac{a}{b}</annotation>');
    expect(slide!.notes).toContain('<annotation encoding="application/x-tex">y</annotation>');
    expect(deck.mathClasses).toContain('mathnormal');
    expect(deck.warnings).toEqual([]);
  });

  it('reports TeX that does not parse at its line and column with KaTeX’s message, and shows the source', () => {
    const deck = modelOf('## Broken\n\nFirst $\\frac{1}{$ then\n\n$$\n\\foo{x}\n$$\n');
    const found = deck.warnings.filter((w) => w.code === 'MATH_ERROR');
    expect(found.map((w) => [w.pos?.line, w.pos?.column])).toEqual([
      [3, 17],
      [6, 1],
    ]);
    expect(found[0]!.message).toMatch(/does not parse: Unexpected end of input/);
    expect(found[1]!.message).toContain('Undefined control sequence: \\foo');
    const [slide] = slidesOf(deck);
    expect(slide!.body).toContain('<code class="math-error">$\\frac{1}{$</code>');
    expect(slide!.body).toContain('\\foo{x}');
  });

  it('runs no script and loads nothing from TeX: \\href, \\url and \\includegraphics stay off', () => {
    const deck = modelOf(
      '## T\n\n$\\href{javascript:alert(1)}{x}$ and $\\url{http://127.0.0.1:9/x}$ and $\\includegraphics{http://127.0.0.1:9/a.png}$\n\n$\\htmlId{a}{x}$\n',
    );
    const [slide] = slidesOf(deck);
    expect(slide!.body).not.toMatch(/<a[\s>]|<img[\s>]|\shref=|\ssrc=|\sid="a"/);
    expect(deck.warnings.filter((w) => w.code === 'MATH_ERROR').map((w) => [w.pos?.line, w.message])).toEqual([
      [3, expect.stringMatching(/^\\href is turned off/)],
      [3, expect.stringMatching(/^\\url is turned off/)],
      [3, expect.stringMatching(/^\\includegraphics is turned off/)],
      [5, expect.stringMatching(/^\\htmlId is turned off/)],
    ]);
  });

  it('does not let a deck smuggle raw HTML through the pieces of set math', () => {
    const deck = modelOf('## T\n\n<span data-lectern-piece="0"></span> <script>alert(1)</script> $x$\n');
    const [slide] = slidesOf(deck);
    expect(slide!.body).not.toContain('<script');
    // The deck's own span asks for nothing: one formula, once.
    expect(slide!.body.match(/class="katex"/g)?.length).toBe(1);
    expect(slide!.body).toContain('<span data-lectern-piece="0"></span>');
  });

  it('keeps a formula a comment makes a fragment, and refuses macro definitions and overlong TeX', () => {
    const deck = modelOf(
      `## T\n\n$x$<!-- .element: class="fragment" -->\n\n$\\def\\a{xxxx}\\a\\a$\n\n$${'x'.repeat(4100)}$\n`,
    );
    const [slide] = slidesOf(deck);
    expect(slide!.body).toMatch(/<span class="fragment"><span class="katex">/);
    expect(slide!.fragments).toBe(1);
    expect(deck.warnings.map((w) => w.message)).toEqual([
      'this TeX does not parse: \\def is turned off: a formula defines no macro',
      'this TeX does not parse: the formula is longer than 4000 characters',
    ]);
  });

  it('ships only the KaTeX fonts the formulas use', () => {
    const dir = join(dirname(createRequire(import.meta.url).resolve('katex/package.json')), 'dist');
    const css = readFileSync(join(dir, 'katex.min.css'), 'utf8');
    const fontsOf = (markdown: string) => mathFontFiles(css, modelOf(markdown).mathClasses ?? []);
    expect(fontsOf('## A\n\n$E=mc^2$\n')).toEqual(['fonts/KaTeX_Main-Regular.woff2', 'fonts/KaTeX_Math-Italic.woff2']);
    const rich = fontsOf('## A\n\n$\\mathfrak{g}$ $\\mathbb{R}$ $\\mathbf{v}$ $$\\sum_i i$$\n');
    expect(rich).toEqual(
      expect.arrayContaining([
        'fonts/KaTeX_Fraktur-Regular.woff2',
        'fonts/KaTeX_AMS-Regular.woff2',
        'fonts/KaTeX_Main-Bold.woff2',
        'fonts/KaTeX_Size2-Regular.woff2',
      ]),
    );
    expect(rich).not.toContain('fonts/KaTeX_Script-Regular.woff2');
    expect(modelOf('## A\n\nNo math, $5 and $10.\n').mathClasses).toBeUndefined();
  });
});

describe('footnotes', () => {
  it('are numbered per slide in the order referred to, at the foot, linked both ways', () => {
    const deck = modelOf(
      '## One\n\nFirst[^b] then[^a] and again[^b].\n\n[^a]: Note A with *emphasis*.\n[^b]: Note B.\n\n## Two\n\nOther[^a].\n\n[^a]: Another A.\n',
    );
    const [one, two] = slidesOf(deck);
    const refs = [...one!.body.matchAll(/<a href="#(s\d+-fn-\d)"( id="(s\d+-ref-\d)")?>(\d)<\/a>/g)];
    expect(refs.map((m) => m[4])).toEqual(['1', '2', '1']);
    expect(refs.filter((m) => m[3]).length).toBe(2);
    expect(one!.footnotes).toMatch(
      /^<ol class="footnotes-list"><li id="s1-fn-1"><p data-line="6">Note B\. <a href="#s1-ref-1" class="footnote-back"/,
    );
    expect(one!.footnotes).toContain('<li id="s1-fn-2"><p data-line="5">Note A with <em>emphasis</em>.');
    // The definitions themselves are not in the body, and the next slide numbers its own.
    expect(one!.body).not.toContain('Note A');
    expect(two!.footnotes).toContain('id="s8-fn-1"><p data-line="12">Another A.');
    expect(two!.body).toContain('href="#s8-fn-1"');
    expect(deck.warnings).toEqual([]);
  });

  it('takes a note defined on another slide, as a document does, and shows it where it is referred to', () => {
    const deck = modelOf(
      '## One\n\nWeights[^w] and code[^c].\n\n## Two\n\nNothing here.\n\n[^w]: Published.\n[^c]: Licensed.\n',
    );
    const [one, two] = slidesOf(deck);
    expect(deck.warnings).toEqual([]);
    expect(one!.footnotes).toContain('<li id="s1-fn-1"><p data-line="9">Published.');
    expect(one!.footnotes).toContain('<li id="s1-fn-2"><p data-line="10">Licensed.');
    expect(two!.footnotes).toBeUndefined();
    expect(two!.body).not.toContain('Published');
  });

  it('warns about a reference without its note, at its column, and shows it as written', () => {
    const deck = modelOf('## One\n\nSee this[^gone].\n');
    expect(deck.warnings.map((w) => [w.code, w.pos?.line, w.pos?.column])).toEqual([['FOOTNOTE_MISSING', 3, 9]]);
    expect(slidesOf(deck)[0]!.body).toContain('See this[^gone].');
    expect(slidesOf(deck)[0]!.footnotes).toBeUndefined();
  });

  it('leave a deck without footnotes or math exactly as it was: no footnotes field, no math', () => {
    const deck = modelOf('## One\n\n- [link](#/1) and [x][y]\n\n[y]: #/2\n');
    const [slide] = slidesOf(deck);
    expect(slide!.footnotes).toBeUndefined();
    expect(slide!.body).toContain('<a href="#/2">x</a>');
  });
});
