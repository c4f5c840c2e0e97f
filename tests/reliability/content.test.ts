import fc from 'fast-check';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'htmlparser2';
import { DeckError, DeckErrors } from '../../src/errors.js';
import type { LaunchedBrowser } from '../../src/browser/launch.js';
import { buildAll } from '../../src/pipeline/build.js';
import { compileTemplate } from '../../src/render/compile-template.js';
import { loadTemplate } from '../../src/render/load-template.js';
import { modelOf } from '../helpers/deck.js';
import { makeProject, repoRoot } from '../helpers/fs.js';
import { allVectors } from './vectors/xss-vectors.js';
import { browserForTests, testPage, launchForTests } from '../helpers/browser.js';
import { tempDir } from '../helpers/temp.js';

const browserPath = browserForTests('sanitiser browser tests');

const forbiddenElements = new Set([
  'script',
  'iframe',
  'frame',
  'object',
  'embed',
  'svg',
  'math',
  'form',
  'meta',
  'base',
  'link',
  'style',
  'template',
  'noscript',
  'video',
  'audio',
  'source',
  'input',
  'button',
  'textarea',
  'select',
  'isindex',
  'keygen',
  'marquee',
  'listing',
  'image',
]);

/** What, in parsed HTML, could run script or load another page: element and attribute names. */
function dangersIn(html: string, attributes: Record<string, string> = {}): string[] {
  const found: string[] = [];
  const checkAttribute = (tag: string, name: string, value: string): void => {
    const plain = value
      .replace(/[\s\u0000-\u001f\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]/g, '')
      .toLowerCase();
    if (name.startsWith('on')) found.push(`${name} on ${tag}`);
    else if (
      /^(javascript|vbscript|data:text|data:application|data:image\/svg)/.test(plain) &&
      name !== 'title' &&
      name !== 'alt'
    )
      found.push(`${name}=${plain.slice(0, 20)} on ${tag}`);
    else if (name === 'style' && /url\(|expression\(/.test(plain)) found.push(`style on ${tag}`);
    else if (['srcdoc', 'data-background-iframe', 'formaction', 'action', 'xlink:href'].includes(name))
      found.push(`${name} on ${tag}`);
  };
  const walk = (node: any): void => {
    for (const child of node.children ?? []) {
      if (child.type === 'tag' || child.type === 'script' || child.type === 'style') {
        if (forbiddenElements.has(child.name.toLowerCase()) && child.name !== 'input') found.push(`<${child.name}>`);
        if (child.name === 'input' && (child.attribs.type ?? '').toLowerCase() !== 'checkbox') found.push('<input>');
        for (const [name, value] of Object.entries(child.attribs as Record<string, string>))
          checkAttribute(child.name, name.toLowerCase(), value);
      }
      walk(child);
    }
  };
  walk(parseDocument(html, { decodeEntities: true }));
  for (const [name, value] of Object.entries(attributes)) checkAttribute('section', name, value);
  return found;
}

describe('the sanitiser against public vector lists', () => {
  it.each(allVectors.map((v, i) => [i, v] as const))('vector %i is neutralised and reported', (_i, vector) => {
    const deck = modelOf(`## Vector\n\n${vector}\n\nAfter the vector.\n`);
    const slide = deck.stacks[0]!.slides[0]!;
    expect(dangersIn(slide.body, slide.attributes)).toEqual([]);
  });

  it('reports what it removes: a warning for nearly every vector that carried something to run', () => {
    const carrying = allVectors.filter((vector) => {
      const comments = [...vector.matchAll(/<!--\s*\.(?:slide|element):([\s\S]*?)-->/g)]
        .map((m) => `<b ${m[1]}></b>`)
        .join('');
      return dangersIn(vector + comments).length > 0;
    });
    const silent = carrying.filter(
      (vector) => !modelOf(`## V\n\n${vector}\n`).warnings.some((w) => w.code === 'HTML_REMOVED'),
    );
    // Those left are written so that Markdown keeps them as text, escaped: nothing was removed.
    for (const vector of silent) expect(modelOf(`## V\n\n${vector}\n`).stacks[0]!.slides[0]!.body).toContain('&lt;');
    expect(silent.length).toBeLessThan(carrying.length * 0.15);
  });

  it('runs no script and opens no dialog in a real browser', async () => {
    if (!browserPath) return;
    const pixel = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const dir = makeProject({
      'decks/xss.md': allVectors.map((v, i) => `## Vector ${i}\n\n${v}\n\nMarker ${i}\n`).join('\n'),
      // The images the vectors name, so the deck builds and the browser really loads them.
      'decks/x': pixel,
      'decks/y': pixel,
      'decks/1': pixel,
    });
    const out = tempDir('xss');
    await buildAll({ projectDir: dir, outDir: out, pdf: false });
    const browser: LaunchedBrowser = await launchForTests(browserPath);
    try {
      const page = await testPage(browser);
      const dialogs: string[] = [];
      page.on('dialog', async (d) => {
        dialogs.push(d.message());
        await d.dismiss();
      });
      await page.goto(`file://${join(out, 'xss', 'index.html')}`, { waitUntil: 'load' });
      await page.waitForFunction(() => (window as any).Reveal?.isReady());
      const total = await page.evaluate(() => (window as any).Reveal.getTotalSlides() as number);
      expect(total).toBe(allVectors.length);
      for (let h = 0; h < total; h++) {
        await page.evaluate((n) => (window as any).Reveal.slide(n, 0), h);
        await page.mouse.move(640, 360);
      }
      await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
      expect(dialogs).toEqual([]);
      expect(await page.evaluate(() => document.querySelectorAll('script:not([src])').length)).toBe(1);
    } finally {
      await browser.close();
    }
  });
});

describe('templates cannot reach prototypes', () => {
  it('refuses prototype paths a template names, at their columns, before anything is rendered', async () => {
    const dir = makeProject({
      'templates/p/template.yaml': 'name: p\nextends: default\n',
      'templates/p/partials/header.hbs':
        '<header>[{{constructor}}][{{constructor.name}}][{{__proto__}}][{{#with __proto__}}w{{/with}}][{{__lookupGetter__}}][{{#each __proto__}}e{{/each}}]</header>\n',
      'decks/d.md': '---\ntemplate: p\n---\n\n## One\n',
    });
    const out = tempDir('proto');
    const refused = await buildAll({ projectDir: dir, outDir: out, pdf: false }).then(
      () => null,
      (err: { errors?: { code: string; pos: { column?: number } }[] }) => err,
    );
    expect(refused?.errors?.map((e) => `${e.code}@${e.pos.column}`)).toEqual([
      'TEMPLATE_FIELD_UNKNOWN@12',
      'TEMPLATE_FIELD_UNKNOWN@29',
      'TEMPLATE_FIELD_UNKNOWN@51',
      'TEMPLATE_FIELD_UNKNOWN@72',
      'TEMPLATE_FIELD_UNKNOWN@97',
      'TEMPLATE_FIELD_UNKNOWN@125',
    ]);
  });

  it('renders prototype paths reached at run time as nothing, keeps {{ }} in slides literal, and leaves Object.prototype alone', async () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const dir = makeProject({
      'templates/p/template.yaml': 'name: p\nextends: default\n',
      // Names the static check cannot see: lookups by string, and a field of a text.
      'templates/p/partials/header.hbs':
        '<header>[{{lookup this "constructor"}}][{{lookup (lookup this "constructor") "prototype"}}][{{@root.deck.meta.title.constructor.name}}][{{#with (lookup this "__proto__")}}w{{/with}}]</header>\n',
      'decks/d.md':
        '---\ntemplate: p\ntitle: "{{constructor.constructor(\'return process\')()}}"\n---\n\n## Use {{this}} and {{#each x}}{{/each}}\n\n{{constructor.constructor("return 1")()}} and {{> header}}\n',
    });
    const out = tempDir('proto');
    const { decks } = await buildAll({ projectDir: dir, outDir: out, pdf: false });
    const html = (await import('node:fs')).readFileSync(join(out, 'd', 'index.html'), 'utf8');
    expect(html).toContain('<header>[][][][]</header>');
    expect(html).toContain('<h1 class="deck-title">{{constructor.constructor(&#39;return process&#39;)()}}</h1>');
    expect(html).toContain('Use {{this}} and {{#each x}}{{/each}}');
    expect(html).toContain('{{constructor.constructor("return 1")()}} and {{&gt; header}}');
    expect(decks[0]!.deck.slideCount).toBe(2);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses helperMissing, blockHelperMissing and log in templates', () => {
    for (const name of ['helperMissing', 'blockHelperMissing', 'log']) {
      const template = loadTemplate('default', { projectDir: repoRoot });
      const broken = {
        ...template,
        partials: { ...template.partials, header: { file: 'header.hbs', source: `{{${name} "x"}}` } },
      };
      expect(() => compileTemplate(broken)).toThrow(
        expect.objectContaining({ code: 'TEMPLATE_HELPER_ARGS', pos: { file: 'header.hbs', line: 1, column: 1 } }),
      );
    }
  });
});

describe('pathological Markdown', () => {
  const cases: [string, string][] = [
    ['5,000-deep quotes', `${'>'.repeat(5000)} deep`],
    ['5,000-deep lists', Array.from({ length: 5000 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n')],
    ['5,000-deep HTML', `${'<div>'.repeat(5000)}x`],
    ['100,000-character line', 'word '.repeat(20_000)],
    ['100,000 brackets', '['.repeat(100_000)],
    ['emphasis markers that backtrack', '*a'.repeat(30_000)],
    ['underscores that backtrack', '_a'.repeat(30_000)],
    ['unclosed links', '[a]('.repeat(20_000)],
    ['backticks', `${'`'.repeat(50_000)}x`],
    ['nested brackets and parens', '[('.repeat(20_000) + ')]'.repeat(20_000)],
    ['table with 10,000 columns', `${'|a'.repeat(10_000)}|\n${'|-'.repeat(10_000)}|\n${'|b'.repeat(10_000)}|`],
  ];

  it.each(cases)('%s: a model or a DeckError, quickly, never a crash', (_name, body) => {
    const started = performance.now();
    let outcome: string;
    try {
      const deck = modelOf(`## A\n\n${body}\n`);
      outcome = `model with ${deck.slideCount} slide`;
    } catch (err) {
      expect(err).toBeInstanceOf(DeckError);
      expect((err as DeckError).pos?.line).toBeGreaterThanOrEqual(1);
      outcome = (err as DeckError).code;
    }
    expect(outcome).toMatch(/^(model|MARKDOWN_TOO_DEEP|MARKDOWN_TOO_COMPLEX|SOURCE_TOO_LARGE)/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('properties (fast-check)', () => {
  const line = fc.oneof(
    fc.constantFrom(
      '# Section',
      '## Slide',
      '### Sub',
      '---',
      '----',
      'Note: said',
      '+ item',
      '- item',
      '> quote',
      '```',
      '<!-- layout: two-column -->',
      '<!-- column -->',
      '<!-- layout: nope -->',
      '<div>',
      '</div>',
      '![i](i.png)',
      '| a | b |',
      '|---|---|',
      '',
    ),
    fc.string({ maxLength: 40 }),
  );
  const outline = fc
    .tuple(fc.boolean(), fc.array(line, { maxLength: 40 }))
    .map(([front, lines]) => (front ? '---\ntitle: T\n---\n' : '') + lines.join('\n'));
  const template = compileTemplate(loadTemplate('default', { projectDir: repoRoot }));

  it('any outline gives a model whose slides point inside the file, or a DeckError', () => {
    fc.assert(
      fc.property(outline, (text) => {
        const lines = text.split('\n').length;
        try {
          const deck = modelOf(text);
          for (const stack of deck.stacks)
            for (const slide of stack.slides) {
              expect(slide.pos.line).toBeGreaterThanOrEqual(1);
              expect(slide.pos.line).toBeLessThanOrEqual(lines);
            }
          for (const warning of deck.warnings) expect(warning.pos.line ?? 1).toBeLessThanOrEqual(lines);
        } catch (err) {
          if (
            !(
              err instanceof DeckError ||
              (err instanceof DeckErrors && err.errors.every((e) => e instanceof DeckError))
            )
          )
            throw err;
          for (const e of err instanceof DeckErrors ? err.errors : [err])
            expect(e.pos?.line ?? 1).toBeLessThanOrEqual(lines);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rendering any model gives as many slide sections as the model has slides', () => {
    fc.assert(
      fc.property(outline, (text) => {
        let deck: ReturnType<typeof modelOf>;
        try {
          deck = modelOf(text);
        } catch (err) {
          if (err instanceof DeckError || err instanceof DeckErrors) return;
          throw err;
        }
        const html = template.render(deck);
        expect(html.match(/<section [^>]*data-lectern-slide=/g)?.length ?? 0).toBe(deck.slideCount);
      }),
      { numRuns: 300 },
    );
  });
});

describe('a 5,000-slide deck', () => {
  let dir: string;
  beforeAll(() => {
    const slides = Array.from(
      { length: 5000 },
      (_, i) => `## Slide ${i + 1}\n\n- one\n- two\n${i % 7 === 0 ? '\nNote: n\n' : ''}`,
    );
    dir = makeProject({ 'decks/big.md': `---\ntitle: Big\n---\n\n${slides.join('\n')}` });
  });
  afterAll(() => undefined);

  it('builds to HTML with bounded memory', async () => {
    const { runLectern } = await import('./invariants.js');
    // A 512 MB heap cap: the build must fit well inside it.
    const run = await runLectern(['build', '--no-pdf'], dir, 60_000, { NODE_OPTIONS: '--max-old-space-size=512' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('built decks/big.md -> dist/big/index.html (5001 slides)');
  });

  it('exports a PDF or fails with a clear error within its time limit, showing progress, leaving nothing behind', async () => {
    if (!browserPath) return;
    const { runLectern, chromiumOf, leftovers } = await import('./invariants.js');
    const run = await runLectern(['pdf', 'dist/big', '--timeout', '20'], dir, 120_000);
    expect(run.signal).toBeNull();
    expect(run.stdout).toContain('printing decks/big.md (5001 slides)');
    if (run.code === 0) {
      expect(run.stdout).toMatch(/pdf decks\/big\.md -> dist\/big\/big\.pdf \(5001 pages/);
    } else {
      expect(run.code).toBe(4);
      expect(run.stderr.split('\n')[0]).toMatch(
        /^decks\/big\.md: error\[RENDER_TIMEOUT\]: printing timed out while waiting for /,
      );
    }
    expect(chromiumOf(run.tmp)).toEqual([]);
    expect(leftovers(join(dir, 'dist', 'big'))).toEqual([]);
  }, 180_000);
});
