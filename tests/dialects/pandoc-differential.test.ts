import { spawnSync } from 'node:child_process';
import type { Element } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { needs } from '../helpers/skips.js';
import type { DeckLayer } from '../../src/config/schema.js';
import { modelOf } from '../helpers/deck.js';

/**
 * Pandoc's structure rules, compared with Pandoc itself: each deck is run through `pandoc`, its
 * sections counted as reveal.js counts them (a top-level section is one slide, or a stack of its
 * child sections), and Lectern's stacks must have the same shape.
 */
const hasPandoc = needs(
  spawnSync('sh', ['-c', 'command -v pandoc'], { stdio: 'ignore' }).status === 0,
  "Pandoc's structure, against pandoc",
  'pandoc is not installed (Debian: apt-get install pandoc)',
);

function pandocShape(markdown: string, args: string[]): number[] {
  const run = spawnSync('pandoc', ['-f', 'markdown', ...args], { input: markdown, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  const doc = parseDocument(`<div class="slides">${run.stdout}</div>`);
  const root = DomUtils.findOne((el) => el.attribs.class === 'slides', doc.children)!;
  const sections = (el: Element) =>
    el.children.filter((c): c is Element => c.type === 'tag' && (c as Element).name === 'section');
  return sections(root).map((s) => Math.max(1, sections(s).length));
}

const lecternShape = (markdown: string, flags: DeckLayer) =>
  modelOf(markdown, { dialect: 'pandoc', ...flags }).stacks.map((s) => s.slides.length);

const cases: { name: string; markdown: string; args: string[]; flags?: DeckLayer }[] = [
  {
    name: 'a div that opens with a slide heading is that slide; two headings or columns are not',
    args: ['-t', 'revealjs', '--slide-level', '2'],
    markdown: [
      '## Plain',
      '',
      'text',
      '',
      '::: callout-note',
      '## In a callout',
      '',
      'body',
      ':::',
      '',
      '::: {.box}',
      '',
      '## Boxed',
      '',
      '### Smaller',
      '',
      'more',
      ':::',
      '',
      '## After',
      '',
      'end',
      '',
    ].join('\n'),
  },
  {
    name: 'dashes with text right under them open a table that swallows headings; a rule over a heading separates',
    args: ['-t', 'revealjs', '--slide-level', '2'],
    markdown: [
      '## One',
      '',
      'text',
      '',
      '----------',
      '## Swallowed',
      '',
      'body',
      '',
      '----------',
      '',
      '## Two',
      '',
      'text',
      '',
      '----------',
      '## Three, after a rule with nothing closing it',
      '',
      'end',
      '',
    ].join('\n'),
  },
  {
    name: 'section divs: the top two heading levels, stacks without a slide of their own, rules only rules',
    args: ['-t', 'html5', '--section-divs'],
    flags: { sectionDivs: true },
    markdown: [
      '# Alone',
      '',
      'text',
      '',
      '---',
      '',
      'still the same slide',
      '',
      '# A stack',
      '',
      '## First',
      '',
      'a',
      '',
      '### Deeper is content',
      '',
      '## Second',
      '',
      'b',
      '',
      '# A stack with words of its own',
      '',
      'These go with its first slide.',
      '',
      '## Third',
      '',
      'c',
      '',
      'Setext level one',
      '=',
      '',
      'last',
      '',
    ].join('\n'),
  },
  {
    name: 'section divs with second-level headings only: every one a slide',
    args: ['-t', 'html5', '--section-divs'],
    flags: { sectionDivs: true },
    markdown: '<style>h2 { color: teal }</style>\n\n## A\n\na\n\n## B\n\n---\n\nb\n\n### C\n\nc\n',
  },
];

describe.skipIf(!hasPandoc)("Pandoc's structure, against pandoc", () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const expected = pandocShape(c.markdown, c.args);
    expect(expected.length).toBeGreaterThan(1);
    expect(lecternShape(c.markdown, c.flags ?? {})).toEqual(expected);
  });
});
