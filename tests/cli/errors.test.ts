import { chmodSync, existsSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, hashTree, makeProject } from '../helpers/fs.js';

const good = '---\ntitle: Good\n---\n## Fine\n\n![ok](ok.png)\n';
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Case {
  name: string;
  files: Record<string, string | Uint8Array>;
  args?: string[];
  code: number;
  /** The first line of stderr, exactly. */
  line: string;
  hint?: RegExp;
}

const cases: Case[] = [
  {
    // A key no tool reads is a warning (the deck builds); --strict makes it an error.
    name: 'unknown front-matter key, --strict',
    files: { 'decks/bad.md': '---\ntitle: x\ncolour: red\n---\n## A\n' },
    args: ['build', '--strict'],
    code: 1,
    line: 'decks/bad.md:3:1: error[OPTION_IGNORED]: unknown option "colour" is ignored',
    hint: /your own keys may stay/,
  },
  {
    name: 'mistyped front-matter key, --strict',
    files: { 'decks/bad.md': '---\ntitle: x\ntemplat: default\n---\n## A\n' },
    args: ['build', '--strict'],
    code: 1,
    line: 'decks/bad.md:3:1: error[OPTION_IGNORED]: unknown option "templat" is ignored (did you mean "template"?)',
    hint: /options here: .*aspect/,
  },
  {
    name: 'YAML syntax error',
    files: { 'decks/bad.md': '---\ntitle: x\n  lang: en\n---\n## A\n' },
    code: 1,
    line: 'decks/bad.md:2:8: error[FRONT_MATTER_SYNTAX]: invalid YAML: the line after this one is indented further, so YAML reads it as more of this value',
    hint: /start the next key at the same column as this one/,
  },
  {
    name: 'YAML: a colon in a value',
    files: { 'lectern.config.yaml': 'title: Talk: the sequel\n', 'decks/a.md': '## A\n' },
    code: 2,
    line: 'lectern.config.yaml:1:8: error[CONFIG_SYNTAX]: invalid YAML: a value holds ": " (a colon and a space), which YAML reads as the start of another key',
    hint: /put the value in quotes, as in title: "Talk: the sequel"/,
  },
  {
    name: 'YAML: a tab',
    files: { 'decks/bad.md': '---\ntitle: x\nauthor:\n\t- me\n---\n## A\n' },
    code: 1,
    line: 'decks/bad.md:4:1: error[FRONT_MATTER_SYNTAX]: invalid YAML: a tab indents this line',
    hint: /indent with spaces/,
  },
  {
    name: 'wrong value type, --strict',
    files: { 'decks/bad.md': '---\nslideLevel: two\n---\n## A\n' },
    args: ['build', '--strict'],
    code: 1,
    line: 'decks/bad.md:2:13: error[OPTION_IGNORED]: option "slideLevel" is ignored: Invalid input: expected number, received string',
  },
  {
    name: 'front matter as code',
    files: { 'decks/bad.md': '---js\n{ title: require("fs") }\n---\n## A\n' },
    code: 1,
    line: 'decks/bad.md:1:4: error[FRONT_MATTER_CODE]: front matter in "js" is refused',
  },
  {
    name: 'unknown layout',
    files: { 'decks/bad.md': '## A\n\ntext\n\n## B\n<!-- layout: triptych -->\n' },
    code: 1,
    line: 'decks/bad.md:6:1: error[LAYOUT_UNKNOWN]: unknown layout "triptych"',
    hint: /layouts in this template: bullets, closing, code, image, quote, section, statement, title, two-column/,
  },
  {
    name: 'missing image with --strict',
    files: { 'decks/bad.md': '## A\n\nText\n\n![gone](img/missing.png)\n' },
    args: ['build', '--no-pdf', '--strict'],
    code: 1,
    line: 'decks/bad.md:5:1: error[ASSET_MISSING]: image "img/missing.png" not found; a placeholder is shown',
  },
  {
    // A file that is there, outside the project: refused, however lenient the reading.
    name: 'image outside the project',
    files: { 'decks/bad.md': '## A\n\n![secret](../../../../../../../../../../../etc/passwd)\n' },
    code: 1,
    line: 'decks/bad.md:3:1: error[ASSET_OUTSIDE]: "../../../../../../../../../../../etc/passwd" is outside the project',
  },
  {
    name: 'remote image with remote: error',
    files: {
      'decks/bad.md': '## A\n\n<img src="http://127.0.0.1:9/x.png" alt="x">\n',
      'lectern.config.yaml': 'remote: error\n',
    },
    code: 1,
    line: 'decks/bad.md:3:1: error[ASSET_REMOTE]: "http://127.0.0.1:9/x.png" would be loaded from the network',
  },
  {
    name: 'invalid UTF-8',
    files: { 'decks/bad.md': new Uint8Array([...new TextEncoder().encode('## A\n\nbad '), 0xc3, 0x28, 0x0a]) },
    code: 1,
    line: 'decks/bad.md:3:5: error[SOURCE_ENCODING]: the file is not valid UTF-8',
  },
  {
    name: 'unknown template',
    files: { 'decks/bad.md': '---\ntemplate: fancy\n---\n## A\n' },
    code: 2,
    line: 'decks/bad.md:2:1: error[TEMPLATE_UNKNOWN]: template "fancy" not found',
    hint: /available: default, handout, keynote/,
  },
  {
    name: 'template syntax error',
    files: {
      'decks/bad.md': '---\ntemplate: broken\n---\n## A\n',
      'templates/broken/layout.hbs': '<html>\n{{#each stacks}}\n</html>\n',
    },
    code: 4,
    line: "templates/broken/layout.hbs:4:1: error[TEMPLATE_SYNTAX]: Parse error on line 4 (got EOF, expected 'OPEN_INVERSE_CHAIN', 'INVERSE', 'OPEN_ENDBLOCK')",
  },
  {
    name: 'unknown theme variable',
    files: { 'decks/bad.md': '---\ntitle: x\ntheme:\n  accent: "#c2410c"\n  sparkle: gold\n---\n## A\n' },
    code: 1,
    line: 'decks/bad.md:5:3: error[THEME_UNKNOWN]: template "default" has no theme variable "sparkle"',
    hint: /theme variables of "default": accent, accentText, background, codeBackground, font, footer/,
  },
  {
    name: 'ill-formed theme value',
    files: { 'decks/bad.md': '---\ntheme:\n  accent: "red; background: url(x)"\n---\n## A\n' },
    code: 1,
    line: 'decks/bad.md:3:3: error[THEME_INVALID]: theme.accent "red; background: url(x)" is not a colour such as #0b6e6e, rgb(11 110 110) or teal',
  },
  {
    name: 'missing partial',
    files: {
      'decks/bad.md': '---\ntemplate: mine\n---\n## A\n',
      'templates/mine/template.yaml': 'name: mine\nextends: default\n',
      'templates/mine/layouts/bullets.hbs': '<h2>{{{title}}}</h2>\n  {{> sidebar}}\n',
    },
    code: 4,
    line: 'templates/mine/layouts/bullets.hbs:2:3: error[TEMPLATE_PARTIAL_MISSING]: partial "sidebar" not found',
    hint: /looked in .*templates\/mine\/partials, .*templates\/default\/partials/,
  },
  {
    name: 'helper with the wrong number of arguments',
    files: {
      'decks/bad.md': '---\ntemplate: mine\n---\n## A\n',
      'templates/mine/template.yaml': 'name: mine\nextends: default\n',
      'templates/mine/partials/footer.hbs': '{{#if (eq layout)}}x{{/if}}\n',
    },
    code: 4,
    line: 'templates/mine/partials/footer.hbs:1:7: error[TEMPLATE_HELPER_ARGS]: helper "eq" takes 2 arguments, given 1',
  },
  {
    name: 'a deck field read in a layout, where only the slide is',
    files: {
      'decks/bad.md': '---\ntemplate: mine\n---\n## A\n',
      'templates/mine/template.yaml': 'name: mine\nextends: default\n',
      'templates/mine/layouts/bullets.hbs': '<h2>{{{title}}}</h2>\n<p>{{deck.meta.title}}</p>\n',
    },
    code: 4,
    line: 'templates/mine/layouts/bullets.hbs:2:6: error[TEMPLATE_FIELD_UNKNOWN]: unknown field "deck" in {{deck.meta.title}}: it would render as nothing',
    hint: /a layout sees one slide; the deck's fields are under @root: \{\{@root\.deck\.meta\.title\}\}/,
  },
  {
    name: 'a misspelt field in the page, and every other one of the file in the same run',
    files: {
      'decks/bad.md': '---\ntemplate: mine\n---\n## A\n',
      'templates/mine/template.yaml': 'name: mine\nextends: default\n',
      'templates/mine/layout.hbs':
        '<title>{{deck.meta.titel}}</title>\n{{#each stacks}}{{#each slides}}{{numbr}}{{/each}}{{/each}}\n{{#each paths.styles}}{{this}}{{/each}}\n',
    },
    code: 4,
    line: 'templates/mine/layout.hbs:1:10: error[TEMPLATE_FIELD_UNKNOWN]: unknown field "titel" in {{deck.meta.titel}} (did you mean "title"?): it would render as nothing',
    hint: /fields here: author, date, institute, lang, subtitle, title[\s\S]*layout\.hbs:2:35: error\[TEMPLATE_FIELD_UNKNOWN\]: unknown field "numbr" in \{\{numbr\}\} \(did you mean "number"\?\)[\s\S]*2 errors; nothing was written/,
  },
  {
    name: 'helper given the wrong kind of argument',
    files: {
      'decks/bad.md': '---\ntemplate: mine\n---\n## A\n',
      'templates/mine/template.yaml': 'name: mine\nextends: default\n',
      'templates/mine/partials/header.hbs': '<header>\n  <div {{attrs title}}></div>\n</header>\n',
    },
    code: 4,
    line: 'templates/mine/partials/header.hbs:2:8: error[TEMPLATE_HELPER_ARGS]: helper "attrs" takes an object of attributes, given "A"',
  },
  {
    name: 'extends cycle',
    files: {
      'decks/bad.md': '---\ntemplate: one\n---\n## A\n',
      'templates/one/template.yaml': 'name: one\nextends: two\n',
      'templates/two/template.yaml': 'name: two\ndescription: loops\nextends: one\n',
    },
    code: 4,
    line: 'templates/two/template.yaml:3:1: error[TEMPLATE_CYCLE]: templates extend each other in a circle: one extends two extends one',
  },
  {
    name: 'unknown config key',
    files: { 'lectern.config.yaml': 'out: dist\nthemes: []\n' },
    code: 2,
    line: 'lectern.config.yaml:2:1: error[CONFIG_UNKNOWN_KEY]: unknown option "themes" (did you mean "theme"?)',
  },
  {
    name: 'unknown option',
    files: {},
    args: ['build', '--pdf-quality', '9'],
    code: 2,
    line: 'lectern: error[USAGE]: unknown option "--pdf-quality"',
  },
  {
    name: 'check options elsewhere',
    files: {},
    args: ['build', '--no-browser'],
    code: 2,
    line: 'lectern: error[USAGE]: --no-browser goes with `lectern check`',
  },
  {
    name: 'build options with check',
    files: {},
    args: ['check', '--out', 'elsewhere'],
    code: 2,
    line: 'lectern: error[USAGE]: `lectern check` writes nothing: --out, --pdf-notes, --pdf-fragments, --handout and --paper go with `lectern build`',
  },
  {
    name: 'unknown check rule, --strict',
    files: { 'decks/bad.md': '---\nchecks:\n  max-word: off\n---\n\n## A\n' },
    args: ['build', '--strict'],
    code: 1,
    line: 'decks/bad.md:3:3: error[OPTION_IGNORED]: unknown option "checks.max-word" is ignored (did you mean "max-words"?)',
  },
  {
    name: 'check finding set to error',
    files: { 'decks/bad.md': '---\nchecks:\n  duplicate-title: error\n---\n\n## A\n\nOne\n\n## A\n\nTwo\n' },
    code: 1,
    line: 'decks/bad.md:10:1: error[TITLE_DUPLICATE]: slide 2 "A" has the same title as the slide at line 6',
  },
  {
    name: 'missing input',
    files: {},
    args: ['build', 'nowhere.md'],
    code: 2,
    line: 'lectern: error[INPUT_MISSING]: no such file or folder: nowhere.md',
  },
];

