import { describe, expect, it } from 'vitest';
import { modelOf } from '../helpers/deck.js';
import { makeProject } from '../helpers/fs.js';
import { runLectern } from './invariants.js';

/**
 * Every stage is near-linear in its input: each pathological input is modelled at two sizes,
 * n and 4n, interleaved, and the fastest times compared in the same run, per character. Linear
 * work grows as the text does; quadratic work four times faster. Quadrupling, not doubling,
 * leaves a factor of two either side for the noise of a shared machine. No absolute time is
 * asserted.
 */
const shapes: [string, number, (n: number) => string][] = [
  [
    'link reference definitions',
    5000,
    (n) => `## A\n\n${Array.from({ length: n }, (_, i) => `[r${i}]: /x${i}`).join('\n')}\n\n[r1] [r2]`,
  ],
  ['short paragraphs', 2500, (n) => `## A\n\n${Array.from({ length: n }, (_, i) => `p ${i}`).join('\n\n')}`],
  ['HTML tags in one block', 5000, (n) => `## A\n\n<div>\n${'<span>x</span>\n'.repeat(n)}</div>`],
  ['slides', 1000, (n) => Array.from({ length: n }, (_, i) => `## S${i}\n\ntext ${i}`).join('\n\n')],
  ['list items', 2500, (n) => `## A\n\n${Array.from({ length: n }, (_, i) => `- item *${i}*`).join('\n')}`],
  [
    'paragraphs of emphasis just under the limit',
    25,
    (n) => `## A\n\n${Array.from({ length: n }, () => '*a'.repeat(450)).join('\n\n')}`,
  ],
  [
    'table rows',
    2500,
    (n) => `## A\n\n| a | b |\n|---|---|\n${Array.from({ length: n }, (_, i) => `| ${i} | *x* |`).join('\n')}`,
  ],
  [
    'lines of emphasis in one paragraph (refused)',
    1000,
    (n) => `## A\n\n${Array.from({ length: n }, () => '*a'.repeat(499)).join('\n')}`,
  ],
  ['removed elements in one block', 2500, (n) => `## A\n\n<div>\n${'<script>x</script>\n'.repeat(n)}</div>`],
  ['comments in one block', 2500, (n) => `## A\n\n<div>\n${'<!-- c -->\n'.repeat(n)}</div>`],
  ['unwrapped elements in one block', 2500, (n) => `## A\n\n<div>\n${'<font>x</font>\n'.repeat(n)}</div>`],
  ['quotes with lazy continuation lines (refused past 1,000 lines)', 50_000, (n) => `## A\n\n${'> a\nb\n'.repeat(n)}`],
  [
    'notes inside notes',
    500,
    (n) =>
      `## A\n\n<div data-notes="${Array.from({ length: n }, (_, d) => `&lt;b data-notes=&quot;${'&amp;'.repeat(d % 5)}x&quot;&gt;y&lt;/b&gt;`).join('')}">z</div>`,
  ],
  ['unclosed links', 5000, (n) => `## A\n\n${'[a]('.repeat(n)}`],
  // The other tools' dialects.
  [
    'Pandoc divs, spans, pauses and notes',
    750,
    (n) =>
      `% T\n\n## A {.x}\n\n${'::: {.box}\ntext [w]{.alert} ![i](i.png){width=5%}\n\n. . .\n\n::: notes\nsay\n:::\n:::\n\n'.repeat(n)}`,
  ],
  ['Pandoc slides and sections', 750, (n) => `% T\n\n${'# S\n\n## A\n\ntext\n\n---\n\nmore\n\n'.repeat(n)}`],
  [
    'Marp slides, directives and notes',
    750,
    (n) => `---\nmarp: true\n---\n\n${'<!-- _class: lead -->\n<!-- a note -->\n# A\n\n* one\n\n---\n\n'.repeat(n)}`,
  ],
  [
    'reveal-md separators and notes',
    1250,
    (n) => `---\nrevealOptions: {}\n---\n${'# A\ntext\nNote: say\n---\nb\n----\n'.repeat(n)}`,
  ],
  ['a deck read as Marp with comments never closed', 5000, (n) => `---\nmarp: true\n---\n# A\n${'<!--\n'.repeat(n)}`],
  [
    'a reveal-md slide of notes asides never closed',
    5000,
    (n) => `---\nrevealOptions: {}\n---\n# A\n${'<aside class="notes">x\n'.repeat(n)}`,
  ],
  ['a reveal-md slide of notes markers', 5000, (n) => `# A\n---\n## B\n${'Note: x\n'.repeat(n)}`],
  [
    'image and span openers on one Pandoc line',
    10_000,
    (n) => `% T\n\n## A\n\n${'!['.repeat(n)}{x} ${'[a'.repeat(n)}]{.b}\n`,
  ],
  ['attribute braces on a Pandoc heading', 5000, (n) => `% T\n\n## A${' {'.repeat(n)} {.x}\n`],
  ['one long comment line, dialect unknown', 2000, (n) => `## A\n\n<!--${'a'.repeat(n)}\n`],
  // The Markdown Lectern reads beyond GFM: footnotes, math, emoji, none of them closed.
  ['footnote openers never closed', 10_000, (n) => `## A\n\n${'[^'.repeat(n)}\n`],
  ['footnote labels never closed', 5000, (n) => `## A\n\n${'[^a'.repeat(n)}\n`],
  ['math openers \\( never closed', 5000, (n) => `## A\n\n${'\\('.repeat(n)}\n`],
  ['math openers \\[ never closed, with emphasis', 2500, (n) => `## A\n\n${'\\[*'.repeat(n)}\n`],
  ['dollars and colons', 5000, (n) => `## A\n\n${'$a :b '.repeat(n)}\n`],
  [
    'code fences never closed, longest first',
    100,
    (n) => `## A\n\n${Array.from({ length: n }, (_, i) => '`'.repeat(3 + n - i)).join('\n\n')}\n`,
  ],
];

