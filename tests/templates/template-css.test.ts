import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTemplateCss } from '../../src/render/template-css.js';
import { cli, makeProject, repoRoot } from '../helpers/fs.js';

describe("a template's stylesheet, read at build time", () => {
  it('names what a browser would drop, each at its line and column', () => {
    const css = [
      ':root {',
      '  --brand: #7b2cbf;',
      '}',
      '@font-face { font-family: X; src: url(x.woff2); font-display: swap; }',
      '.a { color: red background: blue; }',
      '.b { colr: red; }',
      '.c { margin: 1px 2px 3px 4px 5px; }',
      '.d { color: var(--brand); width: calc(100% - 2em); -webkit-line-clamp: 2; }',
      '@media (max-width: 600px) { .e { display: grid; grid-template-columns: repeat(3, 1fr); } }',
      '.f { color: red;',
    ].join('\n');
    const found = checkTemplateCss(css, 'templates/brand/assets/theme.css').map(
      (f) => `${f.pos!.line}:${f.pos!.column} ${f.message}`,
    );
    expect(found).toContain(
      '5:6 "color: red background: blue" is not a value color takes: the browser ignores the declaration',
    );
    expect(found).toContain('6:6 "colr" is not a CSS property: the browser ignores the declaration');
    expect(found).toContain(
      '7:6 "margin: 1px 2px 3px 4px 5px" is not a value margin takes: the browser ignores the declaration',
    );
    expect(found).toContain('10:4 this "{" is never closed: everything after it is read as part of its rule');
    // Nothing about what is right: custom properties, var(), prefixes, @font-face's descriptors, @media.
    expect(found.filter((f) => /^(1|2|3|4|8|9):/.test(f))).toEqual([]);
    const hint = checkTemplateCss('.a { color: red background: blue; }', 'x.css').find((f) =>
      f.message.includes('is not a value'),
    )!.hint;
    expect(hint).toContain('";" seems to be missing');
  });

  it('finds nothing in the built-in templates', () => {
    for (const template of readdirSync(join(repoRoot, 'templates'))) {
      const dir = join(repoRoot, 'templates', template, 'assets');
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.css')))
        expect(checkTemplateCss(readFileSync(join(dir, file), 'utf8'), `${template}/${file}`)).toEqual([]);
    }
  });

  it('warns at the file, line and column when a deck is built with the template', async () => {
    const dir = makeProject({
      'templates/brand/template.yaml': 'name: brand\nextends: default\n',
      'templates/brand/assets/theme.css': ':root {\n  --lectern-accent: #7b2cbf;\n}\n.reveal h2 { colr: red; }\n',
      'decks/a.md': '---\ntemplate: brand\n---\n\n## A\n',
    });
    const run = await cli(['build', '--no-pdf'], dir);
    expect(run.code).toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain(
      'templates/brand/assets/theme.css:4:14: warning[TEMPLATE_CSS]: "colr" is not a CSS property: the browser ignores the declaration',
    );
  });
});