describe.each(cases)('$name', (c) => {
  it(`exits ${c.code}, names the place, and leaves dist/ unchanged`, async () => {
    const dir = makeProject({ 'decks/good.md': good, 'decks/ok.png': png });
    const first = await cli(['build', '--no-pdf'], dir);
    expect(first.code).toBe(0);
    const before = hashTree(join(dir, 'dist'));

    for (const [path, content] of Object.entries(c.files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const { code, stderr, stdout } = await cli(c.args ?? ['build'], dir);
    expect(stderr.split('\n')[0]).toBe(c.line);
    expect(stderr.split('\n')[1]).toMatch(/^ {2}hint: .+/);
    if (c.hint) expect(stderr).toMatch(c.hint);
    expect(code).toBe(c.code);
    expect(stdout).not.toContain('built');
    expect(hashTree(join(dir, 'dist'))).toBe(before);
    expect(readdirSync(join(dir, 'dist')).filter((f) => f.startsWith('.lectern-tmp'))).toEqual([]);
  });
});

describe('output failures', () => {
  it('exits 5 when the output folder cannot be written, and cleans up', async () => {
    const dir = makeProject({ 'decks/good.md': good, 'decks/ok.png': png, blocked: 'a file, not a folder' });
    const { code, stderr } = await cli(['build', '--no-pdf', '--out', 'blocked/dist'], dir);
    expect(code).toBe(5);
    expect(stderr).toMatch(/^blocked\/dist|error\[OUTPUT_WRITE\]/m);
    expect(stderr).toContain('error[OUTPUT_WRITE]');
  });

  it('reports every broken deck in one run, with the worst exit status', async () => {
    const dir = makeProject({
      'decks/a.md': '---\nnope: 1\n---\n',
      'decks/b.md': '## B\n<!-- layout: nope -->\n',
      'decks/c.md': '---\ntemplate: missing\n---\n## C\n',
    });
    const { code, stderr } = await cli(['build', '--no-pdf'], dir);
    expect(stderr).toContain('decks/b.md:2:1: error[LAYOUT_UNKNOWN]');
    expect(stderr).toContain('decks/c.md:2:1: error[TEMPLATE_UNKNOWN]');
    // The deck with a bad key has no slides either: both are said in the same run.
    expect(stderr).toContain('decks/a.md:1:1: error[DECK_EMPTY]');
    expect(stderr).toContain('3 errors; nothing was written');
    expect(code).toBe(2);
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it('prints warnings with file:line and still exits 0', async () => {
    const dir = makeProject({ 'decks/w.md': '## W\n\ntext\n\n<iframe src="x.html"></iframe>\n' });
    const { code, stderr } = await cli(['build', '--no-pdf'], dir);
    expect(code).toBe(0);
    expect(stderr).toContain('decks/w.md:5:1: warning[HTML_REMOVED]: removed <iframe> (element not allowed)');
  });

  it('shows a stack trace only with --debug', async () => {
    const dir = makeProject({ 'decks/a.md': '## A\n<!-- layout: nope -->\n' });
    expect((await cli(['build', '--no-pdf'], dir)).stderr).not.toContain('    at ');
    expect((await cli(['build', '--no-pdf', '--debug'], dir)).stderr).toContain('    at ');
  });

  it('refuses an image that is a symlink out of the project', async () => {
    const dir = makeProject({ 'decks/a.md': '## A\n\n![x](link.png)\n' });
    const outside = makeProject({ 'outside.png': png });
    const { symlinkSync } = await import('node:fs');
    symlinkSync(join(outside, 'outside.png'), join(dir, 'decks/link.png'));
    const { code, stderr } = await cli(['build', '--no-pdf'], dir);
    expect(code).toBe(1);
    expect(stderr).toContain('decks/a.md:3:1: error[ASSET_OUTSIDE]');
  });
});
void chmodSync;

describe('--json', () => {
  it('reports errors as JSON on stdout too, with the same exit status', async () => {
    const dir = makeProject({ 'decks/a.md': '## A\n<!-- layout: nope -->\n' });
    const { code, stdout, stderr } = await cli(['build', '--no-pdf', '--json'], dir);
    expect(code).toBe(1);
    expect(stderr).toContain('error[LAYOUT_UNKNOWN]');
    expect(JSON.parse(stdout)).toEqual({
      decks: [],
      errors: [
        {
          code: 'LAYOUT_UNKNOWN',
          message: 'unknown layout "nope"',
          pos: { file: 'decks/a.md', line: 2, column: 1 },
          hint: 'layouts in this template: bullets, closing, code, image, quote, section, statement, title, two-column',
          exitCode: 1,
        },
      ],
    });
  });
});

describe('first-run mistakes', () => {
  it('serve with a deck that is not there is INPUT_MISSING (exit 2), as build, check and pdf are', async () => {
    const dir = makeProject({ 'decks/talk.md': good, 'decks/ok.png': png });
    for (const command of ['serve', 'build', 'check']) {
      const run = await cli(
        [command, 'decks/typo.md', '--no-pdf'].filter((a) => command !== 'check' || a !== '--no-pdf'),
        dir,
      );
      expect(run.code, `${command}: ${run.stderr}`).toBe(2);
      expect(run.stderr.split('\n')[0]).toMatch(/error\[INPUT_MISSING\]: no such file or folder: decks\/typo\.md$/);
    }
  });

  it('--template nope says so once, not once per deck', async () => {
    const dir = makeProject({ 'decks/a.md': good, 'decks/b.md': good, 'decks/c.md': good, 'decks/ok.png': png });
    const run = await cli(['build', '--no-pdf', '--template', 'nope'], dir);
    expect(run.code).toBe(2);
    const errors = run.stderr.split('\n').filter((l) => l.includes('error[TEMPLATE_UNKNOWN]'));
    expect(errors).toEqual([
      expect.stringMatching(/^decks\/a\.md: error\[TEMPLATE_UNKNOWN\]: template "nope" not found/),
    ]);
    // A config that names it is reported once too, at its own line.
    writeFileSync(join(dir, 'lectern.config.yaml'), 'template: nope\n');
    const again = await cli(['build', '--no-pdf'], dir);
    expect(again.stderr.split('\n').filter((l) => l.includes('error[TEMPLATE_UNKNOWN]'))).toEqual([
      expect.stringMatching(/^lectern\.config\.yaml:1:\d+: error\[TEMPLATE_UNKNOWN\]: template "nope" not found/),
    ]);
  });

  it('lectern templates calls Lectern’s own templates built-in, in Lectern’s own folder too', async () => {
    const run = await cli(['templates'], join(import.meta.dirname, '..', '..'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^default \[builtin\]/m);
    expect(run.stdout).not.toContain('[project]');
  });

  it('refuses a theme colour CSS has no name for, with the near name and an example value', async () => {
    const deck = (accent: string) => `---\ntitle: T\ntheme:\n  accent: "${accent}"\n---\n\n## A\n`;
    const dir = makeProject({ 'decks/a.md': deck('reddish') });
    const run = await cli(['build', '--no-pdf'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').slice(0, 2)).toEqual([
      'decks/a.md:4:3: error[THEME_INVALID]: theme.accent "reddish" is not a colour such as #0b6e6e, rgb(11 110 110) or teal',
      '  hint: write it as, for example, theme: { accent: "#0b6e6e" }',
    ]);
    writeFileSync(join(dir, 'decks/a.md'), deck('tael'));
    expect((await cli(['build', '--no-pdf'], dir)).stderr).toContain('or teal (did you mean "teal"?)');
    for (const good of ['rebeccapurple', 'Teal', '#0b6e6e', 'rgb(11 110 110)', 'oklch(0.5 0.1 200)']) {
      writeFileSync(join(dir, 'decks/a.md'), deck(good));
      expect((await cli(['build', '--no-pdf'], dir)).code, good).toBe(0);
    }
  });
});
