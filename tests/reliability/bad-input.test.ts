import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli, makeProject } from '../helpers/fs.js';
import { expectCleanFailure } from './invariants.js';

// Bad decks and templates, each through the real `lectern` process: the documented exit
// code, the file and line named, dist/ untouched, nothing left behind, within a time bound.

const good = '---\ntitle: Good\n---\n\n## Fine\n\ntext\n';
const pwned = join(tmpdir(), `lectern-pwned-${process.pid}`);

interface Case {
  name: string;
  files: Record<string, string | Uint8Array>;
  code: number;
  first: RegExp;
  extra?: string[];
  /** The command, when not `build --no-pdf`. */
  args?: string[];
}

const cases: Case[] = [
  // 1. Malformed YAML front matter
  {
    name: 'unterminated string',
    files: { 'decks/bad.md': '---\ntitle: "never closed\nlang: en\n---\n## A\n' },
    code: 1,
    first: /^decks\/bad\.md:[23]:\d+: error\[FRONT_MATTER_SYNTAX\]/,
  },
  {
    name: 'bad indentation',
    files: { 'decks/bad.md': '---\ntitle: x\n  author: y\n---\n## A\n' },
    code: 1,
    first: /^decks\/bad\.md:2:8: error\[FRONT_MATTER_SYNTAX\]/,
  },
  {
    name: 'a list instead of a map',
    files: { 'decks/bad.md': '---\n- title\n- author\n---\n## A\n' },
    code: 1,
    first: /^decks\/bad\.md:2:1: error\[FRONT_MATTER_INVALID\]: expected a map of options, found a list/,
  },
  {
    name: 'a number where text belongs',
    files: { 'decks/bad.md': '---\ntitle: x\nlang: 12\n---\n## A\n' },
    code: 1,
    args: ['build', '--no-pdf', '--strict'],
    first: /^decks\/bad\.md:3:7: error\[OPTION_IGNORED\]: option "lang"/,
  },
  {
    name: 'a map where a flag belongs',
    files: { 'decks/bad.md': '---\nverticalSections:\n  yes: no\n---\n## A\n' },
    code: 1,
    args: ['build', '--no-pdf', '--strict'],
    first: /^decks\/bad\.md:3:3: error\[OPTION_IGNORED\]: option "verticalSections"/,
  },
  // 2. Front matter that tries to run code
  {
    name: '---js front matter',
    files: { 'decks/bad.md': `---js\n{ title: require('fs').writeFileSync('${pwned}', 'x') }\n---\n## A\n` },
    code: 1,
    first: /^decks\/bad\.md:1:4: error\[FRONT_MATTER_CODE\]/,
  },
  {
    name: '!!js/function tag',
    files: {
      'decks/bad.md': `---\ntitle: !!js/function "function () { require('fs').writeFileSync('${pwned}', 'x') }"\n---\n## A\n`,
    },
    code: 1,
    first: /^decks\/bad\.md:2:\d+: error\[FRONT_MATTER_CODE\]/,
  },
  {
    name: '!!js/undefined tag',
    files: { 'decks/bad.md': '---\ntitle: !!js/undefined ""\n---\n## A\n' },
    code: 1,
    first: /^decks\/bad\.md:2:\d+: error\[FRONT_MATTER_CODE\]/,
  },
  // 3. Template problems
  {
    name: 'unknown template',
    files: { 'decks/bad.md': '---\ntemplate: nowhere\n---\n## A\n' },
    code: 2,
    first: /^decks\/bad\.md:2:1: error\[TEMPLATE_UNKNOWN\]: template "nowhere" not found/,
  },
  {
    name: 'template syntax error',
    files: {
      'decks/bad.md': '---\ntemplate: t\n---\n## A\n',
      'templates/t/template.yaml': 'name: t\nextends: default\n',
      'templates/t/partials/header.hbs': '<header>\n  {{#if title}}\n</header>\n',
    },
    code: 4,
    first: /^templates\/t\/partials\/header\.hbs:4:1: error\[TEMPLATE_SYNTAX\]/,
  },
  {
    name: 'missing partial',
    files: {
      'decks/bad.md': '---\ntemplate: t\n---\n## A\n',
      'templates/t/template.yaml': 'name: t\nextends: default\n',
      'templates/t/partials/header.hbs': '{{> nothere}}\n',
    },
    code: 4,
    first: /^templates\/t\/partials\/header\.hbs:1:1: error\[TEMPLATE_PARTIAL_MISSING\]: partial "nothere" not found/,
  },
  {
    name: 'partials including each other',
    files: {
      'decks/bad.md': '---\ntemplate: t\n---\n## A\n',
      'templates/t/template.yaml': 'name: t\nextends: default\n',
      'templates/t/partials/header.hbs': '{{> footer}}\n',
      'templates/t/partials/footer.hbs': '{{> header}}\n',
    },
    code: 4,
    first:
      /error\[TEMPLATE_PARTIAL_CYCLE\]: partials include each other in a circle: (header → footer → header|footer → header → footer)/,
  },
  {
    name: 'a layout that renders itself at run time',
    files: {
      'decks/bad.md': '---\ntemplate: t\n---\n## A\n\ntext\n',
      'templates/t/template.yaml': 'name: t\nextends: default\n',
      'templates/t/layouts/bullets.hbs': '<div>{{> (layoutPartial layout)}}</div>\n',
    },
    code: 4,
    first:
      /^templates\/t\/layouts\/bullets\.hbs: error\[TEMPLATE_PARTIAL_CYCLE\]: partials call each other without end/,
  },
  {
    name: 'helper misuse',
    files: {
      'decks/bad.md': '---\ntemplate: t\n---\n## A\n',
      'templates/t/template.yaml': 'name: t\nextends: default\n',
      'templates/t/partials/header.hbs': '{{json}}\n',
    },
    code: 4,
    first:
      /^templates\/t\/partials\/header\.hbs:1:1: error\[TEMPLATE_HELPER_ARGS\]: helper "json" takes 1 argument, given none/,
  },
  {
    name: 'extends cycle',
    files: {
      'decks/bad.md': '---\ntemplate: a\n---\n## A\n',
      'templates/a/template.yaml': 'name: a\nextends: b\n',
      'templates/b/template.yaml': 'name: b\nextends: a\n',
    },
    code: 4,
    first:
      /^templates\/b\/template\.yaml:2:1: error\[TEMPLATE_CYCLE\]: templates extend each other in a circle: a extends b extends a/,
  },
  // 5. Images that are missing or outside the deck folder
  {
    name: 'missing image, --strict',
    files: { 'decks/bad.md': '## A\n\n![x](gone.png)\n' },
    extra: ['--strict'],
    code: 1,
    first: /^decks\/bad\.md:3:1: error\[ASSET_MISSING\]/,
  },
  {
    name: 'image up out of the project',
    files: { 'decks/bad.md': '## A\n\n![x](../../../../../../../../../../../../../../etc/passwd)\n' },
    code: 1,
    first: /^decks\/bad\.md:3:1: error\[ASSET_OUTSIDE\]/,
  },
  {
    name: 'absolute image path',
    files: { 'decks/bad.md': '## A\n\n![x](/../../../../../../../../../../../../../../etc/passwd)\n' },
    code: 1,
    first: /^decks\/bad\.md:3:1: error\[ASSET_OUTSIDE\]/,
  },
  {
    name: 'file: image URL',
    files: { 'decks/bad.md': '## A\n\n![x](file:///etc/hostname)\n' },
    code: 1,
    first: /^decks\/bad\.md:3:1: error\[ASSET_OUTSIDE\]/,
  },
  {
    name: 'URL-encoded dots',
    files: {
      'decks/bad.md':
        '## A\n\n![x](%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd)\n',
    },
    code: 1,
    first: /^decks\/bad\.md:3:1: error\[ASSET_OUTSIDE\]/,
  },
  {
    name: 'backslashes',
    files: { 'decks/bad.md': '## A\n\n<img src="..\\secret.png" alt="x">\n', 'secret.png': 'S' },
    code: 1,
    first: /^decks\/bad\.md:3:1: error\[ASSET_OUTSIDE\]/,
  },
  {
    name: 'background image up out of the project',
    files: {
      'decks/bad.md':
        '## A\n<!-- .slide: data-background-image="../../../../../../../../../../../../../../etc/passwd" -->\n',
    },
    code: 1,
    first: /^decks\/bad\.md:2:\d+: error\[ASSET_OUTSIDE\]/,
  },
  // 8. Not text
  {
    name: 'a PNG renamed .md',
    files: {
      'decks/bad.md': new Uint8Array([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
      ]),
    },
    code: 1,
    first: /^decks\/bad\.md:3:1: error\[SOURCE_BINARY\]/,
  },
  {
    name: 'NUL bytes',
    files: { 'decks/bad.md': '## A\n\nfine\nnot\0fine\n' },
    code: 1,
    first: /^decks\/bad\.md:4:4: error\[SOURCE_BINARY\]/,
  },
  {
    name: 'invalid UTF-8 at a known line',
    files: { 'decks/bad.md': new Uint8Array([...Buffer.from('## A\n\none\ntwo\nbad '), 0xe2, 0x28, 0xa1, 0x0a]) },
    code: 1,
    first: /^decks\/bad\.md:5:5: error\[SOURCE_ENCODING\]/,
  },
  {
    name: 'UTF-16 with a BOM',
    files: { 'decks/bad.md': new Uint8Array([0xff, 0xfe, ...Buffer.from('## A\n', 'utf16le')]) },
    code: 1,
    first: /^decks\/bad\.md:1:1: error\[SOURCE_ENCODING\]: the file is UTF-16/,
  },
];