/** CPU time, not wall time: other test files share the cores, and waiting for one is not work. */
function timeOnce(markdown: string): number {
  const started = process.cpuUsage();
  try {
    modelOf(markdown);
  } catch (err) {
    if (!(err as { code?: string }).code) throw err;
  }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('near-linear work on pathological input', () => {
  it.each(shapes)(
    '%s: four times the input takes well under sixteen times as long',
    (_name, n, make) => {
      const small = make(n);
      const large = make(4 * n);
      // Both sizes once before timing: the first run of each compiles code and regexes for it.
      timeOnce(small);
      timeOnce(large);
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < 3; i++) {
        a.push(timeOnce(small));
        b.push(timeOnce(large));
      }
      // The fastest of the interleaved runs, in CPU time: other test files share the two cores.
      // Below a few milliseconds timer noise dominates, and no size grows quadratically there.
      const timeRatio = Math.min(...b) / Math.max(Math.min(...a), 5);
      // Some shapes grow faster than n (fences of n lengths): the time is held to the text's growth.
      const growth = timeRatio / (large.length / small.length);
      expect(growth).toBeLessThan(2);
    },
    120_000,
  );
});

describe('bounded work through the real CLI', () => {
  it('thousands of slides with the same title: the build (content checks included) grows linearly', async () => {
    const time = async (n: number): Promise<number> => {
      const dir = makeProject({ 'decks/same.md': '## Same\n\nx\n\n'.repeat(n) });
      const run = await runLectern(['build', '--no-pdf', '-q'], dir);
      expect(run.code).toBe(0);
      return run.ms;
    };
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 3; i++) {
      a.push(await time(2_000));
      b.push(await time(4_000));
    }
    expect(median(b) / median(a)).toBeLessThan(3);
  }, 120_000);

  it('HTML nested in data-notes at any depth is an error or a model, never INTERNAL', async () => {
    let value = 'x';
    for (let d = 0; d < 700; d++)
      value = `<b data-notes="${value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}">y</b>`;
    const dir = makeProject({ 'decks/deep.md': `## A\n\n<div>${value}</div>\n` });
    const run = await runLectern(['build', '--no-pdf'], dir);
    expect(run.stderr).not.toContain('INTERNAL');
    expect([0, 1]).toContain(run.code);
  }, 60_000);

  it('320 lines of 499 emphasis pairs in one paragraph: an error at the line that crosses the limit', async () => {
    const dir = makeProject({
      'decks/e.md': `## A\n\n${Array.from({ length: 320 }, () => '*a'.repeat(499)).join('\n')}\n`,
    });
    const run = await runLectern(['build', '--no-pdf'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(
      'decks/e.md:5:1: error[MARKDOWN_TOO_COMPLEX]: a paragraph with more than 1000 emphasis markers (* _ ~), from line 3 to here',
    );
  });

  it('a deck over 5 MB is refused at its first line, before it is parsed', async () => {
    const dir = makeProject({ 'decks/big.md': `## A\n\n${'word '.repeat(1_100_000)}\n` });
    const run = await runLectern(['build', '--no-pdf'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(
      'decks/big.md:1:1: error[SOURCE_TOO_LARGE]: the file is 5.2 MB; a deck may be 5 MB at most',
    );
  });

  it('YAML alias bombs and prototype names in front matter are errors at their line (exit 1), never INTERNAL', async () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    ].join('\n');
    const cases: [string, string, RegExp][] = [
      ['bomb', bomb, /^decks\/bomb\.md:3:8: error\[FRONT_MATTER_INVALID\]: YAML aliases expand too far/],
      [
        'constructor',
        'theme:\n  constructor: red',
        /^decks\/constructor\.md:3:3: error\[FRONT_MATTER_INVALID\]: "constructor" cannot be an option name$/,
      ],
      [
        'proto',
        'theme:\n  __proto__: red',
        /^decks\/proto\.md:3:3: error\[FRONT_MATTER_INVALID\]: "__proto__" cannot be an option name$/,
      ],
      [
        'proto-top',
        '__proto__:\n  html: unsafe',
        /^decks\/proto-top\.md:2:1: error\[FRONT_MATTER_INVALID\]: "__proto__" cannot be an option name$/,
      ],
      [
        'tostring',
        'theme:\n  toString: red',
        /^decks\/tostring\.md:3:3: error\[THEME_UNKNOWN\]: template "default" has no theme variable "toString"$/,
      ],
      [
        'hasown',
        'theme:\n  hasOwnProperty: red',
        /^decks\/hasown\.md:3:3: error\[THEME_UNKNOWN\]: template "default" has no theme variable "hasOwnProperty"$/,
      ],
    ];
    for (const [name, yaml, expected] of cases) {
      const dir = makeProject({ [`decks/${name}.md`]: `---\n${yaml}\n---\n\n## A\n` });
      const run = await runLectern(['build', '--no-pdf'], dir);
      expect(run.code, `${name}: ${run.stderr}`).toBe(1);
      expect(run.stderr.split('\n')[0]).toMatch(expected);
      expect(run.stderr).not.toContain('INTERNAL');
    }
    // In the project config they are configuration errors at their line.
    const dir = makeProject({ 'lectern.config.yaml': 'theme:\n  __proto__: red\n', 'decks/d.md': '## A\n' });
    const run = await runLectern(['build', '--no-pdf'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      'lectern.config.yaml:2:3: error[CONFIG_INVALID]: "__proto__" cannot be an option name',
    );
  });
});
