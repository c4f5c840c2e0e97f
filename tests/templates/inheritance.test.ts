import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, listFiles, makeProject } from '../helpers/fs.js';

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const deck = '---\ntitle: T\ntemplate: child\n---\n\n# Part\n\n## Points\n\n- one\n\n## Said\n\n> quoted\n';

describe('template inheritance', () => {
  it('overrides exactly the partial, layout and variables it names', async () => {
    const dir = makeProject({
      'decks/d.md': deck,
      'templates/child/template.yaml':
        'name: child\ndescription: test child\nextends: default\ntheme:\n  stripe: { css: --child-stripe, type: color }\n',
      'templates/child/layouts/bullets.hbs': '<div class="child-bullets">{{{title}}}</div>{{{body}}}\n',
      'templates/child/partials/footer.hbs': '<footer class="child-footer">child footer</footer>\n',
      'templates/child/assets/theme.css': ':root { --lectern-accent: #7c2d12; }\n',
    });
    const { code, stderr } = await cli(['build', '--no-pdf', '--quiet'], dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const html = readFileSync(join(dir, 'dist/d/index.html'), 'utf8');
    // The bullets layout is the child's; quote and section are still default's.
    expect(html).toContain('<div class="child-bullets">Points</div>');
    expect(html).toMatch(/<div class="slide-body quote-body"><blockquote data-line="\d+">/);
    expect(html).toContain('<h1 class="section-title">Part</h1>');
    // The footer partial is the child's, on every slide.
    expect(html.match(/<footer class="child-footer">child footer<\/footer>/g)).toHaveLength(4);
    // Both stylesheets, the parent's first, each with its own assets.
    const styles = [...html.matchAll(/<link rel="stylesheet" href="(_lectern\/templates\/[^"]+)">/g)].map((m) => m[1]);
    expect(styles).toEqual(['_lectern/templates/default/theme.css', '_lectern/templates/child/theme.css']);
    const files = listFiles(join(dir, 'dist/d'));
    expect(files).toContain('_lectern/templates/default/fonts/inter-latin-700-normal.woff2');
    expect(files).toContain('_lectern/templates/child/theme.css');
  });

  it("finds a template in the deck's folder before the project's templates/", async () => {
    const dir = makeProject({
      'decks/d.md': '---\ntemplate: near\n---\n## A\n',
      'decks/templates/near/template.yaml': 'name: near\nextends: default\n',
      'decks/templates/near/partials/header.hbs': '<header>from the deck folder</header>\n',
      'templates/near/template.yaml': 'name: near\nextends: default\n',
      'templates/near/partials/header.hbs': '<header>from the project</header>\n',
    });
    expect((await cli(['build', '--no-pdf', '--quiet'], dir)).code).toBe(0);
    const html = readFileSync(join(dir, 'dist/d/index.html'), 'utf8');
    expect(html).toContain('from the deck folder');
    expect(html).not.toContain('from the project');
  });

  it('lets a project template extend the built-in one of the same name', async () => {
    const dir = makeProject({
      'decks/d.md': '## A\n',
      'templates/default/template.yaml': 'name: default\nextends: default\n',
      'templates/default/partials/header.hbs': '<header>project default</header>\n',
    });
    expect((await cli(['build', '--no-pdf', '--quiet'], dir)).code).toBe(0);
    const html = readFileSync(join(dir, 'dist/d/index.html'), 'utf8');
    expect(html).toContain('project default');
    expect(html).toContain('<div class="slide-body">');
  });
});

describe('theme values in front matter', () => {
  it('sets declared variables, a logo and a footer without CSS', async () => {
    const dir = makeProject({
      'decks/d.md':
        '---\ntitle: Themed\ntheme:\n  accent: "#c2410c"\n  font: "Georgia, serif"\n  logo: images/logo.png\n  footer: ACME internal\n---\n\n## One\n\ntext\n',
      'decks/images/logo.png': png,
      'lectern.config.yaml': 'theme:\n  accent: "#000000"\n  size: 30px\n',
    });
    const run = await cli(['build', '--no-pdf', '--quiet'], dir);
    expect(run.stderr).toBe('');
    const html = readFileSync(join(dir, 'dist/d/index.html'), 'utf8');
    expect(html).toContain(
      '<style>:root {\n  --lectern-accent: #c2410c;\n  --lectern-size: 30px;\n  --lectern-font: Georgia, serif;\n}</style>',
    );
    expect(html).toContain('<img class="slide-logo" src="images/logo.png" alt="">');
    expect(html.match(/<footer class="slide-footer">ACME internal<\/footer>/g)).toHaveLength(1);
    expect(existsSync(join(dir, 'dist/d/images/logo.png'))).toBe(true);
  });

  it('points at a missing logo in the front matter, and builds without it', async () => {
    const dir = makeProject({ 'decks/d.md': '---\ntheme:\n  logo: images/none.png\n---\n## A\n' });
    const run = await cli(['build', '--no-pdf'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr.split('\n')[0]).toBe(
      'decks/d.md:3:3: warning[ASSET_MISSING]: theme image "images/none.png" (logo) not found; the deck is built without it',
    );
    expect(readFileSync(join(dir, 'dist/d/index.html'), 'utf8')).not.toContain('images/none.png');
    expect((await cli(['build', '--no-pdf', '--strict', '--force'], dir)).code).toBe(1);
  });
});

describe('scaffolding', () => {
  it('lectern new deck writes a starter deck that uses every layout, and builds it', async () => {
    const dir = makeProject({});
    const run = await cli(['new', 'deck', 'first-talk', '--no-pdf'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('created decks/first-talk.md');
    expect(run.stdout).toContain('built decks/first-talk.md -> dist/first-talk/index.html (13 slides)');
    const html = readFileSync(join(dir, 'dist/first-talk/index.html'), 'utf8');
    for (const layout of [
      'title',
      'section',
      'bullets',
      'quote',
      'two-column',
      'image',
      'code',
      'statement',
      'closing',
    ]) {
      expect(html).toContain(`data-layout="${layout}"`);
    }
    expect(html).toMatch(/<li data-line="\d+" class="fragment">/);
    expect(html).toContain('<aside class="notes">');
    expect(existsSync(join(dir, 'dist/first-talk/images/first-talk-diagram.svg'))).toBe(true);
    const again = await cli(['new', 'deck', 'first-talk', '--no-pdf'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('decks/first-talk.md: error[NEW_EXISTS]: decks/first-talk.md already exists');
  });

  it('lectern new template extends another, and a deck builds with it', async () => {
    const dir = makeProject({ 'decks/d.md': '---\ntemplate: brand\ntheme:\n  footer: Brand\n---\n## A\n\ntext\n' });
    const run = await cli(['new', 'template', 'brand', '--from', 'keynote'], dir);
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'templates/brand/template.yaml'), 'utf8')).toContain('extends: keynote');
    expect(readFileSync(join(dir, 'templates/brand/assets/theme.css'), 'utf8')).toContain(
      '/* --lectern-bg: #0d1117; */',
    );
    const build = await cli(['build', '--no-pdf', '--quiet'], dir);
    expect(build.stderr).toBe('');
    const html = readFileSync(join(dir, 'dist/d/index.html'), 'utf8');
    expect(html).toContain('template-brand');
    expect(html).toContain('<footer class="slide-footer">Brand</footer>');
    expect(html).toContain('_lectern/templates/keynote/theme.css');
  });

  it('lectern templates lists name, origin, what each extends and its description', async () => {
    const dir = makeProject({
      'templates/mine/template.yaml': 'name: mine\ndescription: Mine alone\nextends: handout\n',
    });
    const run = await cli(['templates'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('mine (extends handout) [project] templates/mine\n    Mine alone\n');
    expect(run.stdout).toMatch(/^keynote \(extends default\) \[builtin\] /m);
    expect(run.stdout).toMatch(/^default \[builtin\] /m);
  });
});