describe('bad decks and templates', () => {
  beforeEach(() => {
    if (existsSync(pwned)) throw new Error(`${pwned} exists before the test`);
  });

  it.each(cases)('$name', async (c) => {
    const dir = makeProject({ 'decks/good.md': good });
    expect((await cli(['build', '--no-pdf', '--quiet'], dir)).code).toBe(0);
    for (const [path, content] of Object.entries(c.files)) {
      const { mkdirSync } = await import('node:fs');
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    await expectCleanFailure(dir, c.args ?? ['build', '--no-pdf', ...(c.extra ?? [])], {
      code: c.code,
      first: c.first,
      withinMs: 15_000,
    });
    expect(existsSync(pwned)).toBe(false);
  });

  it('a symlink that points out of the project', async () => {
    const dir = makeProject({ 'decks/good.md': good, 'decks/bad.md': '## A\n\n![x](link.png)\n' });
    const outside = makeProject({ 'secret.png': 'S' });
    symlinkSync(join(outside, 'secret.png'), join(dir, 'decks/link.png'));
    await expectCleanFailure(dir, ['build', '--no-pdf'], {
      code: 1,
      first: /^decks\/bad\.md:3:1: error\[ASSET_OUTSIDE\]/,
      withinMs: 15_000,
    });
  });

  it('random bytes', async () => {
    const bytes = randomBytes(4096);
    bytes[100] = 0;
    const dir = makeProject({ 'decks/bad.md': bytes });
    await expectCleanFailure(dir, ['build', '--no-pdf'], {
      code: 1,
      first: /^decks\/bad\.md:\d+:\d+: error\[SOURCE_(BINARY|ENCODING)\]/,
      withinMs: 15_000,
    });
  });

  it('accepts a UTF-8 BOM and CRLF line ends, with the lines still right', async () => {
    const dir = makeProject({
      'decks/d.md': Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('---\r\ntitle: T\r\n---\r\n\r\n## A\r\n\r\n![x](gone.png)\r\n'),
      ]),
    });
    const run = await cli(['build', '--no-pdf'], dir);
    expect(run.stderr.split('\n')[0]).toBe(
      'decks/d.md:7:1: warning[ASSET_MISSING]: image "gone.png" not found; a placeholder is shown',
    );
  });
});
