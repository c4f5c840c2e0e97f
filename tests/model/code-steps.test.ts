import { describe, expect, it } from 'vitest';
import { parseCodeSteps, splitHighlightedLines } from '../../src/model/code-steps.js';
import { modelOf, slidesOf } from '../helpers/deck.js';

describe('code line steps', () => {
  it('read the forms of reveal.js, Slidev and Quarto, and leave plain info strings alone', () => {
    expect(parseCodeSteps('js [1|2-3|5]')).toMatchObject({ language: 'js', steps: [[1], [2, 3], [5]], start: 1 });
    expect(parseCodeSteps('py [10: 1,3|2]')).toMatchObject({ language: 'py', steps: [[1, 3], [2]], start: 10 });
    expect(parseCodeSteps('js []')).toMatchObject({ steps: [[]] });
    expect(parseCodeSteps('ts {2,3|5|all}')).toMatchObject({ language: 'ts', steps: [[2, 3], [5], []] });
    expect(parseCodeSteps('{.python code-line-numbers="1|3-4"}')).toMatchObject({
      language: 'python',
      steps: [[1], [3, 4]],
    });
    expect(parseCodeSteps('js')).toBeNull();
    expect(parseCodeSteps('')).toBeNull();
    expect(parseCodeSteps('js title="x"')).toBeNull();
  });

  it('split highlighted HTML into whole lines, spans that cross a line closed and opened again', () => {
    const lines = splitHighlightedLines('<span class="c">/* a\nb */</span> x\ny\n');
    expect(lines).toEqual(['<span class="c">/* a</span>', '<span class="c">b */</span> x', 'y']);
  });

  it('become one block per step, the later ones fragments, with numbered lines and the lit ones marked', () => {
    const deck = modelOf('## Code\n\n```js [1|2-3]\nconst a = 1;\nconst b = 2;\nconst c = 3;\n```\n');
    const [slide] = slidesOf(deck);
    const codes = [...slide!.body.matchAll(/<code class="([^"]*)">([\s\S]*?)<\/code>/g)];
    expect(codes.map((c) => c[1])).toEqual([
      'hljs language-js code-step has-highlights',
      'hljs language-js code-step has-highlights fragment',
    ]);
    const lit = codes.map((c) =>
      [...c[2]!.matchAll(/<span class="line( highlight-line)?"><span class="ln">(\d+)<\/span>/g)]
        .filter((m) => m[1])
        .map((m) => Number(m[2])),
    );
    expect(lit).toEqual([[1], [2, 3]]);
    expect(slide!.fragments).toBe(1);
    expect(slide!.layout).toBe('code');
    expect(deck.warnings).toEqual([]);
  });

  it('warn about a line the block does not have, at the step list', () => {
    const deck = modelOf('## Code\n\n```py [1|7,9]\nprint(1)\nprint(2)\n```\n');
    expect(deck.warnings.map((w) => [w.code, w.pos?.line, w.pos?.column, w.message])).toEqual([
      ['CODE_STEP_RANGE', 3, 7, 'the line steps name lines 7, 9 of a 2-line code block'],
    ]);
  });

  it('leave a plain code block as it was', () => {
    const [slide] = slidesOf(modelOf('## Code\n\n```js\nconst a = 1;\n```\n'));
    expect(slide!.body).toContain(
      '<pre data-line="3"><code class="hljs language-js"><span class="hljs-keyword">const</span>',
    );
    expect(slide!.body).not.toContain('code-step');
  });

  it('step reveal.js’s HTML form too: <pre><code data-line-numbers>, with its start line', () => {
    const deck = modelOf(
      '---\nhtml: unsafe\n---\n\n## Code\n\n<pre><code class="language-js" data-line-numbers="1|2" data-ln-start-from="5">const a = 1;\nconst b = 2;\n</code></pre>\n',
    );
    const [slide] = slidesOf(deck);
    expect(slide!.body.match(/<code class="hljs language-js code-step/g)?.length).toBe(2);
    expect(slide!.body).toContain(
      '<span class="line highlight-line"><span class="ln">5</span><span class="hljs-keyword">const</span>',
    );
    expect(slide!.fragments).toBe(1);
    // In safe mode too: the attributes are data-*, the elements Markdown's own.
    const [safe] = slidesOf(modelOf('## Code\n\n<pre><code data-line-numbers="2">a\nb\n</code></pre>\n'));
    expect(safe!.body).toContain('<span class="line highlight-line"><span class="ln">2</span>b</span>');
  });
});
